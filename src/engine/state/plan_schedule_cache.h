// The published plans kept as task graphs with their schedules
// (plan_schedule.h), one per request that has a plan, so that a decision or
// a query reads a schedule instead of building one. Built on first use (or
// kept from the graph a publication checked), then brought up to date as the
// plan's events are folded: a publication drops the kept one, a revision
// edits it, and a start, a progress report or a passed review mark actual
// dates to be read at the next view.
//
// Thread safety: none; the engine's lock guards it.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_PLAN_SCHEDULE_CACHE_H_
#define COLLABFLOW_SRC_ENGINE_STATE_PLAN_SCHEDULE_CACHE_H_

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/functional/function_ref.h"
#include "absl/status/statusor.h"
#include "collabflow/calendar.h"
#include "collabflow/task_graph.h"
#include "collabflow/v1/event.pb.h"
#include "collabflow/v1/state.pb.h"
#include "engine/state/plan_schedule.h"

namespace collabflow::internal {

class PlanScheduleCache {
 public:
  // `calendar` must outlive the cache.
  explicit PlanScheduleCache(const Calendar& calendar) : calendar_(&calendar) {}

  // The request's plan schedule (built now if not kept); nullptr when the
  // request has no plan.
  absl::StatusOr<PlanSchedule*> For(const v1::RequestRecord& record);

  // Before a command's events are folded: notes what each does to a kept
  // schedule.
  void Note(const v1::Event& event);
  // After they are folded (`record_of(id)`: the request's record, held):
  // brings the noted schedules up to date, and keeps `published_graph` (the
  // graph the command's publication checked, if any) as the published
  // plan's schedule.
  void Settle(absl::FunctionRef<const v1::RequestRecord&(const std::string&)> record_of,
              std::optional<TaskGraph>* published_graph);
  // Drops the request's schedule (its record left the engine's cache).
  void Forget(const std::string& request_id) { kept_.erase(request_id); }

 private:
  const Calendar* calendar_;
  absl::flat_hash_map<std::string, std::unique_ptr<PlanSchedule>> kept_;
  // Noted since the last Settle: requests whose schedule moves (and whether
  // the plan itself changed), and the request whose plan was published.
  absl::InlinedVector<std::pair<std::string, bool>, 1> noted_;
  std::string published_;
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_PLAN_SCHEDULE_CACHE_H_
