// The store's manifest: what a directory store knows it holds, so that a
// store that had history never opens as an empty one. The journal is whole
// from its first record (a gap, or a first segment that does not start at
// position 1 or right after the snapshot, is damage the open finds), so
// what can go unnoticed is the newest segments going missing; the
// manifest names the newest segment the store has made durable, and the
// open refuses a journal that does not reach it.
//
// Format 1 (integers little-endian), 24 bytes:
//   magic "CFLOWMAN" | format version u32 | newest segment's first position u64 |
//   masked CRC32C of the preceding 20 bytes u32
// Named manifest.cfm; written as manifest.cfm.tmp, synced, renamed over the
// old one, and the directory synced, each time a segment is started (once
// the segment itself is durable) and at an open that finds it missing or
// behind (a store written before it, or a crash between the two). A store
// whose every file is gone, the manifest included, cannot be told from a
// new one.
//
// Stateless functions; thread-safe for distinct directories.
#ifndef COLLABFLOW_SRC_STORE_MANIFEST_FILE_H_
#define COLLABFLOW_SRC_STORE_MANIFEST_FILE_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "store/file_system.h"

namespace collabflow::internal {

inline constexpr char kManifestFileName[] = "manifest.cfm";

struct Manifest {
  uint64_t newest_segment = 0;  // its first position
};

// Writes dir/manifest.cfm durably, replacing the old one.
absl::Status WriteManifestFile(FileSystem* fs, const std::string& dir, const Manifest& manifest);

// The manifest in `dir`; nullopt if there is none. DATA_LOSS "<path> at
// offset <n>: ..." if it is damaged or not a regular file; FAILED_PRECONDITION
// for a format version this build does not know.
absl::StatusOr<std::optional<Manifest>> ReadManifestFile(FileSystem* fs, const std::string& dir);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_STORE_MANIFEST_FILE_H_
