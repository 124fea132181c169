// The EventStore's default two-phase append: Enqueue appends at once and the
// pending record carries the outcome to Wait.
#include "collabflow/event_store.h"

#include <memory>
#include <string>
#include <utility>

namespace collabflow {
namespace {

class AppendedRecord final : public EventStore::PendingRecord {
 public:
  explicit AppendedRecord(uint64_t sequence) : sequence_(sequence) {}
  uint64_t sequence() const { return sequence_; }

 private:
  uint64_t sequence_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<EventStore::PendingRecord>> EventStore::Enqueue(
    std::string payload) {
  absl::StatusOr<uint64_t> sequence = Append(payload);
  if (!sequence.ok()) return sequence.status();
  return std::unique_ptr<PendingRecord>(new AppendedRecord(*sequence));
}

absl::StatusOr<uint64_t> EventStore::Wait(std::unique_ptr<PendingRecord> pending) {
  if (pending == nullptr) return absl::InvalidArgumentError("Wait: no pending record");
  const auto* appended = dynamic_cast<const AppendedRecord*>(pending.get());
  if (appended == nullptr) {
    return absl::InvalidArgumentError("Wait: the pending record is not this store's");
  }
  return appended->sequence();
}

}  // namespace collabflow
