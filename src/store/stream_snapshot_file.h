// A stream snapshot of the directory store (EventStore::WriteStreamSnapshot):
// streams/<SHA-256 of the stream's name, hex>.cfq, one per stream.
//
// Format (little-endian; CRCs masked CRC32C as in LevelDB): "CFLOWSSN",
// format version u32, the stream's version it covers u64, name length u32,
// state length u64, header CRC u32 (over the 32 bytes before it), the name,
// the state, CRC u32 over everything before it. Written to <name>.tmp and
// renamed over the previous one, without a sync: a crash may lose it, or
// leave it short or zeroed, which the checks find (and the reader then reads
// the whole stream).
#ifndef COLLABFLOW_SRC_STORE_STREAM_SNAPSHOT_FILE_H_
#define COLLABFLOW_SRC_STORE_STREAM_SNAPSHOT_FILE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collabflow/event_store.h"
#include "store/file_system.h"

namespace collabflow::internal {

// The subdirectory of the store's directory that holds them.
inline constexpr absl::string_view kStreamSnapshotDir = "streams";

// The file's path in the store's directory `dir`.
std::string StreamSnapshotPath(absl::string_view dir, absl::string_view stream);

// Writes the snapshot of `stream` through `version` (the directory
// kStreamSnapshotDir exists).
absl::Status WriteStreamSnapshotFile(FileSystem* fs, absl::string_view dir,
                                     absl::string_view stream, uint64_t version,
                                     absl::string_view state);

// The snapshot of `stream`; nullopt if there is no file. DATA_LOSS naming
// the file and offset if it is damaged, from a future format, or another
// stream's.
absl::StatusOr<std::optional<EventStore::StreamSnapshot>> ReadStreamSnapshotFile(
    FileSystem* fs, absl::string_view dir, absl::string_view stream);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_STORE_STREAM_SNAPSHOT_FILE_H_
