#include "engine/state/plan_schedule_cache.h"

#include "base/status_macros.h"

namespace collabflow::internal {

absl::StatusOr<PlanSchedule*> PlanScheduleCache::For(const v1::RequestRecord& record) {
  if (record.plan().tasks_size() == 0) return nullptr;
  auto it = kept_.find(record.request().id());
  if (it == kept_.end()) {
    CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<PlanSchedule> built,
                           PlanSchedule::Build(record, *calendar_));
    it = kept_.emplace(record.request().id(), std::move(built)).first;
  }
  return it->second.get();
}

void PlanScheduleCache::Note(const v1::Event& e) {
  if (e.request_id().empty()) return;
  if (e.has_plan_published()) {
    kept_.erase(e.request_id());
    published_ = e.request_id();
    return;
  }
  const bool plan_changed = e.has_plan_revised();
  if (!plan_changed && !e.has_task_started() && !e.has_progress_reported() &&
      !e.has_submission_reviewed()) {
    return;
  }
  for (auto& [id, changed] : noted_) {
    if (id == e.request_id()) {
      changed |= plan_changed;
      return;
    }
  }
  noted_.emplace_back(e.request_id(), plan_changed);
}

void PlanScheduleCache::Settle(
    absl::FunctionRef<const v1::RequestRecord&(const std::string&)> record_of,
    std::optional<TaskGraph>* published_graph) {
  for (const auto& [id, plan_changed] : noted_) {
    auto it = kept_.find(id);
    if (it == kept_.end()) continue;  // built on first use
    if (!plan_changed) {
      it->second->MarkActualsChanged();  // read at the next view
      continue;
    }
    const absl::Status synced = it->second->Sync(record_of(id), *calendar_);
    if (!synced.ok()) kept_.erase(it);  // rebuilt from scratch on next use
  }
  noted_.clear();
  if (!published_.empty() && published_graph != nullptr && published_graph->has_value()) {
    absl::StatusOr<std::unique_ptr<PlanSchedule>> kept = PlanSchedule::FromCheckedGraph(
        std::move(**published_graph), record_of(published_), *calendar_);
    if (kept.ok()) kept_[published_] = std::move(*kept);  // else built on first use
  }
  published_.clear();
}

}  // namespace collabflow::internal
