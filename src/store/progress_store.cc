#include "store/progress_store.h"

#include <algorithm>
#include <utility>

namespace collabflow {

namespace {

class ProgressStore final : public EventStore {
 public:
  ProgressStore(std::unique_ptr<EventStore> store, ReadProgress progress)
      : store_(std::move(store)), progress_(std::move(progress)) {}

  absl::StatusOr<uint64_t> Append(absl::string_view stream, uint64_t expected_version,
                                  absl::string_view payload) override {
    return store_->Append(stream, expected_version, payload);
  }
  // The two-phase append goes to the wrapped store too (its group commit).
  absl::StatusOr<std::unique_ptr<PendingRecord>> Enqueue(absl::string_view stream,
                                                         uint64_t expected_version,
                                                         std::string payload) override {
    return store_->Enqueue(stream, expected_version, std::move(payload));
  }
  absl::StatusOr<uint64_t> Wait(std::unique_ptr<PendingRecord> pending) override {
    return store_->Wait(std::move(pending));
  }
  uint64_t LastPosition() const override { return store_->LastPosition(); }

  // A pass over the journal is reported; one stream's records are not (a
  // stream is short: its read takes no noticeable time).
  absl::Status ReadStream(absl::string_view stream, uint64_t after,
                          absl::FunctionRef<absl::Status(const StoredRecord&)> fn) const override {
    return store_->ReadStream(stream, after, fn);
  }
  absl::Status ReadAll(uint64_t after,
                       absl::FunctionRef<absl::Status(const StoredRecord&)> fn) const override {
    const uint64_t last = store_->LastPosition();
    const uint64_t total = last > after ? last - after : 0;
    // About 100 reports per pass, whatever the journal's size: the callback
    // may draw on a terminal or cross into a foreign runtime. None before the
    // first record: a reader that stops at once (a probe) reports nothing.
    const uint64_t step = std::max<uint64_t>(1, total / 100 + (total % 100 != 0 ? 1 : 0));
    return store_->ReadAll(after, [&](const StoredRecord& record) {
      if (auto s = fn(record); !s.ok()) return s;
      const uint64_t done = record.position - after;
      if (done <= total && (done % step == 0 || done == total)) return progress_(done, total);
      return absl::OkStatus();
    });
  }

  absl::Status WriteSnapshot(uint64_t covers, absl::string_view state) override {
    return store_->WriteSnapshot(covers, state);
  }
  absl::StatusOr<std::optional<Snapshot>> LatestSnapshot() const override {
    return store_->LatestSnapshot();
  }
  absl::Status WriteStreamSnapshot(absl::string_view stream, uint64_t version,
                                   absl::string_view state) override {
    return store_->WriteStreamSnapshot(stream, version, state);
  }
  absl::StatusOr<std::optional<StreamSnapshot>> ReadStreamSnapshot(
      absl::string_view stream) const override {
    return store_->ReadStreamSnapshot(stream);
  }
  const RecoveryReport& recovery() const override { return store_->recovery(); }
  bool shared() const override { return store_->shared(); }
  void SetAppendListener(std::function<void(uint64_t)> fn) override {
    store_->SetAppendListener(std::move(fn));
  }
  absl::Status Close() override { return store_->Close(); }

 private:
  std::unique_ptr<EventStore> store_;
  ReadProgress progress_;
};

}  // namespace

std::unique_ptr<EventStore> WithReadProgress(std::unique_ptr<EventStore> store,
                                             ReadProgress progress) {
  if (!progress) return store;
  return std::make_unique<ProgressStore>(std::move(store), std::move(progress));
}

}  // namespace collabflow
