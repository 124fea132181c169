// Reading an archive bundle back (the bytes Engine::ExportArchive returns).
//
// Thread safety: a pure function; call it from any thread.
#ifndef COLLABFLOW_ARCHIVE_H_
#define COLLABFLOW_ARCHIVE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collabflow/v1/archive.pb.h"

namespace collabflow {

// Parses and verifies a bundle: every part against its manifest digest, the
// manifest complete, each event's hash against its content and its link, the
// links between consecutive events, the head the bundle records, and the
// record and the lists against the fold of the events. DATA_LOSS saying which
// part or which event (sequence number) is wrong and what was expected;
// FAILED_PRECONDITION for a format version this library does not read.
//
// What it cannot catch alone: a forger who rewrites an event and recomputes
// every later hash and every digest. Compare the bundle's head
// (archive.head_hash) with the one the engine or the host recorded.
absl::StatusOr<v1::ArchiveBundle> ReadArchive(absl::string_view bytes);

}  // namespace collabflow

#endif  // COLLABFLOW_ARCHIVE_H_
