// The records of the requests in use, held in memory up to a budget of bytes
// (EngineOptions.request_cache_bytes); the least recently used go first. A
// record is loaded from its stream when a command or a query needs it and
// is not held (folded_state.h).
//
// What an entry is charged is an estimate, kept without walking the record:
// the wire bytes of the events folded into it, times
// kBytesInMemoryPerWireByte (request_cache_test measures records at every
// stage at 1.2 to 2.0 times their events' bytes by protobuf's own count,
// before the allocator's overhead). An entry that is pinned (a command's
// request, until its events are durable) is never dropped, whatever the
// budget: a request in use stays loaded.
//
// Thread safety: none; the engine's lock guards it.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_REQUEST_CACHE_H_
#define COLLABFLOW_SRC_ENGINE_STATE_REQUEST_CACHE_H_

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "collabflow/v1/state.pb.h"

namespace collabflow::internal {

class RequestCache {
 public:
  static constexpr size_t kBytesInMemoryPerWireByte = 2;

  struct Entry {
    v1::RequestRecord record;
    // The position of the stream's last record when the record was loaded
    // from it (0: built as committed): later records are folded in.
    uint64_t loaded_through = 0;
    // The records of its stream its newest request snapshot folds (0: none
    // known).
    uint64_t snapshot_records = 0;
    size_t bytes = 0;  // what it is charged
    int pins = 0;
    bool changed = false;  // since its summary was last written
  };

  explicit RequestCache(size_t budget_bytes) : budget_(budget_bytes) {}
  RequestCache(const RequestCache&) = delete;
  RequestCache& operator=(const RequestCache&) = delete;

  // The request's entry, now the most recently used; nullptr if not held.
  Entry* Find(absl::string_view request_id);
  // Without changing the order of use.
  const Entry* Peek(absl::string_view request_id) const;
  Entry* Peek(absl::string_view request_id);
  // A new empty entry for the request, the most recently used.
  // REQUIRES: none is held.
  Entry* Add(const std::string& request_id);
  // Charges `entry` for `wire_bytes` more of folded events.
  void Charge(Entry* entry, size_t wire_bytes);

  // Keeps `entry` whatever the budget while the pin lives (pins nest).
  class Pin {
   public:
    Pin() = default;
    explicit Pin(Entry* entry) : entry_(entry) {
      if (entry_ != nullptr) ++entry_->pins;
    }
    Pin(Pin&& o) noexcept : entry_(std::exchange(o.entry_, nullptr)) {}
    Pin& operator=(Pin&& o) noexcept {
      Release();
      entry_ = std::exchange(o.entry_, nullptr);
      return *this;
    }
    ~Pin() { Release(); }
    void Release() {
      if (entry_ != nullptr) --entry_->pins;
      entry_ = nullptr;
    }

   private:
    Entry* entry_ = nullptr;
  };

  // Drops the least recently used entries that are not pinned until the
  // cache is within its budget, calling `dropping(request id, entry)` on
  // each first.
  void Trim(absl::FunctionRef<void(const std::string&, Entry&)> dropping);

  // Calls fn(request id, entry) for each entry, most recently used first.
  void ForEach(absl::FunctionRef<void(const std::string&, Entry&)> fn);

  size_t size() const { return entries_.size(); }
  size_t bytes() const { return bytes_; }
  size_t budget() const { return budget_; }

 private:
  using List = std::list<std::pair<std::string, Entry>>;

  const size_t budget_;
  size_t bytes_ = 0;
  List entries_;                                                  // most recently used first
  absl::flat_hash_map<absl::string_view, List::iterator> index_;  // keys view entries_'
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_REQUEST_CACHE_H_
