// A request's archive bundle (归档): its record, events with their hash
// links, process record, schedule and directory, each part with a digest in
// a manifest, so that it can be verified long after, without the engine.
//
// Thread safety: both functions may be called from any thread.
#ifndef COLLABFLOW_ARCHIVE_H_
#define COLLABFLOW_ARCHIVE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collabflow/v1/archive.pb.h"

namespace collabflow {

class Engine;  // engine.h

// The archive bundle of the request as it stands (collabflow.v1.ArchiveBundle).
// Reproducible: the same history gives the same bytes, whenever and however
// often it is exported. Its exported_at is the archive command's time once
// the request is archived, else the time of the request's last event; never
// the wall clock. Reads the request's history (Engine::ReadRequestHistory).
// NOT_FOUND if unknown.
absl::StatusOr<std::string> ExportArchive(const Engine& engine, absl::string_view request_id);

// The same, with exported_at the caller's `exported_at` (the host's own
// record of when it exported; the rest of the bundle is as above).
absl::StatusOr<std::string> ExportArchive(const Engine& engine, absl::string_view request_id,
                                          absl::Time exported_at);

// Parses and verifies a bundle (format 2: the request's stream from its first
// event; format 1, from 0.1 and 0.2, as it was): every part against its
// manifest digest, the manifest complete, each event's hash against its
// content and the one before, no event missing, the head the bundle records,
// and the record and the lists against the fold of the events; and the
// bytes must be the canonical (deterministic) encoding of what they decode
// to, as ExportArchive writes it, so that every change of a byte is
// refused, not only those that change what they decode to. DATA_LOSS
// saying which part or which event (its version) is wrong and what was
// expected; FAILED_PRECONDITION for a format version this library does not
// read.
//
// What it cannot catch alone: a forger who rewrites an event and recomputes
// every later hash and every digest. Compare the bundle's head
// (archive.head_hash) with the one the engine or the host recorded.
absl::StatusOr<v1::ArchiveBundle> ReadArchive(absl::string_view bytes);

}  // namespace collabflow

#endif  // COLLABFLOW_ARCHIVE_H_
