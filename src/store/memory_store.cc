// The in-memory EventStore: records packed end to end into large blocks that
// never move, each linked to its stream's record before it, each stream's
// version and last record, and the latest snapshot, under one mutex. Same refusals as the directory
// store, no durability.
//
// An append copies the record into the current block: no allocation per
// record (a block holds thousands), and the memory the journal grows into is
// touched in order. A record never moves once written, so ReadAll hands
// out views of the blocks instead of copies.
#include <algorithm>
#include <cstring>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/node_hash_map.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "collabflow/event_store.h"
#include "store/record_size.h"
#include "store/stream_append.h"

namespace collabflow {
namespace {

class MemoryStore final : public EventStore {
 public:
  absl::StatusOr<uint64_t> Append(absl::string_view stream, uint64_t expected_version,
                                  absl::string_view payload) override {
    CFLOW_RETURN_IF_ERROR(internal::CheckStreamName(stream));
    CFLOW_RETURN_IF_ERROR(internal::CheckRecordSize(payload.size()));
    std::lock_guard<std::mutex> l(mu_);
    if (closed_) return ClosedError();
    auto found = streams_.find(stream);
    const uint64_t version = found == streams_.end() ? 0 : found->second.version;
    CFLOW_RETURN_IF_ERROR(internal::CheckExpectedVersion(stream, expected_version, version));
    if (found == streams_.end()) found = streams_.try_emplace(std::string(stream)).first;
    if (payload.size() > block_room_) {
      const size_t size = std::max(kBlockBytes, payload.size());
      blocks_.emplace_back(new char[size]);  // not zeroed: written before read
      block_end_ = blocks_.back().get();
      block_room_ = size;
    }
    if (!payload.empty()) std::memcpy(block_end_, payload.data(), payload.size());
    records_.push_back(Record{absl::string_view(block_end_, payload.size()), &found->first,
                              version + 1, found->second.last_position});
    found->second.version = version + 1;
    found->second.last_position = records_.size();
    block_end_ += payload.size();
    block_room_ -= payload.size();
    return records_.size();
  }

  uint64_t LastPosition() const override {
    std::lock_guard<std::mutex> l(mu_);
    return records_.size();
  }

  absl::Status ReadAll(uint64_t after,
                       absl::FunctionRef<absl::Status(const StoredRecord&)> fn) const override {
    uint64_t last = 0;
    {
      std::lock_guard<std::mutex> l(mu_);
      if (closed_) return ClosedError();
      last = records_.size();
    }
    if (after > last) {
      return absl::OutOfRangeError(
          absl::StrCat("ReadAll(after=", after, "): the store's last position is ", last));
    }
    for (uint64_t position = after + 1; position <= last; ++position) {
      Record record;
      {
        // The views stay valid without the lock (records and stream names
        // never move), so `fn` runs unlocked and may call back in.
        std::lock_guard<std::mutex> l(mu_);
        record = records_[position - 1];
      }
      CFLOW_RETURN_IF_ERROR(
          fn(StoredRecord{position, *record.stream, record.version, record.payload}));
    }
    return absl::OkStatus();
  }

  absl::Status ReadStream(absl::string_view stream, uint64_t after,
                          absl::FunctionRef<absl::Status(const StoredRecord&)> fn) const override {
    // The stream's records after `after`, found by walking back its links.
    std::vector<uint64_t> positions;
    uint64_t last = 0;
    {
      std::lock_guard<std::mutex> l(mu_);
      if (closed_) return ClosedError();
      auto found = streams_.find(stream);
      if (found != streams_.end()) {
        last = found->second.version;
        if (after < last) positions.resize(last - after);
        uint64_t position = found->second.last_position;
        for (size_t i = positions.size(); i > 0; --i) {
          positions[i - 1] = position;
          position = records_[position - 1].previous;
        }
      }
    }
    if (after > last) {
      return absl::OutOfRangeError(absl::StrCat("ReadStream(\"", stream, "\", after=", after,
                                                "): the stream is at version ", last));
    }
    for (const uint64_t position : positions) {
      Record record;
      {
        std::lock_guard<std::mutex> l(mu_);
        record = records_[position - 1];
      }
      CFLOW_RETURN_IF_ERROR(
          fn(StoredRecord{position, *record.stream, record.version, record.payload}));
    }
    return absl::OkStatus();
  }

  absl::Status WriteSnapshot(uint64_t covers, absl::string_view state) override {
    std::lock_guard<std::mutex> l(mu_);
    if (closed_) return ClosedError();
    if (covers > records_.size()) {
      return absl::OutOfRangeError(absl::StrCat("WriteSnapshot: covers=", covers,
                                                " is past the last position ", records_.size()));
    }
    if (snapshot_.has_value() && covers < snapshot_->covers) {
      return absl::FailedPreconditionError(absl::StrCat("WriteSnapshot: covers=", covers,
                                                        " is older than the current snapshot's ",
                                                        snapshot_->covers));
    }
    snapshot_ = Snapshot{covers, std::string(state.data(), state.size())};
    return absl::OkStatus();
  }

  absl::Status WriteStreamSnapshot(absl::string_view stream, uint64_t version,
                                   absl::string_view state) override {
    CFLOW_RETURN_IF_ERROR(internal::CheckStreamName(stream));
    CFLOW_RETURN_IF_ERROR(internal::CheckRecordSize(state.size()));
    std::lock_guard<std::mutex> l(mu_);
    if (closed_) return ClosedError();
    auto found = streams_.find(stream);
    CFLOW_RETURN_IF_ERROR(internal::CheckStreamSnapshotVersion(
        stream, version, found == streams_.end() ? 0 : found->second.version));
    found->second.snapshot = StreamSnapshot{version, std::string(state)};
    return absl::OkStatus();
  }

  absl::StatusOr<std::optional<StreamSnapshot>> ReadStreamSnapshot(
      absl::string_view stream) const override {
    std::lock_guard<std::mutex> l(mu_);
    if (closed_) return ClosedError();
    auto found = streams_.find(stream);
    if (found == streams_.end()) return std::nullopt;
    return found->second.snapshot;
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

  // Records go into blocks of this size (a larger record gets a block of
  // its own size).
  static constexpr size_t kBlockBytes = size_t{1} << 20;

  RecoveryReport report_;  // stays all zero
  mutable std::mutex mu_;  // guards the members below
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* block_end_ = nullptr;  // where the next record goes in the last block
  size_t block_room_ = 0;      // bytes left after block_end_
  struct Record {
    absl::string_view payload;            // into blocks_
    const std::string* stream = nullptr;  // the key in streams_ (nodes never move)
    uint64_t version = 0;
    uint64_t previous = 0;  // the position of its stream's record before it
  };
  std::vector<Record> records_;  // record i has position i + 1
  struct Stream {
    uint64_t version = 0;
    uint64_t last_position = 0;
    std::optional<StreamSnapshot> snapshot;
  };
  absl::node_hash_map<std::string, Stream> streams_;
  std::optional<Snapshot> snapshot_;
  bool closed_ = false;
};

}  // namespace

absl::StatusOr<std::unique_ptr<EventStore>> OpenMemoryStore() {
  return std::unique_ptr<EventStore>(std::make_unique<MemoryStore>());
}

}  // namespace collabflow
