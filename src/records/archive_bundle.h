// Building an archive bundle from one request's history, and the checks
// ReadArchive (collabflow/archive.h) runs over one.
//
// Thread safety: pure functions.
#ifndef COLLABFLOW_SRC_RECORDS_ARCHIVE_BUNDLE_H_
#define COLLABFLOW_SRC_RECORDS_ARCHIVE_BUNDLE_H_

#include <vector>

#include "absl/status/status.h"
#include "absl/time/time.h"
#include "collabflow/calendar.h"
#include "collabflow/request_history.h"
#include "collabflow/v1/archive.pb.h"
#include "engine/state/directory_index.h"

namespace collabflow::internal {

// Written: format 2, the request's own stream (its events from version 1,
// each linked to the one before). Read: 2, and 1 (collabflow 0.1 and 0.2:
// the request's events out of the engine's one chain, each with the hash of
// the event before it there).
inline constexpr int kArchiveFormatVersion = 2;
inline constexpr int kArchiveFormatVersion1 = 1;

// The time a bundle of `history` states when the caller names none: the
// archive command's time once archived, else the time of the last event.
absl::Time DefaultExportTime(const RequestHistory& history);

// The bundle of `history` exported at `exported_at`, with its directory
// indexed as `directory_index`. Depends on nothing else (no clock).
v1::ArchiveBundle BuildArchiveBundle(const RequestHistory& history,
                                     const DirectoryIndex& directory_index,
                                     const Calendar& calendar, absl::Time exported_at);

// The manifest of `bundle` as it is (its own manifest ignored), sorted by name.
std::vector<v1::ManifestEntry> ComputeManifest(v1::ArchiveBundle& bundle);

// Every check of ReadArchive on a parsed bundle.
absl::Status VerifyArchiveBundle(v1::ArchiveBundle& bundle);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_RECORDS_ARCHIVE_BUNDLE_H_
