#include "collabflow/allocation.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

namespace collabflow {

bool OverAllocation::operator==(const OverAllocation& o) const {
  return assignee == o.assignee && first_day == o.first_day && end_day == o.end_day &&
         load == o.load && capacity == o.capacity && tasks == o.tasks;
}

std::vector<OverAllocation> FindOverAllocations(const TaskGraph& graph, const Schedule& schedule,
                                                const AllocationOptions& options) {
  const std::vector<std::string>& names = graph.assignee_names();
  // Tasks per assignee, then a sweep over each assignee's start/finish events.
  std::vector<std::vector<TaskHandle>> by_assignee(names.size());
  for (TaskHandle t = 0; t < graph.handle_count() && t < schedule.handle_count(); ++t) {
    const uint32_t a = graph.assignee_index(t);
    if (a == 0 || !graph.IsLive(t)) continue;
    if (schedule[t].early_finish > schedule[t].early_start) by_assignee[a].push_back(t);
  }
  std::vector<uint32_t> order(names.size());
  for (uint32_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin() + 1, order.end(),
            [&names](uint32_t a, uint32_t b) { return names[a] < names[b]; });

  std::vector<OverAllocation> out;
  for (uint32_t a : order) {
    const std::vector<TaskHandle>& tasks = by_assignee[a];
    if (tasks.empty()) continue;
    auto cap_it = options.capacity.find(names[a]);
    const int32_t capacity =
        cap_it == options.capacity.end() ? options.default_capacity : cap_it->second;
    // (day, +1 start / -1 finish, task); finishes sort before starts on a day.
    std::vector<std::pair<int32_t, int64_t>> events;
    events.reserve(tasks.size() * 2);
    for (TaskHandle t : tasks) {
      events.push_back({schedule[t].early_start, (int64_t{1} << 32) | t});
      events.push_back({schedule[t].early_finish, int64_t{t}});
    }
    std::sort(events.begin(), events.end());
    std::vector<TaskHandle> active;
    for (size_t i = 0; i < events.size();) {
      const int32_t day = events[i].first;
      for (; i < events.size() && events[i].first == day; ++i) {
        const TaskHandle t = static_cast<TaskHandle>(events[i].second & 0xffffffff);
        if (events[i].second >> 32) {
          active.push_back(t);
        } else {
          active.erase(std::find(active.begin(), active.end(), t));
        }
      }
      if (static_cast<int32_t>(active.size()) > capacity && i < events.size()) {
        OverAllocation o;
        o.assignee = names[a];
        o.first_day = day;
        o.end_day = events[i].first;
        o.load = static_cast<int32_t>(active.size());
        o.capacity = capacity;
        o.tasks = active;
        std::sort(o.tasks.begin(), o.tasks.end());
        out.push_back(std::move(o));
      }
    }
  }
  return out;
}

}  // namespace collabflow
