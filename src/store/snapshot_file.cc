#include "store/snapshot_file.h"

#include <algorithm>
#include <cstring>
#include <memory>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "store/crc32c.h"
#include "store/fixed_coding.h"
#include "store/numbered_file_name.h"

namespace collabflow::internal {
namespace {

constexpr char kSnapshotMagic[] = "CFLOWSNP";
constexpr uint32_t kSnapshotFormatVersion = 2;
constexpr uint32_t kSnapshotFormatVersion1 = 1;  // read
constexpr size_t kHeaderBytes = 32;
constexpr size_t kTrailerBytes = 4;
constexpr absl::string_view kPrefix = "snapshot-";
constexpr absl::string_view kSuffix = ".cfs";

absl::Status Damage(const std::string& path, uint64_t offset, absl::string_view what) {
  return absl::DataLossError(absl::StrCat(path, " at offset ", offset, ": ", what));
}

}  // namespace

std::string SnapshotFileName(uint64_t covers) { return NumberedFileName(kPrefix, covers, kSuffix); }

std::optional<uint64_t> ParseSnapshotFileName(absl::string_view name) {
  return ParseNumberedFileName(name, kPrefix, kSuffix);
}

absl::Status WriteSnapshotFile(FileSystem* fs, const std::string& dir, uint64_t covers,
                               absl::string_view state, bool* disk_state_unknown) {
  *disk_state_unknown = false;
  std::string bytes;
  bytes.reserve(kHeaderBytes + state.size() + kTrailerBytes);
  bytes.append(kSnapshotMagic, 8);
  PutFixed32(&bytes, kSnapshotFormatVersion);
  PutFixed64(&bytes, covers);
  PutFixed64(&bytes, state.size());
  PutFixed32(&bytes, crc32c::Mask(crc32c::Value(bytes.data(), 28)));
  bytes.append(state.data(), state.size());
  PutFixed32(&bytes, crc32c::Mask(crc32c::Value(bytes)));

  const std::string final_path = JoinPath(dir, SnapshotFileName(covers));
  const std::string temp_path = absl::StrCat(final_path, kTempSuffix);
  absl::Status s = [&]() -> absl::Status {
    CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, fs->NewWritableFile(temp_path));
    CFLOW_RETURN_IF_ERROR(file->Append(bytes));
    if (absl::Status sync = file->Sync(); !sync.ok()) {
      *disk_state_unknown = true;
      return sync;
    }
    return file->Close();
  }();
  if (!s.ok()) {
    fs->RemoveFile(temp_path).IgnoreError();  // leftovers are removed at the next open anyway
    return s;
  }
  if (s = fs->RenameFile(temp_path, final_path); !s.ok()) {
    fs->RemoveFile(temp_path).IgnoreError();
    return s;
  }
  if (s = fs->SyncDir(dir); !s.ok()) *disk_state_unknown = true;
  return s;
}

namespace {

// Reads a snapshot file's header into `header` and checks its magic and
// checksum.
absl::Status ReadCheckedHeader(const ReadableFile& file, const std::string& path,
                               char (&header)[kHeaderBytes]) {
  CFLOW_ASSIGN_OR_RETURN(const size_t got, file.Read(0, kHeaderBytes, header));
  if (got != kHeaderBytes) return Damage(path, got, "snapshot shorter than its header");
  if (std::memcmp(header, kSnapshotMagic, 8) != 0) {
    return Damage(path, 0, "not a snapshot (bad magic)");
  }
  if (crc32c::Unmask(DecodeFixed32(header + 28)) != crc32c::Value(header, 28)) {
    return Damage(path, 28, "snapshot header checksum mismatch");
  }
  return absl::OkStatus();
}

// A snapshot file opened, its header checked.
struct OpenedSnapshot {
  std::unique_ptr<ReadableFile> file;
  char header[kHeaderBytes];
  uint64_t length = 0;  // of the state
  uint32_t format = 0;
};

absl::StatusOr<OpenedSnapshot> OpenSnapshot(FileSystem* fs, const std::string& path,
                                            uint64_t covers) {
  OpenedSnapshot opened;
  CFLOW_ASSIGN_OR_RETURN(opened.file, fs->NewReadableFile(path));
  CFLOW_ASSIGN_OR_RETURN(const uint64_t size, opened.file->Size());
  if (size < kHeaderBytes + kTrailerBytes) {
    return Damage(path, size, "snapshot shorter than its header");
  }
  CFLOW_RETURN_IF_ERROR(ReadCheckedHeader(*opened.file, path, opened.header));
  const char* header = opened.header;
  opened.format = DecodeFixed32(header + 8);
  if (opened.format != kSnapshotFormatVersion && opened.format != kSnapshotFormatVersion1) {
    return Damage(path, 8, absl::StrCat("unsupported snapshot format version ", opened.format));
  }
  if (DecodeFixed64(header + 12) != covers) {
    return Damage(
        path, 12,
        absl::StrCat("snapshot covers ", DecodeFixed64(header + 12), ", its name says ", covers));
  }
  opened.length = DecodeFixed64(header + 20);
  if (opened.length != size - kHeaderBytes - kTrailerBytes) {
    return Damage(path, size,
                  absl::StrCat("snapshot holds ", size, " bytes, its header implies ",
                               opened.length + kHeaderBytes + kTrailerBytes));
  }
  return opened;
}

// Checks the trailer against the checksum of the header and the state.
absl::Status CheckTrailer(const OpenedSnapshot& opened, const std::string& path,
                          uint32_t state_crc_from_header) {
  char trailer[kTrailerBytes];
  CFLOW_ASSIGN_OR_RETURN(const size_t got,
                         opened.file->Read(kHeaderBytes + opened.length, kTrailerBytes, trailer));
  if (got != kTrailerBytes) {
    return Damage(path, kHeaderBytes + opened.length + got,
                  "snapshot shorter than its header says");
  }
  if (crc32c::Unmask(DecodeFixed32(trailer)) != state_crc_from_header) {
    return Damage(path, kHeaderBytes, "snapshot state checksum mismatch");
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<std::string> ReadSnapshotFile(FileSystem* fs, const std::string& path,
                                             uint64_t covers, uint32_t* format) {
  // The state straight into the string returned (a snapshot may be a
  // hundred megabytes: no second copy).
  CFLOW_ASSIGN_OR_RETURN(const OpenedSnapshot opened, OpenSnapshot(fs, path, covers));
  std::string state(opened.length, '\0');
  CFLOW_ASSIGN_OR_RETURN(const size_t got,
                         opened.file->Read(kHeaderBytes, opened.length, state.data()));
  if (got != opened.length) {
    return Damage(path, kHeaderBytes + got, "snapshot shorter than its header says");
  }
  CFLOW_RETURN_IF_ERROR(CheckTrailer(
      opened, path,
      crc32c::Extend(crc32c::Value(opened.header, kHeaderBytes), state.data(), opened.length)));
  if (format != nullptr) *format = opened.format;
  return state;
}

absl::StatusOr<uint32_t> ReadSnapshotFormat(FileSystem* fs, const std::string& path) {
  CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<ReadableFile> file, fs->NewReadableFile(path));
  char header[kHeaderBytes];
  CFLOW_RETURN_IF_ERROR(ReadCheckedHeader(*file, path, header));
  return DecodeFixed32(header + 8);
}

absl::Status VerifySnapshotFile(FileSystem* fs, const std::string& path, uint64_t covers) {
  CFLOW_ASSIGN_OR_RETURN(const OpenedSnapshot opened, OpenSnapshot(fs, path, covers));
  constexpr size_t kChunk = size_t{1} << 20;
  std::unique_ptr<char[]> chunk(new char[kChunk]);
  uint32_t crc = crc32c::Value(opened.header, kHeaderBytes);
  for (uint64_t at = 0; at < opened.length;) {
    const size_t n = static_cast<size_t>(std::min<uint64_t>(kChunk, opened.length - at));
    CFLOW_ASSIGN_OR_RETURN(const size_t got, opened.file->Read(kHeaderBytes + at, n, chunk.get()));
    if (got != n)
      return Damage(path, kHeaderBytes + at + got, "snapshot shorter than its header says");
    crc = crc32c::Extend(crc, chunk.get(), n);
    at += n;
  }
  return CheckTrailer(opened, path, crc);
}

}  // namespace collabflow::internal
