#include "store/manifest_file.h"

#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "store/crc32c.h"
#include "store/fixed_coding.h"

namespace collabflow::internal {
namespace {

constexpr char kManifestMagic[] = "CFLOWMAN";
constexpr uint32_t kManifestFormatVersion = 1;
constexpr size_t kManifestBytes = 24;

absl::Status Damage(const std::string& path, uint64_t offset, absl::string_view what) {
  return absl::DataLossError(absl::StrCat(path, " at offset ", offset, ": ", what));
}

}  // namespace

absl::Status WriteManifestFile(FileSystem* fs, const std::string& dir, const Manifest& manifest) {
  std::string bytes(kManifestMagic, 8);
  PutFixed32(&bytes, kManifestFormatVersion);
  PutFixed64(&bytes, manifest.newest_segment);
  PutFixed32(&bytes, crc32c::Mask(crc32c::Value(bytes)));
  return ReplaceFileDurably(fs, dir, JoinPath(dir, kManifestFileName), bytes);
}

absl::StatusOr<std::optional<Manifest>> ReadManifestFile(FileSystem* fs, const std::string& dir) {
  const std::string path = JoinPath(dir, kManifestFileName);
  absl::StatusOr<std::string> read = ReadWholeFile(fs, path);
  if (absl::IsNotFound(read.status())) return std::optional<Manifest>();
  CFLOW_RETURN_IF_ERROR(read.status());
  const std::string& bytes = *read;
  if (bytes.size() != kManifestBytes) {
    return Damage(
        path, bytes.size() < kManifestBytes ? bytes.size() : kManifestBytes,
        absl::StrCat("a manifest is ", kManifestBytes, " bytes, this one ", bytes.size()));
  }
  if (std::memcmp(bytes.data(), kManifestMagic, 8) != 0) {
    return Damage(path, 0, "not a manifest (bad magic)");
  }
  if (crc32c::Unmask(DecodeFixed32(bytes.data() + 20)) != crc32c::Value(bytes.data(), 20)) {
    return Damage(path, 20, "manifest checksum mismatch");
  }
  const uint32_t version = DecodeFixed32(bytes.data() + 8);
  if (version != kManifestFormatVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, " at offset 8: manifest format version ", version, ", this build reads ",
                     kManifestFormatVersion));
  }
  Manifest manifest;
  manifest.newest_segment = DecodeFixed64(bytes.data() + 12);
  if (manifest.newest_segment == 0) return Damage(path, 12, "manifest names segment 0");
  return std::optional<Manifest>(manifest);
}

}  // namespace collabflow::internal
