#include "engine/commands/revision_commands.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/input_checks.h"
#include "base/status_macros.h"
#include "collabflow/limits.h"
#include "engine/commands/authorization.h"
#include "engine/commands/notifications.h"
#include "engine/state/plan_check.h"
#include "engine/state/plan_task.h"
#include "engine/state/schedule_view.h"
#include "engine/state/state_fold.h"
#include "engine/state/task_states.h"
#include "wire/common_proto.h"
#include "wire/time_proto.h"

namespace collabflow::internal {
namespace {

inline constexpr size_t kMaxChangesPerRevision = 10000;

// The tasks of the plan being revised, by id: O(1) per change instead of a
// scan of the plan (which made a revision of a large plan quadratic).
class RevisedTasks {
 public:
  explicit RevisedTasks(v1::Plan* plan) : plan_(plan) { Reindex(); }

  v1::Task* Find(const std::string& id) {
    const auto it = index_.find(id);
    return it == index_.end() ? nullptr : plan_->mutable_tasks(it->second);
  }
  void Add(const v1::Task& task) {
    index_.emplace(task.id(), plan_->tasks_size());
    *plan_->add_tasks() = task;
  }
  // Positions shift after a removal: index again (a cancellation also sweeps
  // every task's predecessors, so it is O(tasks) either way).
  void Reindex() {
    index_.clear();
    index_.reserve(plan_->tasks_size());
    for (int i = 0; i < plan_->tasks_size(); ++i) index_.emplace(plan_->tasks(i).id(), i);
  }

 private:
  v1::Plan* plan_;
  absl::flat_hash_map<std::string, int> index_;
};

// The state of the current plan's task `id` (NOT_STARTED for a task the plan
// does not have yet).
v1::TaskState StateOf(const DecideContext& ctx, const std::string& id) {
  const absl::StatusOr<PlanTask> found = FindPlanTask(*ctx.record, ctx.plan_graph, id);
  return found.ok() ? found->state() : v1::TASK_STATE_NOT_STARTED;
}

absl::Status NotDone(const DecideContext& ctx, const std::string& id,
                     const std::set<std::string>& reopened, absl::string_view what) {
  if (StateOf(ctx, id) == v1::TASK_STATE_DONE && !reopened.count(id)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "cannot ", what, ": task \"", id, "\" is DONE (reopen it explicitly in the revision)"));
  }
  return absl::OkStatus();
}

// Applies the changes to `plan`; refuses unknown tasks and silent changes to
// done tasks.
absl::Status ApplyChanges(const DecideContext& ctx, const v1::RevisePlan& cmd,
                          const std::set<std::string>& reopened, v1::Plan* plan) {
  RevisedTasks tasks_by_id(plan);
  for (int i = 0; i < cmd.changes_size(); ++i) {
    const v1::PlanChange& c = cmd.changes(i);
    const std::string f = absl::StrCat("changes[", i, "]");
    switch (c.change_case()) {
      case v1::PlanChange::kAddTask:
        if (tasks_by_id.Find(c.add_task().id()) != nullptr) {
          return absl::AlreadyExistsError(
              absl::StrCat(f, ".add_task: task \"", c.add_task().id(), "\" already exists"));
        }
        tasks_by_id.Add(c.add_task());
        break;
      case v1::PlanChange::kCancelTaskId: {
        const std::string& id = c.cancel_task_id();
        if (tasks_by_id.Find(id) == nullptr) {
          return absl::NotFoundError(absl::StrCat(f, ".cancel_task_id: unknown task \"", id, "\""));
        }
        CFLOW_RETURN_IF_ERROR(NotDone(ctx, id, reopened, "cancel it"));
        auto* tasks = plan->mutable_tasks();
        tasks->erase(std::remove_if(tasks->begin(), tasks->end(),
                                    [&](const v1::Task& t) { return t.id() == id; }),
                     tasks->end());
        // Dependencies on a cancelled task go with it.
        for (v1::Task& t : *tasks) {
          auto* preds = t.mutable_predecessors();
          preds->erase(
              std::remove_if(preds->begin(), preds->end(),
                             [&](const v1::Dependency& d) { return d.predecessor_id() == id; }),
              preds->end());
        }
        tasks_by_id.Reindex();
        break;
      }
      case v1::PlanChange::kUpdateTask: {
        const v1::TaskUpdate& u = c.update_task();
        v1::Task* t = tasks_by_id.Find(u.task_id());
        if (t == nullptr) {
          return absl::NotFoundError(
              absl::StrCat(f, ".update_task: unknown task \"", u.task_id(), "\""));
        }
        CFLOW_RETURN_IF_ERROR(NotDone(ctx, u.task_id(), reopened, "change it"));
        if (u.has_duration_days()) t->set_duration_days(u.duration_days());
        if (u.has_assignee()) *t->mutable_assignee() = u.assignee();
        if (u.has_start_no_earlier_than()) {
          *t->mutable_start_no_earlier_than() = u.start_no_earlier_than();
        }
        if (u.clear_start_no_earlier_than()) t->clear_start_no_earlier_than();
        if (u.has_finish_no_later_than()) {
          *t->mutable_finish_no_later_than() = u.finish_no_later_than();
        }
        if (u.clear_finish_no_later_than()) t->clear_finish_no_later_than();
        if (u.has_name()) t->set_name(u.name());
        if (u.has_description()) t->set_description(u.description());
        break;
      }
      case v1::PlanChange::kAddDependency: {
        const v1::DependencyChange& d = c.add_dependency();
        v1::Task* t = tasks_by_id.Find(d.task_id());
        if (t == nullptr) {
          return absl::NotFoundError(
              absl::StrCat(f, ".add_dependency.task_id: unknown task \"", d.task_id(), "\""));
        }
        CFLOW_RETURN_IF_ERROR(NotDone(ctx, d.task_id(), reopened, "add a dependency to it"));
        *t->add_predecessors() = d.dependency();
        break;
      }
      case v1::PlanChange::kRemoveDependency: {
        const v1::DependencyChange& d = c.remove_dependency();
        v1::Task* t = tasks_by_id.Find(d.task_id());
        if (t == nullptr) {
          return absl::NotFoundError(
              absl::StrCat(f, ".remove_dependency.task_id: unknown task \"", d.task_id(), "\""));
        }
        auto* preds = t->mutable_predecessors();
        const auto before = preds->size();
        preds->erase(std::remove_if(preds->begin(), preds->end(),
                                    [&](const v1::Dependency& x) {
                                      return x.predecessor_id() == d.dependency().predecessor_id();
                                    }),
                     preds->end());
        if (preds->size() == before) {
          return absl::NotFoundError(absl::StrCat(f, ".remove_dependency: \"", d.task_id(),
                                                  "\" does not depend on \"",
                                                  d.dependency().predecessor_id(), "\""));
        }
        break;
      }
      case v1::PlanChange::CHANGE_NOT_SET:
        return absl::InvalidArgumentError(absl::StrCat(f, ": names no change"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status DecideRevisePlan(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  CFLOW_RETURN_IF_ERROR(RequireOwner(ctx, "revise the plan"));
  CFLOW_RETURN_IF_ERROR(RequireState(
      *ctx.record, {v1::REQUEST_STATE_PLANNED, v1::REQUEST_STATE_IN_PROGRESS}, "revise the plan"));
  const v1::RevisePlan& cmd = ctx.command.revise_plan();
  CFLOW_RETURN_IF_ERROR(CheckText("reason", cmd.reason(), kMaxLongTextBytes, /*required=*/true));
  if (cmd.changes_size() == 0 && cmd.reopen_task_ids_size() == 0) {
    return absl::InvalidArgumentError("changes: a revision needs at least one change");
  }
  CFLOW_RETURN_IF_ERROR(CheckCount("changes", cmd.changes_size(), kMaxChangesPerRevision));
  std::set<std::string> reopened;
  for (int i = 0; i < cmd.reopen_task_ids_size(); ++i) {
    const std::string& id = cmd.reopen_task_ids(i);
    if (StateOf(ctx, id) != v1::TASK_STATE_DONE) {
      return absl::InvalidArgumentError(
          absl::StrCat("reopen_task_ids[", i, "]: task \"", id, "\" is not DONE"));
    }
    reopened.insert(id);
  }
  v1::Plan plan = ctx.record->plan();
  CFLOW_RETURN_IF_ERROR(ApplyChanges(ctx, cmd, reopened, &plan));
  CFLOW_ASSIGN_OR_RETURN(CheckedPlan checked,
                         CheckPlan(plan, *ctx.record, ctx.directory, ctx.calendar));
  if (checked.has_omissions() && !cmd.acknowledge_omissions() &&
      !ctx.record->omissions_acknowledged()) {
    return absl::FailedPreconditionError(
        absl::StrCat("the revised plan leaves uncovered: ", OmissionsText(checked.coverage),
                     " (set acknowledge_omissions to revise anyway)"));
  }
  CFLOW_RETURN_IF_ERROR(CheckLeadTimes(plan, *ctx.record, ctx.directory, ctx.calendar,
                                       FromProto(ctx.record->planned_at()), &checked));

  // Readiness under the new plan: reopened tasks go back to work; tasks not
  // yet started become READY or NOT_STARTED by their new predecessors.
  v1::RequestRecord after = *ctx.record;
  *after.mutable_plan() = plan;
  AlignExecutions(&after);
  std::vector<v1::TaskTransition> transitions;
  for (const std::string& id : reopened) {
    CFLOW_ASSIGN_OR_RETURN(TaskHandle h, checked.graph.Find(id));
    transitions.push_back(Transition(h, id, v1::TASK_STATE_DONE, v1::TASK_STATE_IN_PROGRESS));
  }
  TaskStateView states(after, checked.graph);
  for (const v1::TaskTransition& t : transitions) {
    states.Override(static_cast<TaskHandle>(t.task_index()), t.to());
  }
  for (int i = 0; i < plan.tasks_size(); ++i) {
    const TaskHandle h = static_cast<TaskHandle>(i);
    const v1::TaskState s = states.state(h);
    if (!IsReadyCandidate(s)) continue;
    const bool ready = states.PredecessorsSatisfied(h);
    if (ready && s == v1::TASK_STATE_NOT_STARTED) {
      transitions.push_back(Transition(h, plan.tasks(i).id(), s, v1::TASK_STATE_READY));
    } else if (!ready && s == v1::TASK_STATE_READY) {
      transitions.push_back(Transition(h, plan.tasks(i).id(), s, v1::TASK_STATE_NOT_STARTED));
    }
  }

  v1::Event& e = ctx.Emit();
  v1::PlanRevised* revised = e.mutable_plan_revised();
  v1::PlanRevision* revision = revised->mutable_revision();
  revision->set_number(ctx.record->revisions_size() + 1);
  revision->set_revised_by(ctx.actor());
  *revision->mutable_time() = ctx.command.time();
  revision->set_reason(cmd.reason());
  *revision->mutable_changes() = cmd.changes();
  for (const std::string& id : reopened) revision->add_reopened_task_ids(id);
  *revised->mutable_plan() = std::move(plan);
  *revised->mutable_coverage() = checked.coverage;
  for (v1::TaskTransition& t : transitions) *revised->add_transitions() = std::move(t);
  NotificationSpec n;
  n.kind = v1::NOTIFICATION_KIND_PLAN_REVISED;
  n.recipients = MembersOf(after, ctx.directory);
  n.subject =
      absl::StrCat("协作计划已修订(第", revision->number(), "次):", ctx.record->request().topic());
  n.body = cmd.reason();
  Notify(e, std::move(n));
  return absl::OkStatus();
}

absl::StatusOr<v1::RevisionPreview> PreviewRevision(const DecideContext& ctx) {
  DecidedEvents scratch;
  CFLOW_RETURN_IF_ERROR(DecideRevisePlan(ctx.Trial(&scratch)));
  v1::RevisionPreview preview;
  CFLOW_ASSIGN_OR_RETURN(*preview.mutable_before(), BuildScheduleView(*ctx.record, ctx.calendar));
  v1::RequestRecord after = *ctx.record;
  *after.mutable_plan() = scratch.front().plan_revised().plan();
  CFLOW_ASSIGN_OR_RETURN(*preview.mutable_after(), BuildScheduleView(after, ctx.calendar));

  absl::flat_hash_map<std::string, const v1::ScheduledTaskRow*> before_rows;
  for (const v1::ScheduledTaskRow& row : preview.before().tasks())
    before_rows[row.task_id()] = &row;
  std::set<std::string> seen;
  auto same = [](const v1::Date& a, const v1::Date& b) {
    return a.year() == b.year() && a.month() == b.month() && a.day() == b.day();
  };
  for (const v1::ScheduledTaskRow& row : preview.after().tasks()) {
    seen.insert(row.task_id());
    auto it = before_rows.find(row.task_id());
    v1::TaskScheduleChange c;
    c.set_task_id(row.task_id());
    *c.mutable_early_start_after() = row.early_start();
    *c.mutable_early_finish_after() = row.early_finish();
    c.set_total_float_after(row.total_float_days());
    if (it == before_rows.end()) {
      c.set_change("added");
    } else {
      const v1::ScheduledTaskRow& b = *it->second;
      *c.mutable_early_start_before() = b.early_start();
      *c.mutable_early_finish_before() = b.early_finish();
      c.set_total_float_before(b.total_float_days());
      if (same(b.early_start(), row.early_start()) && same(b.early_finish(), row.early_finish()) &&
          b.total_float_days() == row.total_float_days()) {
        continue;
      }
      c.set_change("moved");
    }
    *preview.add_changes() = std::move(c);
  }
  for (const v1::ScheduledTaskRow& row : preview.before().tasks()) {
    if (seen.count(row.task_id())) continue;
    v1::TaskScheduleChange* c = preview.add_changes();
    c->set_task_id(row.task_id());
    c->set_change("cancelled");
    *c->mutable_early_start_before() = row.early_start();
    *c->mutable_early_finish_before() = row.early_finish();
    c->set_total_float_before(row.total_float_days());
  }
  // Working days between the two finishes.
  CFLOW_ASSIGN_OR_RETURN(absl::CivilDay fb, FromProto(preview.before().project_finish(), "finish"));
  CFLOW_ASSIGN_OR_RETURN(absl::CivilDay fa, FromProto(preview.after().project_finish(), "finish"));
  preview.set_finish_shift_working_days(
      static_cast<int32_t>(ctx.calendar.WorkingDaysBetween(fb, fa)));
  absl::flat_hash_map<std::string, int> slack_before;
  for (const v1::MilestoneForecast& m : preview.before().milestones()) {
    slack_before[m.milestone_id()] = m.served() ? m.slack_days() : 0;
  }
  for (const v1::MilestoneForecast& m : preview.after().milestones()) {
    if (m.served() && m.slack_days() < 0 && slack_before[m.milestone_id()] >= 0) {
      preview.add_milestones_newly_late(m.milestone_id());
    }
  }
  return preview;
}

}  // namespace collabflow::internal
