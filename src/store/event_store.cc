// The EventStore's defaults: a two-phase append where Enqueue appends at once
// (the pending record carries the outcome to Wait), and no stream snapshots.
#include "collabflow/event_store.h"

#include <memory>
#include <string>
#include <utility>

namespace collabflow {
namespace {

class AppendedRecord final : public EventStore::PendingRecord {
 public:
  explicit AppendedRecord(uint64_t position) { set_position(position); }
};

}  // namespace

absl::StatusOr<std::unique_ptr<EventStore::PendingRecord>> EventStore::Enqueue(
    absl::string_view stream, uint64_t expected_version, std::string payload) {
  absl::StatusOr<uint64_t> position = Append(stream, expected_version, payload);
  if (!position.ok()) return position.status();
  return std::unique_ptr<PendingRecord>(new AppendedRecord(*position));
}

absl::StatusOr<uint64_t> EventStore::Wait(std::unique_ptr<PendingRecord> pending) {
  if (pending == nullptr) return absl::InvalidArgumentError("Wait: no pending record");
  const auto* appended = dynamic_cast<const AppendedRecord*>(pending.get());
  if (appended == nullptr) {
    return absl::InvalidArgumentError("Wait: the pending record is not this store's");
  }
  return appended->position();
}

absl::Status EventStore::WriteStreamSnapshot(absl::string_view, uint64_t, absl::string_view) {
  return absl::OkStatus();
}

absl::StatusOr<std::optional<EventStore::StreamSnapshot>> EventStore::ReadStreamSnapshot(
    absl::string_view) const {
  return std::nullopt;
}

void EventStore::SetAppendListener(std::function<void(uint64_t)>) {}

}  // namespace collabflow
