// Snapshot files: the folded state covering every record up to a position,
// written atomically. Stateless functions; thread-safe for distinct paths.
// Format version 2 is written; 1 (collabflow 0.1 and 0.2, whose state is
// the engine's format 1) is read.
//
// Format (integers little-endian):
//   magic "CFLOWSNP" | format version u32 | covers u64 | state length u64 |
//   masked CRC32C of the preceding 28 bytes u32 | state |
//   masked CRC32C of everything before u32
// Named snapshot-<covers, 20 digits>.cfs; written as <name>.tmp, fsynced,
// renamed into place, then the directory fsynced, so a crash leaves either
// the old set of snapshots or the new one, never a partial file by that name.
#ifndef COLLABFLOW_SRC_STORE_SNAPSHOT_FILE_H_
#define COLLABFLOW_SRC_STORE_SNAPSHOT_FILE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "store/file_system.h"

namespace collabflow::internal {

std::string SnapshotFileName(uint64_t covers);
std::optional<uint64_t> ParseSnapshotFileName(absl::string_view name);

// Writes dir/SnapshotFileName(covers) durably. On failure the temp file is
// removed when possible; `*disk_state_unknown` is set when the failure was a
// sync or came after the rename (the caller cannot know what is on disk and
// must treat it like a failed fsync).
absl::Status WriteSnapshotFile(FileSystem* fs, const std::string& dir, uint64_t covers,
                               absl::string_view state, bool* disk_state_unknown);

// Reads and verifies a snapshot file; DATA_LOSS "<path> at offset <n>: ..." if
// any byte is wrong or its covered position differs from `covers` (its name).
// `*format` (if given) receives its format version.
absl::StatusOr<std::string> ReadSnapshotFile(FileSystem* fs, const std::string& path,
                                             uint64_t covers, uint32_t* format = nullptr);

// Checks a snapshot file as ReadSnapshotFile does, reading its state a piece
// at a time (nothing of its size is held).
absl::Status VerifySnapshotFile(FileSystem* fs, const std::string& path, uint64_t covers);

// The format version in a snapshot file's header, whose magic and checksum
// hold (the state is not read); DATA_LOSS otherwise.
absl::StatusOr<uint32_t> ReadSnapshotFormat(FileSystem* fs, const std::string& path);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_STORE_SNAPSHOT_FILE_H_
