// The in-memory EventStore: a vector of records and the latest snapshot under
// one mutex. Same refusals as the directory store, no durability.
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collabflow/event_store.h"
#include "status_macros.h"
#include "store/record_size.h"

namespace collabflow {
namespace {

class MemoryStore final : public EventStore {
 public:
  absl::StatusOr<uint64_t> Append(absl::string_view payload) override {
    CFLOW_RETURN_IF_ERROR(internal::CheckRecordSize(payload.size()));
    std::lock_guard<std::mutex> l(mu_);
    if (closed_) return ClosedError();
    records_.emplace_back(payload);
    return records_.size();
  }

  uint64_t LastSequence() const override {
    std::lock_guard<std::mutex> l(mu_);
    return records_.size();
  }

  absl::Status ReadFrom(
      uint64_t after,
      absl::FunctionRef<absl::Status(uint64_t, absl::string_view)> fn) const override {
    uint64_t last = 0;
    {
      std::lock_guard<std::mutex> l(mu_);
      if (closed_) return ClosedError();
      last = records_.size();
    }
    if (after > last) {
      return absl::OutOfRangeError(
          absl::StrCat("ReadFrom(after=", after, "): the store's last sequence is ", last));
    }
    for (uint64_t seq = after + 1; seq <= last; ++seq) {
      std::string payload;
      {
        // Copied out so `fn` runs without the lock and may call back in.
        std::lock_guard<std::mutex> l(mu_);
        payload = records_[seq - 1];
      }
      CFLOW_RETURN_IF_ERROR(fn(seq, payload));
    }
    return absl::OkStatus();
  }

  absl::Status WriteSnapshot(uint64_t covers, absl::string_view state) override {
    std::lock_guard<std::mutex> l(mu_);
    if (closed_) return ClosedError();
    if (covers > records_.size()) {
      return absl::OutOfRangeError(absl::StrCat("WriteSnapshot: covers=", covers,
                                                " is past the last sequence ", records_.size()));
    }
    if (snapshot_.has_value() && covers < snapshot_->covers) {
      return absl::FailedPreconditionError(absl::StrCat("WriteSnapshot: covers=", covers,
                                                        " is older than the current snapshot's ",
                                                        snapshot_->covers));
    }
    snapshot_ = Snapshot{covers, std::string(state.data(), state.size())};
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<Snapshot>> LatestSnapshot() const override {
    std::lock_guard<std::mutex> l(mu_);
    if (closed_) return ClosedError();
    return snapshot_;
  }

  const RecoveryReport& recovery() const override { return report_; }

  absl::Status Close() override {
    std::lock_guard<std::mutex> l(mu_);
    closed_ = true;
    return absl::OkStatus();
  }

 private:
  static absl::Status ClosedError() {
    return absl::FailedPreconditionError("memory store is closed");
  }

  RecoveryReport report_;  // stays all zero
  mutable std::mutex mu_;  // guards the members below
  std::vector<std::string> records_;
  std::optional<Snapshot> snapshot_;
  bool closed_ = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<EventStore>> OpenMemoryStore() {
  return std::unique_ptr<EventStore>(std::make_unique<MemoryStore>());
}

}  // namespace collabflow
