#include "engine/state/plan_check.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/field_name.h"
#include "base/input_checks.h"
#include "base/name_fold.h"
#include "base/seen_ids.h"
#include "base/status_macros.h"
#include "collabflow/limits.h"
#include "collabflow/schedule.h"
#include "wire/common_proto.h"
#include "wire/time_proto.h"

namespace collabflow::internal {
namespace {

DependencyType ToGraphType(v1::DependencyType type) {
  switch (type) {
    case v1::DEPENDENCY_TYPE_START_TO_START:
      return DependencyType::kStartToStart;
    case v1::DEPENDENCY_TYPE_FINISH_TO_FINISH:
      return DependencyType::kFinishToFinish;
    case v1::DEPENDENCY_TYPE_START_TO_FINISH:
      return DependencyType::kStartToFinish;
    default:
      return DependencyType::kFinishToStart;
  }
}

std::string PartyKey(const v1::PartyRef& p) {
  return p.has_person_id() ? absl::StrCat("p:", p.person_id())
                           : absl::StrCat("d:", p.department_id());
}

// Latest finish a task may have: its own "finish no later than" date, and the
// dates of the milestones it serves.
// `index`: the task's position in the plan (for the field name in an error).
absl::StatusOr<absl::CivilDay> FinishBound(const v1::Task& t, int index,
                                           const v1::CollaborationRequest& request,
                                           bool* has_bound) {
  absl::CivilDay bound = absl::CivilDay::max();
  *has_bound = false;
  if (t.has_finish_no_later_than()) {
    CFLOW_ASSIGN_OR_RETURN(bound,
                           FromProto(t.finish_no_later_than(),
                                     FieldName("plan.tasks", index, ".finish_no_later_than")));
    *has_bound = true;
  }
  for (const v1::ServedItem& s : t.serves()) {
    if (!s.has_milestone_id()) continue;
    for (const v1::Milestone& m : request.milestones()) {
      if (m.id() != s.milestone_id()) continue;
      CFLOW_ASSIGN_OR_RETURN(absl::CivilDay d, FromProto(m.date(), "milestone.date"));
      if (d < bound) bound = d;
      *has_bound = true;
    }
  }
  return bound;
}

// Whether receiver `receiver_id`'s latest answer to the current version
// states duties (职责边界): what it took on when it confirmed.
bool TookDuties(const v1::RequestRecord& record, absl::string_view receiver_id) {
  const v1::ReceiverResponse* latest = nullptr;
  for (const v1::ReceiverResponse& r : record.responses()) {
    if (r.receiver_id() == receiver_id && r.request_version() == record.request().version()) {
      latest = &r;
    }
  }
  return latest != nullptr && latest->duties_size() > 0;
}

// Whether task `t` is assigned to `receiver`: to its person or department,
// to a person of its department (or its head or a delegate), or to a signer
// of its sign group (or a signer's department).
bool AssignedTo(const v1::Task& t, const v1::Receiver& receiver, const DirectoryIndex& directory) {
  const auto department_of = [&](absl::string_view person) -> absl::string_view {
    const v1::Person* p = directory.FindPerson(person);
    return p == nullptr ? absl::string_view() : absl::string_view(p->department_id());
  };
  const v1::PartyRef& a = t.assignee();
  switch (receiver.who_case()) {
    case v1::Receiver::kPersonId:
      return a.person_id() == receiver.person_id();
    case v1::Receiver::kDepartmentId:
      return a.department_id() == receiver.department_id() ||
             (a.has_person_id() && (department_of(a.person_id()) == receiver.department_id() ||
                                    directory.MayActFor(a.person_id(), receiver.department_id())));
    case v1::Receiver::kSignGroup:
      for (const std::string& signer : receiver.sign_group().person_ids()) {
        if (a.person_id() == signer) return true;
        const absl::string_view dept = department_of(signer);
        if (!dept.empty() && a.department_id() == dept) return true;
      }
      return false;
    case v1::Receiver::WHO_NOT_SET:
      break;
  }
  return true;
}

bool HasTask(const v1::Plan& plan, const v1::Receiver& receiver, const DirectoryIndex& directory) {
  for (const v1::Task& t : plan.tasks()) {
    if (AssignedTo(t, receiver, directory)) return true;
  }
  return false;
}

}  // namespace

absl::StatusOr<PlanGraphInputs> GraphInputsOf(const v1::Plan& plan,
                                              const v1::CollaborationRequest& request,
                                              const Calendar& calendar) {
  std::vector<TaskSpec> specs(plan.tasks_size());
  // Ids as views into the plan, and field names only for an error, as in
  // CheckPlan: this runs at every publication and schedule build.
  absl::flat_hash_map<absl::string_view, TaskHandle> handle;
  handle.reserve(plan.tasks_size());
  for (int i = 0; i < plan.tasks_size(); ++i) handle[plan.tasks(i).id()] = i;
  std::vector<Dependency> deps;
  for (int i = 0; i < plan.tasks_size(); ++i) {
    const v1::Task& t = plan.tasks(i);
    TaskSpec& s = specs[i];
    s.id = t.id();
    s.duration = t.duration_days();
    s.assignee = PartyKey(t.assignee());
    if (t.has_start_no_earlier_than()) {
      CFLOW_ASSIGN_OR_RETURN(absl::CivilDay d,
                             FromProto(t.start_no_earlier_than(),
                                       FieldName("plan.tasks", i, ".start_no_earlier_than")));
      // A non-working day means "from the next working day".
      s.start_no_earlier_than = calendar.WorkdayOrdinal(d);
    }
    bool has_bound = false;
    CFLOW_ASSIGN_OR_RETURN(absl::CivilDay bound, FinishBound(t, i, request, &has_bound));
    if (has_bound) {
      // The last working day on or before the bound.
      const absl::CivilDay last =
          calendar.IsWorkingDay(bound) ? bound : calendar.PreviousWorkingDay(bound);
      s.finish_no_later_than = calendar.WorkdayOrdinal(last);
    }
    for (const v1::Dependency& d : t.predecessors()) {
      deps.push_back(Dependency{handle.at(d.predecessor_id()), static_cast<TaskHandle>(i),
                                ToGraphType(d.type()), d.lag_days()});
    }
  }
  return PlanGraphInputs{std::move(specs), std::move(deps)};
}

absl::StatusOr<TaskGraph> PlanGraph(const v1::Plan& plan, const v1::CollaborationRequest& request,
                                    const Calendar& calendar) {
  CFLOW_ASSIGN_OR_RETURN(PlanGraphInputs inputs, GraphInputsOf(plan, request, calendar));
  return TaskGraph::Build(inputs.specs, inputs.dependencies);
}

absl::StatusOr<CheckedPlan> CheckPlan(const v1::Plan& plan, const v1::RequestRecord& record,
                                      const DirectoryIndex& directory, const Calendar& calendar) {
  const v1::CollaborationRequest& request = record.request();
  if (plan.tasks_size() == 0) return absl::InvalidArgumentError("plan.tasks: a plan needs tasks");
  CFLOW_RETURN_IF_ERROR(CheckCount("plan.tasks", plan.tasks_size(), kMaxTasksPerPlan));
  if (plan.has_project_start()) {
    CFLOW_RETURN_IF_ERROR(FromProto(plan.project_start(), "plan.project_start").status());
  }
  // Field names are put together only for an error (field_name.h), and ids
  // are compared as views into the plan: a valid plan of a million tasks
  // formats and copies no string here.
  absl::flat_hash_set<absl::string_view> milestones, resources;
  for (const v1::Milestone& m : request.milestones()) milestones.insert(m.id());
  for (const v1::ResourceNeed& r : request.resources()) resources.insert(r.id());

  absl::flat_hash_set<absl::string_view> ids;
  ids.reserve(plan.tasks_size());
  for (int i = 0; i < plan.tasks_size(); ++i) {
    const FieldName field("plan.tasks", i, ".id");
    CFLOW_RETURN_IF_ERROR(CheckId(field, plan.tasks(i).id()));
    if (!ids.insert(plan.tasks(i).id()).second) {
      return absl::InvalidArgumentError(
          absl::StrCat(field.ToString(), ": duplicate task id \"", plan.tasks(i).id(), "\""));
    }
  }
  CheckedPlan checked;
  absl::flat_hash_set<absl::string_view> served_milestones, served_resources;
  bool goal_served = false;
  for (int i = 0; i < plan.tasks_size(); ++i) {
    const v1::Task& t = plan.tasks(i);
    const auto task_field = [i](absl::string_view member) {
      return FieldName("plan.tasks", i, member).ToString();
    };
    CFLOW_RETURN_IF_ERROR(
        CheckText(FieldName("plan.tasks", i, ".name"), t.name(), kMaxShortTextBytes, true));
    switch (t.assignee().party_case()) {
      case v1::PartyRef::kPersonId:
        if (!directory.HasPerson(t.assignee().person_id())) {
          return absl::InvalidArgumentError(absl::StrCat(
              task_field(".assignee"), ": unknown person \"", t.assignee().person_id(), "\""));
        }
        break;
      case v1::PartyRef::kDepartmentId:
        if (directory.FindDepartment(t.assignee().department_id()) == nullptr) {
          return absl::InvalidArgumentError(absl::StrCat(task_field(".assignee"),
                                                         ": unknown department \"",
                                                         t.assignee().department_id(), "\""));
        }
        break;
      case v1::PartyRef::PARTY_NOT_SET:
        return absl::InvalidArgumentError(absl::StrCat(task_field(".assignee"), ": task \"", t.id(),
                                                       "\" has no assignee (承办人)"));
    }
    CFLOW_RETURN_IF_ERROR(
        CheckText(FieldName("plan.tasks", i, ".description"), t.description(), kMaxLongTextBytes));
    CFLOW_RETURN_IF_ERROR(
        CheckText(FieldName("plan.tasks", i, ".deliverable"), t.deliverable(), kMaxShortTextBytes));
    CFLOW_RETURN_IF_ERROR(CheckCount(FieldName("plan.tasks", i, ".delivery_standard"),
                                     t.delivery_standard_size(), kMaxDeliveryStandardItems));
    for (int j = 0; j < t.delivery_standard_size(); ++j) {
      CFLOW_RETURN_IF_ERROR(CheckText(FieldName("plan.tasks", i, ".delivery_standard", j, ""),
                                      t.delivery_standard(j), kMaxShortTextBytes, true));
    }
    if (t.duration_days() < 0 || t.duration_days() > kMaxDurationWorkingDays) {
      return absl::InvalidArgumentError(absl::StrCat(task_field(".duration_days"), ": ",
                                                     t.duration_days(), " outside 0..",
                                                     kMaxDurationWorkingDays));
    }
    if (!v1::Priority_IsValid(t.priority())) {
      return absl::InvalidArgumentError(
          absl::StrCat(task_field(".priority"), ": unknown value ", t.priority()));
    }
    CFLOW_RETURN_IF_ERROR(CheckCount(FieldName("plan.tasks", i, ".predecessors"),
                                     t.predecessors_size(), kMaxPredecessorsPerTask));
    SeenIds preds;
    for (int j = 0; j < t.predecessors_size(); ++j) {
      const v1::Dependency& d = t.predecessors(j);
      const auto dependency_field = [i, j](absl::string_view member) {
        return FieldName("plan.tasks", i, ".predecessors", j, member).ToString();
      };
      if (!ids.contains(d.predecessor_id())) {
        return absl::InvalidArgumentError(absl::StrCat(
            dependency_field(".predecessor_id"), ": unknown task \"", d.predecessor_id(), "\""));
      }
      if (d.predecessor_id() == t.id()) {
        return absl::InvalidArgumentError(
            absl::StrCat(dependency_field(""), ": task \"", t.id(), "\" cannot depend on itself"));
      }
      if (!preds.Insert(d.predecessor_id())) {
        return absl::InvalidArgumentError(absl::StrCat(
            dependency_field(""), ": duplicate dependency on \"", d.predecessor_id(), "\""));
      }
      if (!v1::DependencyType_IsValid(d.type())) {
        return absl::InvalidArgumentError(
            absl::StrCat(dependency_field(".type"), ": unknown value ", d.type()));
      }
      if (d.lag_days() < -kMaxLagWorkingDays || d.lag_days() > kMaxLagWorkingDays) {
        return absl::InvalidArgumentError(absl::StrCat(
            dependency_field(".lag_days"), ": ", d.lag_days(), " outside ±", kMaxLagWorkingDays));
      }
    }
    for (int j = 0; j < t.serves_size(); ++j) {
      const v1::ServedItem& s = t.serves(j);
      const auto served_field = [i, j](absl::string_view member) {
        return FieldName("plan.tasks", i, ".serves", j, member).ToString();
      };
      switch (s.item_case()) {
        case v1::ServedItem::kMilestoneId:
          if (!milestones.contains(s.milestone_id())) {
            return absl::InvalidArgumentError(absl::StrCat(
                served_field(".milestone_id"), ": unknown milestone \"", s.milestone_id(), "\""));
          }
          served_milestones.insert(s.milestone_id());
          break;
        case v1::ServedItem::kResourceId:
          if (!resources.contains(s.resource_id())) {
            return absl::InvalidArgumentError(absl::StrCat(
                served_field(".resource_id"), ": unknown resource \"", s.resource_id(), "\""));
          }
          served_resources.insert(s.resource_id());
          break;
        case v1::ServedItem::kGoal:
          goal_served |= s.goal();
          break;
        case v1::ServedItem::ITEM_NOT_SET:
          return absl::InvalidArgumentError(absl::StrCat(served_field(""), ": names nothing"));
      }
    }
  }
  // Structure and dates: the graph build refuses cycles, naming them.
  CFLOW_ASSIGN_OR_RETURN(checked.graph, PlanGraph(plan, request, calendar));

  v1::CoverageReport& cov = checked.coverage;
  for (const v1::Milestone& m : request.milestones()) {
    if (!served_milestones.contains(m.id())) cov.add_uncovered_milestone_ids(m.id());
  }
  cov.set_goal_uncovered(!goal_served);
  for (const v1::ResourceNeed& r : request.resources()) {
    if (!served_resources.contains(r.id())) cov.add_uncovered_resource_ids(r.id());
  }
  for (const v1::Receiver& rc : request.receivers()) {
    if (TookDuties(record, rc.id()) && !HasTask(plan, rc, directory)) {
      cov.add_uncovered_receiver_ids(rc.id());
    }
  }
  // assignee + deliverable (or, without one, the folded name) -> task index
  absl::flat_hash_map<std::string, int> first_with;
  for (int i = 0; i < plan.tasks_size(); ++i) {
    const v1::Task& t = plan.tasks(i);
    const bool by_name = t.deliverable().empty();
    auto [it, inserted] =
        first_with.emplace(absl::StrCat(PartyKey(t.assignee()), by_name ? "\x1fn\x1f" : "\x1f",
                                        by_name ? FoldName(t.name()) : t.deliverable()),
                           i);
    if (!inserted) {
      v1::CoverageReport::Overlap* o = cov.add_overlaps();
      o->set_task_a(plan.tasks(it->second).id());
      o->set_task_b(t.id());
      if (by_name) {
        o->set_name(plan.tasks(it->second).name());
      } else {
        o->set_deliverable(t.deliverable());
      }
    }
  }
  return checked;
}

std::vector<LeadTimeAnswer> LeadTimeAnswers(const v1::RequestRecord& record,
                                            const v1::ReceiverResponse* pending) {
  // The latest word of each receiver on each resource, whichever version it
  // answered: "needs N days" stands until the receiver says otherwise.
  std::vector<LeadTimeAnswer> out;
  std::vector<std::pair<std::string, std::string>> said;  // (receiver, resource), newest first
  const auto take = [&](const v1::ReceiverResponse& r) {
    for (const v1::ResourceFeasibility& f : r.resources()) {
      std::pair<std::string, std::string> key(r.receiver_id(), f.resource_id());
      if (std::find(said.begin(), said.end(), key) != said.end()) continue;
      said.push_back(std::move(key));
      if (f.feasibility() == v1::FEASIBILITY_FEASIBLE_AFTER_DAYS && f.days_needed() > 0) {
        out.push_back({r.receiver_id(), f.resource_id(), f.days_needed(), f.note()});
      }
    }
  };
  if (pending != nullptr) take(*pending);
  for (auto r = record.responses().rbegin(); r != record.responses().rend(); ++r) take(*r);
  std::reverse(out.begin(), out.end());
  return out;
}

absl::Status CheckLeadTimes(const v1::Plan& plan, const v1::RequestRecord& record,
                            const DirectoryIndex& directory, const Calendar& calendar,
                            absl::Time published, CheckedPlan* checked) {
  const std::vector<LeadTimeAnswer> answers = LeadTimeAnswers(record);
  if (answers.empty() || !record.has_confirmed_at()) return absl::OkStatus();
  ScheduleOptions options;
  if (plan.has_project_start()) {
    CFLOW_ASSIGN_OR_RETURN(absl::CivilDay start, FromProto(plan.project_start(), "project_start"));
    options.project_start = calendar.WorkdayOrdinal(start);
  } else {
    options.project_start = calendar.WorkdayOrdinal(
        calendar.NextWorkingDay(absl::ToCivilDay(published, calendar.time_zone())));
  }
  CFLOW_ASSIGN_OR_RETURN(Schedule schedule, Schedule::Compute(checked->graph, options));
  const int32_t confirmed = calendar.WorkdayOrdinal(
      absl::ToCivilDay(FromProto(record.confirmed_at()), calendar.time_zone()));
  for (const LeadTimeAnswer& a : answers) {
    const v1::Receiver* receiver = nullptr;
    for (const v1::Receiver& rc : record.request().receivers()) {
      if (rc.id() == a.receiver_id) receiver = &rc;
    }
    if (receiver == nullptr) continue;  // no longer a receiver
    // The receiver's tasks serving the resource; else its earliest task.
    std::vector<int> tasks;
    int earliest = -1;
    for (int i = 0; i < plan.tasks_size(); ++i) {
      const v1::Task& t = plan.tasks(i);
      if (!AssignedTo(t, *receiver, directory)) continue;
      if (earliest < 0 || schedule[static_cast<TaskHandle>(i)].early_start <
                              schedule[static_cast<TaskHandle>(earliest)].early_start) {
        earliest = i;
      }
      for (const v1::ServedItem& served : t.serves()) {
        if (served.resource_id() == a.resource_id) tasks.push_back(i);
      }
    }
    if (tasks.empty() && earliest >= 0) tasks.push_back(earliest);
    for (int i : tasks) {
      const int32_t after = schedule[static_cast<TaskHandle>(i)].early_start - confirmed;
      if (after >= a.days_needed) continue;
      v1::CoverageReport::LeadTime* l = checked->coverage.add_short_lead_times();
      l->set_receiver_id(a.receiver_id);
      l->set_resource_id(a.resource_id);
      l->set_days_needed(a.days_needed);
      l->set_task_id(plan.tasks(i).id());
      l->set_planned_after_days(after);
    }
  }
  return absl::OkStatus();
}

std::string OmissionsText(const v1::CoverageReport& c) {
  std::vector<std::string> what;
  if (c.uncovered_milestone_ids_size() > 0) {
    what.push_back(absl::StrCat("milestones ", absl::StrJoin(c.uncovered_milestone_ids(), ", ")));
  }
  if (c.goal_uncovered()) what.push_back("the goal");
  if (c.uncovered_resource_ids_size() > 0) {
    what.push_back(absl::StrCat("resources ", absl::StrJoin(c.uncovered_resource_ids(), ", ")));
  }
  if (c.uncovered_receiver_ids_size() > 0) {
    what.push_back(
        absl::StrCat("receivers without a task ", absl::StrJoin(c.uncovered_receiver_ids(), ", ")));
  }
  return absl::StrJoin(what, "; ");
}

}  // namespace collabflow::internal
