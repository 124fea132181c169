#include "engine/state/schedule_view.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "collabflow/schedule.h"
#include "engine/state/plan_check.h"
#include "engine/state/plan_task.h"
#include "wire/common_proto.h"
#include "wire/time_proto.h"

namespace collabflow::internal {
namespace {

// An ordinal as a date; ordinals before the calendar's range clamp to it.
void OrdinalToProto(const Calendar& calendar, int32_t ordinal, v1::Date* out) {
  ordinal = std::clamp(ordinal, int32_t{0}, calendar.WorkdayCount() - 1);
  ToProto(calendar.WorkdayAt(ordinal), out);
}

// The last working day of [start, finish): finish - 1, or start for a
// zero-length task.
int32_t LastDay(int32_t start, int32_t finish) { return std::max(start, finish - 1); }

// How many working days a task's dates are shown before its CPM start: a
// zero-duration task (a milestone task) that a predecessor drives is dated
// on that predecessor's finish, the working day before its start, as MS
// Project and TaskJuggler date a milestone; every other task, 0.
int32_t MilestoneShift(const ScheduledTask& t) {
  return t.early_start == t.early_finish && t.driver_kind == StartDriver::kPredecessor ? 1 : 0;
}

// The working day a task is shown finishing on at the earliest / latest.
int32_t EarlyDay(const ScheduledTask& t) {
  return LastDay(t.early_start, t.early_finish) - MilestoneShift(t);
}
int32_t LateDay(const ScheduledTask& t) {
  return LastDay(t.late_start, t.late_finish) - MilestoneShift(t);
}

// The driving chain of the task that finishes last (Schedule::CriticalPath),
// where of two that finish together with the same float the one the other
// drives wins: a trailing milestone task ends the path, not its predecessor.
std::vector<TaskHandle> CriticalPathOf(const TaskGraph& graph, const Schedule& schedule) {
  TaskHandle last = kNoTask;
  for (TaskHandle t = 0; t < schedule.handle_count(); ++t) {
    if (!graph.IsLive(t)) continue;
    const ScheduledTask& x = schedule[t];
    if (last == kNoTask) {
      last = t;
      continue;
    }
    const ScheduledTask& l = schedule[last];
    if (x.early_finish > l.early_finish ||
        (x.early_finish == l.early_finish &&
         (x.total_float < l.total_float || (x.total_float == l.total_float && x.driver == last)))) {
      last = t;
    }
  }
  if (last == kNoTask) return {};
  return schedule.DrivingChain(last);
}

}  // namespace

absl::CivilDay EarlyFinishDay(const Calendar& calendar, const ScheduledTask& task) {
  const int32_t last = std::clamp(EarlyDay(task), int32_t{0}, calendar.WorkdayCount() - 1);
  return calendar.WorkdayAt(last);
}

absl::StatusOr<ScheduleOptions> ScheduleOptionsFor(const v1::RequestRecord& record,
                                                   const Calendar& calendar) {
  ScheduleOptions options;
  const v1::Plan& plan = record.plan();
  if (plan.has_project_start()) {
    CFLOW_ASSIGN_OR_RETURN(absl::CivilDay start, FromProto(plan.project_start(), "project_start"));
    options.project_start = calendar.WorkdayOrdinal(start);
  } else {
    const absl::CivilDay published(
        absl::ToCivilDay(FromProto(record.planned_at()), calendar.time_zone()));
    options.project_start = calendar.WorkdayOrdinal(calendar.NextWorkingDay(published));
  }
  return options;
}

absl::Status SyncActualDates(const v1::RequestRecord& record, const Calendar& calendar,
                             TaskGraph* graph) {
  auto day_ordinal = [&](const google::protobuf::Timestamp& ts, bool finish) {
    const absl::CivilDay d = absl::ToCivilDay(FromProto(ts), calendar.time_zone());
    const int32_t ord = calendar.WorkdayOrdinal(d);  // d, or the next working day
    return finish && !calendar.IsWorkingDay(d) ? ord - 1 : ord;
  };
  const int n = std::min(record.executions_size(), record.plan().tasks_size());
  for (int i = 0; i < n; ++i) {
    const v1::TaskExecution& x = record.executions(i);
    const auto h = static_cast<TaskHandle>(i);
    int32_t start = kNoDate;
    int32_t finish = kNoDate;
    int32_t percent = 0;
    if (x.has_actual_start()) {
      start = day_ordinal(x.actual_start(), false);
      finish =
          x.has_actual_finish() ? std::max(start, day_ordinal(x.actual_finish(), true)) : kNoDate;
      percent = std::clamp(x.percent_complete(), 0, 100);
    }
    if (graph->actual_start(h) == start && graph->actual_finish(h) == finish &&
        graph->percent_complete(h) == percent) {
      continue;  // unchanged: stays out of the change log
    }
    CFLOW_RETURN_IF_ERROR(graph->SetProgress(h, start, finish, percent));
  }
  return absl::OkStatus();
}

absl::StatusOr<v1::ScheduleView> RenderScheduleView(const v1::RequestRecord& record,
                                                    const Calendar& calendar,
                                                    const TaskGraph& graph,
                                                    const Schedule& schedule,
                                                    const ScheduleOptions& options) {
  CFLOW_RETURN_IF_ERROR(RequirePlan(record));
  const v1::Plan& plan = record.plan();
  v1::ScheduleView view;
  view.set_request_id(record.request().id());
  OrdinalToProto(calendar, options.project_start, view.mutable_project_start());
  for (int i = 0; i < plan.tasks_size(); ++i) {
    const v1::Task& t = plan.tasks(i);
    const ScheduledTask& s = schedule[static_cast<TaskHandle>(i)];
    v1::ScheduledTaskRow* row = view.add_tasks();
    row->set_task_id(t.id());
    row->set_name(t.name());
    *row->mutable_assignee() = t.assignee();
    row->set_duration_days(t.duration_days());
    OrdinalToProto(calendar, s.early_start - MilestoneShift(s), row->mutable_early_start());
    ToProto(EarlyFinishDay(calendar, s), row->mutable_early_finish());
    OrdinalToProto(calendar, s.late_start - MilestoneShift(s), row->mutable_late_start());
    OrdinalToProto(calendar, LateDay(s), row->mutable_late_finish());
    row->set_total_float_days(s.total_float);
    row->set_free_float_days(s.free_float);
    row->set_critical(s.critical());
    if (s.driver_kind == StartDriver::kPredecessor && s.driver != kNoTask) {
      row->set_driving_predecessor_id(plan.tasks(static_cast<int>(s.driver)).id());
    }
    // The nearest kMaxDrivingChainInView links of Schedule::DrivingChain
    // (whole chains for every row would make the view quadratic in size).
    TaskHandle chain[kMaxDrivingChainInView];
    int links = 0;
    for (TaskHandle h = static_cast<TaskHandle>(i); h != kNoTask && links < kMaxDrivingChainInView;
         h = schedule[h].driver) {
      chain[links++] = h;
    }
    for (int k = links - 1; k >= 0; --k) {
      row->add_driving_chain(plan.tasks(static_cast<int>(chain[k])).id());
    }
  }
  OrdinalToProto(calendar, LastDay(options.project_start, schedule.project_finish()),
                 view.mutable_project_finish());
  for (TaskHandle h : CriticalPathOf(graph, schedule)) {
    view.add_critical_path(plan.tasks(static_cast<int>(h)).id());
  }
  for (TaskHandle h : schedule.NegativeFloatTasks(graph)) {
    view.add_negative_float_task_ids(plan.tasks(static_cast<int>(h)).id());
  }
  for (const v1::Milestone& m : record.request().milestones()) {
    v1::MilestoneForecast* f = view.add_milestones();
    f->set_milestone_id(m.id());
    f->set_name(m.name());
    *f->mutable_date() = m.date();
    int32_t latest = -1;
    for (int i = 0; i < plan.tasks_size(); ++i) {
      for (const v1::ServedItem& s : plan.tasks(i).serves()) {
        if (s.milestone_id() == m.id()) {
          latest = std::max(latest, EarlyDay(schedule[static_cast<TaskHandle>(i)]));
        }
      }
    }
    f->set_served(latest >= 0);
    if (latest < 0) continue;
    OrdinalToProto(calendar, latest, f->mutable_forecast());
    CFLOW_ASSIGN_OR_RETURN(absl::CivilDay date, FromProto(m.date(), "milestone.date"));
    // Working days the forecast finish leaves before the end of the date.
    f->set_slack_days(calendar.WorkdayOrdinal(date + 1) - 1 - latest);
  }
  *view.mutable_final_deadline() = record.request().final_deadline();
  CFLOW_ASSIGN_OR_RETURN(absl::CivilDay deadline,
                         FromProto(record.request().final_deadline(), "final_deadline"));
  view.set_deadline_slack_days(calendar.WorkdayOrdinal(deadline + 1) - 1 -
                               LastDay(options.project_start, schedule.project_finish()));
  return view;
}

absl::StatusOr<v1::ScheduleView> BuildScheduleView(const v1::RequestRecord& record,
                                                   const Calendar& calendar) {
  CFLOW_RETURN_IF_ERROR(RequirePlan(record));
  CFLOW_ASSIGN_OR_RETURN(TaskGraph graph, PlanGraph(record.plan(), record.request(), calendar));
  // Reality wins over the plan: tasks already started or done are scheduled
  // from their actual dates.
  CFLOW_RETURN_IF_ERROR(SyncActualDates(record, calendar, &graph));
  CFLOW_ASSIGN_OR_RETURN(ScheduleOptions options, ScheduleOptionsFor(record, calendar));
  CFLOW_ASSIGN_OR_RETURN(Schedule schedule, Schedule::Compute(graph, options));
  return RenderScheduleView(record, calendar, graph, schedule, options);
}

}  // namespace collabflow::internal
