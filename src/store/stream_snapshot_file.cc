#include "store/stream_snapshot_file.h"

#include <memory>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "store/crc32c.h"
#include "store/fixed_coding.h"
#include "store/snapshot_file.h"

namespace collabflow::internal {
namespace {

constexpr char kMagic[] = "CFLOWSSN";
constexpr uint32_t kFormatVersion = 1;
constexpr size_t kHeaderBytes = 36;  // magic 8, format 4, version 8, name 4, state 8, CRC 4
constexpr size_t kTrailerBytes = 4;

absl::Status Damage(const std::string& path, uint64_t offset, absl::string_view what) {
  return absl::DataLossError(absl::StrCat(path, " at offset ", offset, ": ", what));
}

}  // namespace

std::string StreamSnapshotPath(absl::string_view dir, absl::string_view stream) {
  return JoinPath(JoinPath(dir, kStreamSnapshotDir), absl::StrCat(Sha256Hex(stream), ".cfq"));
}

absl::Status WriteStreamSnapshotFile(FileSystem* fs, absl::string_view dir,
                                     absl::string_view stream, uint64_t version,
                                     absl::string_view state) {
  std::string bytes;
  bytes.reserve(kHeaderBytes + stream.size() + state.size() + kTrailerBytes);
  bytes.append(kMagic, 8);
  PutFixed32(&bytes, kFormatVersion);
  PutFixed64(&bytes, version);
  PutFixed32(&bytes, static_cast<uint32_t>(stream.size()));
  PutFixed64(&bytes, state.size());
  PutFixed32(&bytes, crc32c::Mask(crc32c::Value(bytes.data(), kHeaderBytes - 4)));
  bytes.append(stream.data(), stream.size());
  bytes.append(state.data(), state.size());
  PutFixed32(&bytes, crc32c::Mask(crc32c::Value(bytes)));

  const std::string path = StreamSnapshotPath(dir, stream);
  const std::string temp = absl::StrCat(path, kTempSuffix);
  absl::Status s = [&]() -> absl::Status {
    CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, fs->NewWritableFile(temp));
    CFLOW_RETURN_IF_ERROR(file->Append(bytes));
    return file->Close();
  }();
  if (s.ok()) s = fs->RenameFile(temp, path);
  if (!s.ok()) fs->RemoveFile(temp).IgnoreError();
  return s;
}

absl::StatusOr<std::optional<EventStore::StreamSnapshot>> ReadStreamSnapshotFile(
    FileSystem* fs, absl::string_view dir, absl::string_view stream) {
  const std::string path = StreamSnapshotPath(dir, stream);
  absl::StatusOr<std::string> read = ReadWholeFile(fs, path);
  if (absl::IsNotFound(read.status())) return std::nullopt;
  if (!read.ok()) return read.status();
  const std::string& bytes = *read;
  if (bytes.size() < kHeaderBytes + kTrailerBytes) {
    return Damage(path, bytes.size(), "stream snapshot shorter than its header");
  }
  if (bytes.compare(0, 8, kMagic, 8) != 0) return Damage(path, 0, "not a stream snapshot");
  if (DecodeFixed32(bytes.data() + kHeaderBytes - 4) !=
      crc32c::Mask(crc32c::Value(bytes.data(), kHeaderBytes - 4))) {
    return Damage(path, kHeaderBytes - 4, "header checksum mismatch");
  }
  const uint32_t format = DecodeFixed32(bytes.data() + 8);
  if (format != kFormatVersion) {
    return Damage(path, 8,
                  absl::StrCat("stream snapshot format ", format, " (this build reads ",
                               kFormatVersion, ")"));
  }
  EventStore::StreamSnapshot snapshot;
  snapshot.version = DecodeFixed64(bytes.data() + 12);
  const uint64_t name_size = DecodeFixed32(bytes.data() + 20);
  const uint64_t state_size = DecodeFixed64(bytes.data() + 24);
  if (name_size > bytes.size() || state_size > bytes.size() ||
      kHeaderBytes + name_size + state_size + kTrailerBytes != bytes.size()) {
    return Damage(path, 20, "lengths disagree with the file's size");
  }
  const size_t end = bytes.size() - kTrailerBytes;
  if (DecodeFixed32(bytes.data() + end) != crc32c::Mask(crc32c::Value(bytes.data(), end))) {
    return Damage(path, end, "checksum mismatch");
  }
  if (absl::string_view(bytes.data() + kHeaderBytes, name_size) != stream) {
    return Damage(path, kHeaderBytes, "the snapshot of another stream");
  }
  snapshot.state = bytes.substr(kHeaderBytes + name_size, state_size);
  return snapshot;
}

}  // namespace collabflow::internal
