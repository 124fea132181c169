// Over-allocation check: for each assignee, the working days on which their
// scheduled tasks overlap beyond a capacity.
//
// Thread safety: a pure function over const inputs.
#ifndef COLLABFLOW_ALLOCATION_H_
#define COLLABFLOW_ALLOCATION_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "collabflow/schedule.h"
#include "collabflow/task_graph.h"

namespace collabflow {

struct AllocationOptions {
  int32_t default_capacity = 1;                        // tasks at a time per assignee
  absl::flat_hash_map<std::string, int32_t> capacity;  // per-assignee overrides
};

// A run of working days [first_day, end_day) (ordinals) on which `assignee`
// has `load` > capacity scheduled tasks, namely `tasks` (by handle).
struct OverAllocation {
  std::string assignee;
  int32_t first_day = 0;
  int32_t end_day = 0;
  int32_t load = 0;
  int32_t capacity = 0;
  std::vector<TaskHandle> tasks;

  bool operator==(const OverAllocation&) const;
};

// Uses each live, assigned task's scheduled days [ES, EF); unassigned and
// 0-duration tasks occupy nothing. Ordered by assignee name, then day.
// O(T log T + T * k) for T assigned tasks overlapping at most k at a time.
std::vector<OverAllocation> FindOverAllocations(const TaskGraph& graph, const Schedule& schedule,
                                                const AllocationOptions& options = {});

}  // namespace collabflow

#endif  // COLLABFLOW_ALLOCATION_H_
