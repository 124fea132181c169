#include "store/fault_injecting_file_system.h"

#include <cerrno>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace collabflow {
namespace {

using Calls = FaultPlan::Calls;
using Effect = FaultPlan::Effect;

class FaultyWritableFile final : public WritableFile {
 public:
  FaultyWritableFile(FaultInjectingFileSystem* fs, std::string path,
                     std::unique_ptr<WritableFile> base)
      : fs_(fs), path_(std::move(path)), base_(std::move(base)) {}

  absl::Status Append(absl::string_view data) override {
    const auto d = fs_->Count(Calls::kWrite);
    if (d.fail) {
      if (d.effect == Effect::kShortWrite) {
        CFLOW_RETURN_IF_ERROR(base_->Append(data.substr(0, data.size() / 2)));
      }
      return FaultInjectingFileSystem::InjectedError(d.effect, "write", path_);
    }
    return base_->Append(data);
  }
  absl::Status Sync() override {
    const auto d = fs_->Count(Calls::kSync);
    if (d.fail) return FaultInjectingFileSystem::InjectedError(d.effect, "fdatasync", path_);
    return base_->Sync();
  }
  absl::Status Truncate(uint64_t size) override {
    const auto d = fs_->Count(Calls::kAnyMutation);
    if (d.fail) return FaultInjectingFileSystem::InjectedError(d.effect, "ftruncate", path_);
    return base_->Truncate(size);
  }
  uint64_t Size() const override { return base_->Size(); }
  // Closing is not faulted: a store must always be able to let go of a file.
  absl::Status Close() override { return base_->Close(); }

 private:
  FaultInjectingFileSystem* const fs_;
  const std::string path_;
  const std::unique_ptr<WritableFile> base_;
};

}  // namespace

FaultInjectingFileSystem::FaultInjectingFileSystem(FileSystem* base) : base_(base) {}

void FaultInjectingFileSystem::Arm(const FaultPlan& plan) {
  std::lock_guard<std::mutex> l(mu_);
  plan_ = plan;
  armed_ = true;
  counted_ = 0;
  injected_ = 0;
}

void FaultInjectingFileSystem::Disarm() {
  std::lock_guard<std::mutex> l(mu_);
  armed_ = false;
}

uint64_t FaultInjectingFileSystem::counted_calls() const {
  std::lock_guard<std::mutex> l(mu_);
  return counted_;
}

uint64_t FaultInjectingFileSystem::faults_injected() const {
  std::lock_guard<std::mutex> l(mu_);
  return injected_;
}

FaultInjectingFileSystem::Decision FaultInjectingFileSystem::Count(Calls kind) {
  std::lock_guard<std::mutex> l(mu_);
  if (plan_.calls != Calls::kAnyMutation && plan_.calls != kind) return {};
  ++counted_;
  if (!armed_ || plan_.nth == 0) return {};
  const bool fail = plan_.persistent ? counted_ >= plan_.nth : counted_ == plan_.nth;
  if (!fail) return {};
  ++injected_;
  return {true, plan_.effect};
}

absl::Status FaultInjectingFileSystem::InjectedError(Effect effect, absl::string_view what,
                                                     absl::string_view path) {
  const int err = effect == Effect::kNoSpace ? ENOSPC : EIO;
  return absl::ErrnoToStatus(err, absl::StrCat("injected fault: ", what, " ", path));
}

#define CFLOW_FAULT_POINT(what, path)                         \
  do {                                                        \
    const auto _d = Count(Calls::kAnyMutation);               \
    if (_d.fail) return InjectedError(_d.effect, what, path); \
  } while (0)

absl::StatusOr<std::unique_ptr<WritableFile>> FaultInjectingFileSystem::NewWritableFile(
    const std::string& path) {
  CFLOW_FAULT_POINT("create", path);
  CFLOW_ASSIGN_OR_RETURN(auto base, base_->NewWritableFile(path));
  return std::make_unique<FaultyWritableFile>(this, path, std::move(base));
}

absl::StatusOr<std::unique_ptr<WritableFile>> FaultInjectingFileSystem::OpenAppendableFile(
    const std::string& path) {
  CFLOW_FAULT_POINT("open", path);
  CFLOW_ASSIGN_OR_RETURN(auto base, base_->OpenAppendableFile(path));
  return std::make_unique<FaultyWritableFile>(this, path, std::move(base));
}

absl::StatusOr<std::unique_ptr<ReadableFile>> FaultInjectingFileSystem::NewReadableFile(
    const std::string& path) {
  return base_->NewReadableFile(path);
}

absl::StatusOr<std::vector<std::string>> FaultInjectingFileSystem::ListDir(const std::string& dir) {
  return base_->ListDir(dir);
}

absl::Status FaultInjectingFileSystem::DirExists(const std::string& dir) {
  return base_->DirExists(dir);
}

absl::Status FaultInjectingFileSystem::CreateDir(const std::string& dir) {
  CFLOW_FAULT_POINT("mkdir", dir);
  return base_->CreateDir(dir);
}

absl::Status FaultInjectingFileSystem::RemoveFile(const std::string& path) {
  CFLOW_FAULT_POINT("unlink", path);
  return base_->RemoveFile(path);
}

absl::Status FaultInjectingFileSystem::RenameFile(const std::string& from, const std::string& to) {
  CFLOW_FAULT_POINT("rename", from);
  return base_->RenameFile(from, to);
}

absl::Status FaultInjectingFileSystem::SyncDir(const std::string& dir) {
  const auto d = Count(Calls::kSync);
  if (d.fail) return InjectedError(d.effect, "fsync directory", dir);
  return base_->SyncDir(dir);
}

absl::StatusOr<std::unique_ptr<FileLock>> FaultInjectingFileSystem::LockFile(
    const std::string& path, absl::string_view holder) {
  CFLOW_FAULT_POINT("lock", path);
  return base_->LockFile(path, holder);
}

#undef CFLOW_FAULT_POINT

}  // namespace collabflow
