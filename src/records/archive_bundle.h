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
#include "collabflow/v1/archive.pb.h"
#include "collabflow/v1/directory.pb.h"
#include "engine/journal/request_history.h"
#include "engine/state/directory_index.h"

namespace collabflow::internal {

inline constexpr int kArchiveFormatVersion = 1;

v1::ArchiveBundle BuildArchiveBundle(const RequestHistory& history, const v1::Directory& directory,
                                     const DirectoryIndex& directory_index,
                                     const Calendar& calendar, absl::Time exported_at);

// The manifest of `bundle` as it is (its own manifest ignored), sorted by name.
std::vector<v1::ManifestEntry> ComputeManifest(v1::ArchiveBundle& bundle);

// Every check of ReadArchive on a parsed bundle.
absl::Status VerifyArchiveBundle(v1::ArchiveBundle& bundle);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_RECORDS_ARCHIVE_BUNDLE_H_
