// The engine's index of what is due: every open due item's next rung in time
// order (so a tick visits only what is due), every open due item by its due
// time (so the overdue list reads only what is overdue), and per person the
// open dues the person owes, by due time (so a must-do list reads only
// those, in order).
// Derived from the state: rebuilt on open, refreshed for each request a
// command changes.
//
// Thread safety: none; the engine's lock guards it.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_TIMER_INDEX_H_
#define COLLABFLOW_SRC_ENGINE_STATE_TIMER_INDEX_H_

#include <algorithm>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "absl/container/btree_set.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/container/node_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collabflow/calendar.h"
#include "collabflow/v1/state.pb.h"

namespace collabflow::internal {

// The ladder every open due item climbs: rung 1 reminds whoever owes the
// item at its due time; then every `every_working_days` working days the
// next superior up the management chain is told, up to `max_levels` levels.
struct EscalationLadder {
  int every_working_days = 1;
  int max_levels = 3;
  int last_rung() const { return 1 + std::max(0, max_levels); }
};

class TimerIndex {
 public:
  // `calendar` must outlive the index.
  TimerIndex(const Calendar& calendar, EscalationLadder ladder)
      : calendar_(&calendar), ladder_(ladder) {}

  const EscalationLadder& ladder() const { return ladder_; }

  // Brings the request's timers and its entries in the per-person index up
  // to date with its open due items `dues` (nullptr: none). Only the
  // difference touches the shared ordered indexes, which are as large as the
  // engine's open dues: a command usually opens or closes one due and leaves
  // the others alone.
  void Refresh(const std::string& request_id,
               const google::protobuf::RepeatedPtrField<v1::DueItem>* dues);

  // Clears the index and builds it from every request's open due items:
  // for_each_request(visit) calls visit(request id, its open dues) for each
  // request (nullptr or none: nothing open). The same index as a Refresh of
  // each, built in one pass (an open of a million requests).
  using Visit = absl::FunctionRef<void(const std::string&,
                                       const google::protobuf::RepeatedPtrField<v1::DueItem>*)>;
  void Rebuild(absl::FunctionRef<void(const Visit&)> for_each_request);

  // An open due item whose next rung has come: the index of the due in its
  // request's open dues (as refreshed). Valid until the request is
  // refreshed.
  struct DueTimer {
    const std::string* request_id;
    uint32_t due;
  };
  // The timers whose time is <= now, in time order (then request, then due).
  std::vector<DueTimer> DueAt(absl::Time now) const;
  // The open due items whose due time is <= at, in due time order (then
  // request, then due): O(log n + result).
  std::vector<DueTimer> OverdueAt(absl::Time at) const;

  // The open due items `person` owes, in due time order (then request, then
  // due, as the index numbers them: not the ids' order).
  std::vector<DueTimer> OwedBy(absl::string_view person) const;

 private:
  // When the next rung of open due item `due` of request `request` (an index
  // into request_ids_) fires. A request's timers are rebuilt whenever it
  // changes, so the indices stay valid between changes.
  struct TimerKey {
    absl::Time when;
    uint32_t request;
    uint32_t due;
    bool operator<(const TimerKey& o) const {
      return std::tie(when, request, due) < std::tie(o.when, o.request, o.due);
    }
    bool operator==(const TimerKey& o) const {
      return when == o.when && request == o.request && due == o.due;
    }
  };

  uint32_t RequestIndex(const std::string& request_id);

  // A request's keys, as its open dues give them.
  struct OwedView {
    absl::string_view person;
    TimerKey due;
  };
  struct RequestKeys {
    absl::InlinedVector<TimerKey, 4> timers;
    absl::InlinedVector<TimerKey, 4> dues;
    absl::InlinedVector<OwedView, 4> owed;  // each (person, due) once
  };
  // Appends the keys of request `index`'s open dues (nullptr: none) to *out.
  void KeysOf(uint32_t index, const google::protobuf::RepeatedPtrField<v1::DueItem>* open_dues,
              RequestKeys* out) const;

  const Calendar* calendar_;
  EscalationLadder ladder_;
  absl::btree_set<TimerKey> timers_;               // every open due's next rung
  std::vector<std::vector<TimerKey>> timer_keys_;  // per request index: its timers
  absl::btree_set<TimerKey> dues_;                 // every open due, by its due time
  std::vector<std::vector<TimerKey>> due_keys_;    // per request index: its dues
  // Person -> the open dues the person owes, by due time; and per request
  // index, the entries it put there (each person's name is the map's key,
  // which a node map keeps in place).
  struct Owed {
    const std::string* person;
    TimerKey due;
  };
  absl::node_hash_map<std::string, absl::btree_set<TimerKey>> owed_by_;
  std::vector<std::vector<Owed>> owed_;
  // Only requests with something open have an index; the indices of those
  // that had are reused (free_).
  absl::flat_hash_map<std::string, uint32_t> request_index_;
  std::vector<std::string> request_ids_;
  std::vector<uint32_t> free_;
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_TIMER_INDEX_H_
