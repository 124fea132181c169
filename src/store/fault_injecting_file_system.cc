#include "store/fault_injecting_file_system.h"

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <random>
#include <system_error>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace collabflow {
namespace {

using Calls = FaultPlan::Calls;
using Effect = FaultPlan::Effect;

// "a/b/c" -> ("a/b", "c"); the directory without trailing slashes.
std::pair<std::string, std::string> SplitPath(const std::string& path) {
  const size_t slash = path.rfind('/');
  if (slash == std::string::npos) return {".", path};
  std::string dir = path.substr(0, slash);
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  if (dir.empty()) dir = "/";
  return {dir, path.substr(slash + 1)};
}

std::string NormalizeDir(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}

}  // namespace

class FaultInjectingFileSystem::TrackedFile final : public WritableFile {
 public:
  TrackedFile(FaultInjectingFileSystem* fs, std::shared_ptr<FileState> state,
              std::unique_ptr<WritableFile> base)
      : fs_(fs), state_(std::move(state)), path_(state_->path), base_(std::move(base)) {}
  ~TrackedFile() override { fs_->TrackDestroyed(); }

  absl::Status Append(absl::string_view data) override {
    const auto d = fs_->Count(Calls::kWrite);
    if (d.fail) {
      if (d.effect == Effect::kShortWrite) {
        absl::Status s = base_->Append(data.substr(0, data.size() / 2));
        fs_->TrackAppend(state_.get(), base_->Size());
        CFLOW_RETURN_IF_ERROR(s);
      }
      return FaultInjectingFileSystem::InjectedError(d.effect, "write", path_);
    }
    absl::Status s = base_->Append(data);
    fs_->TrackAppend(state_.get(), base_->Size());  // on error a prefix may have landed
    return s;
  }
  absl::Status Sync() override {
    const auto d = fs_->Count(Calls::kSync);
    if (d.fail) return FaultInjectingFileSystem::InjectedError(d.effect, "fdatasync", path_);
    if (fs_->forward_syncs()) CFLOW_RETURN_IF_ERROR(base_->Sync());
    fs_->TrackSync(state_.get());
    return absl::OkStatus();
  }
  absl::Status Truncate(uint64_t size) override {
    const auto d = fs_->Count(Calls::kAnyMutation);
    if (d.fail) return FaultInjectingFileSystem::InjectedError(d.effect, "ftruncate", path_);
    CFLOW_RETURN_IF_ERROR(fs_->TrackTruncate(state_.get(), size));
    absl::Status s = base_->Truncate(size);
    fs_->TrackAppend(state_.get(), base_->Size());
    return s;
  }
  uint64_t Size() const override { return base_->Size(); }
  // Closing is not faulted: a store must always be able to let go of a file.
  absl::Status Close() override { return base_->Close(); }

 private:
  FaultInjectingFileSystem* const fs_;
  const std::shared_ptr<FileState> state_;
  const std::string path_;  // as opened, for messages
  const std::unique_ptr<WritableFile> base_;
};

class FaultInjectingFileSystem::TrackedLock final : public FileLock {
 public:
  TrackedLock(FaultInjectingFileSystem* fs, std::unique_ptr<FileLock> base)
      : fs_(fs), base_(std::move(base)) {}
  ~TrackedLock() override {
    base_.reset();
    fs_->TrackDestroyed();
  }

 private:
  FaultInjectingFileSystem* const fs_;
  std::unique_ptr<FileLock> base_;
};

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
  std::lock_guard<std::mutex> l(mu_);
  CFLOW_ASSIGN_OR_RETURN(std::optional<std::string> old, DurableContentLocked(path));
  CFLOW_ASSIGN_OR_RETURN(auto base, base_->NewWritableFile(path));
  auto state = std::make_shared<FileState>();
  state->path = path;
  if (old.has_value()) {
    // Truncating an existing file: until the next Sync its old bytes are
    // what the disk holds.
    state->durable_size = old->size();
    state->cut = std::move(*old);
  } else {
    auto [dir, name] = SplitPath(path);
    dir_ops_[dir].push_back(DirOp{DirOp::Kind::kCreate, name, {}, std::nullopt});
  }
  if (auto it = files_.find(path); it != files_.end()) it->second->path.clear();
  files_[path] = state;
  ++live_handles_;
  return std::make_unique<TrackedFile>(this, std::move(state), std::move(base));
}

absl::StatusOr<std::unique_ptr<WritableFile>> FaultInjectingFileSystem::OpenAppendableFile(
    const std::string& path) {
  CFLOW_FAULT_POINT("open", path);
  CFLOW_ASSIGN_OR_RETURN(auto base, base_->OpenAppendableFile(path));
  std::lock_guard<std::mutex> l(mu_);
  std::shared_ptr<FileState>& state = files_[path];
  if (state == nullptr) {
    // Not written since the last power loss: wholly durable.
    state = std::make_shared<FileState>();
    state->path = path;
    state->durable_size = state->intact = base->Size();
  }
  state->size = base->Size();
  ++live_handles_;
  return std::make_unique<TrackedFile>(this, state, std::move(base));
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
  CFLOW_RETURN_IF_ERROR(base_->CreateDir(dir));
  std::lock_guard<std::mutex> l(mu_);
  auto [parent, name] = SplitPath(NormalizeDir(dir));
  dir_ops_[parent].push_back(DirOp{DirOp::Kind::kMkdir, name, {}, std::nullopt});
  return absl::OkStatus();
}

absl::Status FaultInjectingFileSystem::RemoveFile(const std::string& path) {
  CFLOW_FAULT_POINT("unlink", path);
  std::lock_guard<std::mutex> l(mu_);
  CFLOW_ASSIGN_OR_RETURN(std::optional<std::string> content, DurableContentLocked(path));
  CFLOW_RETURN_IF_ERROR(base_->RemoveFile(path));
  if (auto it = files_.find(path); it != files_.end()) {
    it->second->path.clear();
    files_.erase(it);
  }
  auto [dir, name] = SplitPath(path);
  dir_ops_[dir].push_back(DirOp{DirOp::Kind::kRemove, name, {}, std::move(content)});
  return absl::OkStatus();
}

absl::Status FaultInjectingFileSystem::RenameFile(const std::string& from, const std::string& to) {
  CFLOW_FAULT_POINT("rename", from);
  auto [dir, from_name] = SplitPath(from);
  auto [to_dir, to_name] = SplitPath(to);
  if (dir != to_dir) {
    return absl::UnimplementedError(absl::StrCat(
        "FaultInjectingFileSystem: rename between directories (", from, " to ", to, ")"));
  }
  std::lock_guard<std::mutex> l(mu_);
  CFLOW_ASSIGN_OR_RETURN(std::optional<std::string> replaced, DurableContentLocked(to));
  CFLOW_RETURN_IF_ERROR(base_->RenameFile(from, to));
  if (auto it = files_.find(to); it != files_.end()) {
    it->second->path.clear();
    files_.erase(it);
  }
  if (auto it = files_.find(from); it != files_.end()) {
    std::shared_ptr<FileState> state = std::move(it->second);
    files_.erase(it);
    state->path = to;
    files_[to] = std::move(state);
  }
  dir_ops_[dir].push_back(DirOp{DirOp::Kind::kRename, from_name, to_name, std::move(replaced)});
  return absl::OkStatus();
}

absl::Status FaultInjectingFileSystem::SyncDir(const std::string& dir) {
  const auto d = Count(Calls::kSync);
  if (d.fail) return InjectedError(d.effect, "fsync directory", dir);
  if (forward_syncs()) CFLOW_RETURN_IF_ERROR(base_->SyncDir(dir));
  std::lock_guard<std::mutex> l(mu_);
  dir_ops_.erase(NormalizeDir(dir));
  return absl::OkStatus();
}

absl::Status FaultInjectingFileSystem::SyncFile(const std::string& path) {
  const auto d = Count(Calls::kSync);
  if (d.fail) return InjectedError(d.effect, "fdatasync", path);
  // What was appended before the call is durable after it: the size tracked
  // now (a handle tracks its appends after they reach the file), not the
  // size when the call returns (an append meanwhile may have missed it).
  std::shared_ptr<FileState> file;
  uint64_t size = 0;
  {
    std::lock_guard<std::mutex> l(mu_);
    if (auto it = files_.find(path); it != files_.end()) {
      file = it->second;
      size = file->size;
    }
  }
  if (forward_syncs()) CFLOW_RETURN_IF_ERROR(base_->SyncFile(path));
  if (file == nullptr) return absl::OkStatus();  // not written since: wholly durable
  std::lock_guard<std::mutex> l(mu_);
  if (size > file->durable_size && size <= file->size) {
    file->durable_size = file->intact = size;
    file->cut.clear();
  }
  return absl::OkStatus();
}

absl::StatusOr<std::unique_ptr<FileLock>> FaultInjectingFileSystem::LockFile(
    const std::string& path, absl::string_view holder) {
  CFLOW_FAULT_POINT("lock", path);
  std::lock_guard<std::mutex> l(mu_);
  const bool existed = base_->NewReadableFile(path).ok();
  CFLOW_ASSIGN_OR_RETURN(auto base, base_->LockFile(path, holder));
  if (!existed) {
    auto [dir, name] = SplitPath(path);
    dir_ops_[dir].push_back(DirOp{DirOp::Kind::kCreate, name, {}, std::nullopt});
  }
  ++live_handles_;
  return std::make_unique<TrackedLock>(this, std::move(base));
}

#undef CFLOW_FAULT_POINT

void FaultInjectingFileSystem::set_forward_syncs(bool forward) {
  std::lock_guard<std::mutex> l(mu_);
  forward_syncs_ = forward;
}

bool FaultInjectingFileSystem::forward_syncs() const {
  std::lock_guard<std::mutex> l(mu_);
  return forward_syncs_;
}

void FaultInjectingFileSystem::TrackAppend(FileState* file, uint64_t new_size) {
  std::lock_guard<std::mutex> l(mu_);
  file->size = new_size;
}

void FaultInjectingFileSystem::TrackSync(FileState* file) {
  std::lock_guard<std::mutex> l(mu_);
  file->durable_size = file->intact = file->size;
  file->cut.clear();
}

absl::Status FaultInjectingFileSystem::TrackTruncate(FileState* file, uint64_t new_size) {
  std::lock_guard<std::mutex> l(mu_);
  if (new_size >= file->intact || file->path.empty()) return absl::OkStatus();
  // The durable bytes [new_size, intact) are still in the file: keep them.
  CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<ReadableFile> reader, base_->NewReadableFile(file->path));
  std::string saved(file->intact - new_size, '\0');
  CFLOW_ASSIGN_OR_RETURN(const size_t n, reader->Read(new_size, saved.size(), saved.data()));
  if (n != saved.size()) {
    return absl::InternalError(absl::StrCat("FaultInjectingFileSystem: ", file->path,
                                            " is shorter than its tracked durable size"));
  }
  file->cut.insert(0, saved);
  file->intact = new_size;
  return absl::OkStatus();
}

void FaultInjectingFileSystem::TrackDestroyed() {
  std::lock_guard<std::mutex> l(mu_);
  --live_handles_;
}

absl::StatusOr<std::optional<std::string>> FaultInjectingFileSystem::DurableContentLocked(
    const std::string& path) {
  absl::StatusOr<std::string> bytes = ReadWholeFile(base_, path);
  if (absl::IsNotFound(bytes.status())) return std::optional<std::string>();
  if (!bytes.ok()) return bytes.status();
  auto it = files_.find(path);
  if (it == files_.end()) return std::optional<std::string>(std::move(*bytes));
  const FileState& file = *it->second;
  bytes->resize(std::min<uint64_t>(bytes->size(), file.intact));
  bytes->append(file.cut);
  return std::optional<std::string>(std::move(*bytes));
}

absl::Status FaultInjectingFileSystem::WriteBaseFile(const std::string& path,
                                                     absl::string_view content) {
  CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> file, base_->NewWritableFile(path));
  CFLOW_RETURN_IF_ERROR(file->Append(content));
  return file->Close();
}

absl::Status FaultInjectingFileSystem::UndoLocked(const std::string& dir, const DirOp& op) {
  const std::string path = JoinPath(dir, op.name);
  switch (op.kind) {
    case DirOp::Kind::kCreate: {
      if (absl::Status s = base_->RemoveFile(path); !s.ok() && !absl::IsNotFound(s)) return s;
      if (auto it = files_.find(path); it != files_.end()) {
        it->second->path.clear();
        files_.erase(it);
      }
      return absl::OkStatus();
    }
    case DirOp::Kind::kMkdir: {
      // The FileSystem interface has no rmdir; the base is the real one here.
      std::error_code ec;
      std::filesystem::remove_all(path, ec);
      if (ec) return absl::InternalError(absl::StrCat("remove_all ", path, ": ", ec.message()));
      const std::string inside = absl::StrCat(path, "/");
      for (auto it = files_.lower_bound(inside);
           it != files_.end() && absl::StartsWith(it->first, inside);) {
        it->second->path.clear();
        it = files_.erase(it);
      }
      return absl::OkStatus();
    }
    case DirOp::Kind::kRemove:
      return op.content.has_value() ? WriteBaseFile(path, *op.content) : absl::OkStatus();
    case DirOp::Kind::kRename: {
      const std::string to = JoinPath(dir, op.to);
      CFLOW_RETURN_IF_ERROR(base_->RenameFile(to, path));
      if (auto it = files_.find(to); it != files_.end()) {
        std::shared_ptr<FileState> state = std::move(it->second);
        files_.erase(it);
        state->path = path;
        files_[path] = std::move(state);
      }
      if (op.content.has_value()) CFLOW_RETURN_IF_ERROR(WriteBaseFile(to, *op.content));
      return absl::OkStatus();
    }
  }
  return absl::OkStatus();
}

absl::Status FaultInjectingFileSystem::SimulatePowerLoss(PowerLoss mode, uint64_t seed) {
  std::lock_guard<std::mutex> l(mu_);
  if (live_handles_ != 0) {
    return absl::FailedPreconditionError(
        absl::StrCat("SimulatePowerLoss: ", live_handles_,
                     " files or locks are still open (destroy the store first)"));
  }
  std::mt19937_64 rng(seed);
  const bool keep_some = mode == PowerLoss::kKeepSomeUnsynced;
  // Names first. Deepest directories first: a directory sorts before
  // everything inside it, so an undone CreateDir comes after its contents.
  for (auto it = dir_ops_.rbegin(); it != dir_ops_.rend(); ++it) {
    const std::vector<DirOp>& ops = it->second;
    const size_t kept = keep_some ? static_cast<size_t>(rng() % (ops.size() + 1)) : 0;
    for (size_t i = ops.size(); i-- > kept;) CFLOW_RETURN_IF_ERROR(UndoLocked(it->first, ops[i]));
  }
  dir_ops_.clear();
  // Then the data of each file at its surviving name.
  for (const auto& [path, file] : files_) {
    CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<WritableFile> out, base_->OpenAppendableFile(path));
    if (file->intact < file->durable_size) {
      // Truncated since its last sync: the cut comes back, nothing after it.
      CFLOW_RETURN_IF_ERROR(out->Truncate(file->intact));
      CFLOW_RETURN_IF_ERROR(out->Append(file->cut));
    } else {
      const uint64_t unsynced =
          file->size > file->durable_size ? file->size - file->durable_size : 0;
      uint64_t kept = 0;
      if (keep_some && unsynced > 0) {
        // None, all, or a torn prefix, alike: a uniform length alone would
        // almost never keep a whole record.
        const uint64_t choice = rng() % 3;
        kept = choice == 0 ? 0 : choice == 1 ? unsynced : rng() % (unsynced + 1);
      }
      if (out->Size() > file->durable_size + kept) {
        CFLOW_RETURN_IF_ERROR(out->Truncate(file->durable_size + kept));
      }
    }
    CFLOW_RETURN_IF_ERROR(out->Close());
  }
  for (const auto& entry : files_) entry.second->path.clear();
  files_.clear();
  return absl::OkStatus();
}

}  // namespace collabflow
