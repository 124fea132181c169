#include "engine/commands/tracking_commands.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/input_checks.h"
#include "base/status_macros.h"
#include "collabflow/limits.h"
#include "engine/commands/authorization.h"
#include "engine/commands/notifications.h"
#include "engine/state/plan_task.h"
#include "engine/state/task_states.h"
#include "engine/state/time_rules.h"
#include "wire/common_proto.h"
#include "wire/time_proto.h"

namespace collabflow::internal {
namespace {

inline constexpr size_t kMaxMinutesItems = 256;

std::string TaskStateName(v1::TaskState s) {
  std::string name = v1::TaskState_Name(s);
  return name.size() > 11 ? name.substr(11) : name;  // drop "TASK_STATE_"
}

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

absl::Status RequireRunning(const DecideContext& ctx, absl::string_view what) {
  return RequireState(*ctx.record, {v1::REQUEST_STATE_PLANNED, v1::REQUEST_STATE_IN_PROGRESS},
                      what);
}

// The task named `task_id`, with its handle in the plan graph.
using TaskRef = PlanTask;

absl::StatusOr<TaskRef> FindTask(const DecideContext& ctx, const std::string& task_id) {
  return FindPlanTask(*ctx.record, ctx.plan_graph, task_id);
}

absl::Status RequireTaskActor(const DecideContext& ctx, const v1::Task& task,
                              absl::string_view what) {
  if (!IsTaskActor(task, ctx.directory, ctx.actor())) {
    return absl::PermissionDeniedError(absl::StrCat("only the assignee of task \"", task.id(),
                                                    "\" may ", what, "; \"", ctx.actor(),
                                                    "\" may not"));
  }
  return absl::OkStatus();
}

absl::Status RequireTaskState(const TaskRef& ref, std::initializer_list<v1::TaskState> allowed,
                              absl::string_view what) {
  const v1::TaskState s = ref.state();
  if (std::find(allowed.begin(), allowed.end(), s) != allowed.end()) return absl::OkStatus();
  std::vector<std::string> names;
  for (v1::TaskState a : allowed) names.push_back(TaskStateName(a));
  return absl::FailedPreconditionError(
      absl::StrCat("cannot ", what, ": task \"", ref.task->id(), "\" is ", TaskStateName(s),
                   " (allowed: ", absl::StrJoin(names, ", "), ")"));
}

std::string ProgressSummary(const v1::ProgressReport& r) {
  std::string s = absl::StrCat("进度 ", r.percent_complete(), "%");
  if (!r.work_done().empty()) absl::StrAppend(&s, ";已完成:", r.work_done());
  if (!r.work_not_done().empty()) absl::StrAppend(&s, ";未完成:", r.work_not_done());
  if (!r.reason().empty()) absl::StrAppend(&s, "(原因:", r.reason(), ")");
  if (!r.support_needed().empty()) absl::StrAppend(&s, ";需支持:", r.support_needed());
  return s;
}

// Validates a resource request's payload and completes it (id, requester,
// time); returns the ResourceRequested event's content.
absl::Status BuildResourceRequest(const DecideContext& ctx, const TaskRef& ref,
                                  v1::ResourceRequest request, int extra_index,
                                  v1::ResourceRequested* out) {
  const std::string f = "resource_request";
  if (request.kind() < v1::RESOURCE_KIND_PEOPLE || request.kind() > v1::RESOURCE_KIND_OTHER) {
    return absl::InvalidArgumentError(absl::StrCat(f, ".kind: unknown or unspecified"));
  }
  CFLOW_RETURN_IF_ERROR(
      CheckText(f + ".description", request.description(), kMaxShortTextBytes, /*required=*/true));
  CFLOW_RETURN_IF_ERROR(CheckText(f + ".unit", request.unit(), kMaxShortTextBytes));
  CFLOW_RETURN_IF_ERROR(CheckText(f + ".justification", request.justification(), kMaxLongTextBytes,
                                  /*required=*/true));
  if (request.quantity() < 0) {
    return absl::InvalidArgumentError(absl::StrCat(f, ".quantity: must be >= 0"));
  }
  if (request.has_needed_by()) {
    CFLOW_RETURN_IF_ERROR(FromProto(request.needed_by(), f + ".needed_by").status());
  }
  request.set_id(absl::StrCat("res-", ctx.record->resource_requests_size() + 1 + extra_index));
  request.set_task_id(ref.task->id());
  request.set_requested_by(ctx.actor());
  *request.mutable_requested_at() = ctx.command.time();
  request.set_decision(v1::RESOURCE_DECISION_UNSPECIFIED);
  request.clear_decided_by();
  request.clear_reason();
  request.clear_decided_at();
  request.clear_escalated_to();
  const std::string& owner = OwnerOf(ctx.record->request());
  *out->mutable_decision_due() = DueAfter(
      ctx.calendar, ctx.now, kDefaultResourceDecisionWorkingDays, v1::DUE_KIND_RESOURCE_DECISION,
      absl::StrCat("resource/", request.id()), ctx.record->request().id(), request.id(), {owner});
  out->mutable_decision_due()->set_task_id(ref.task->id());
  *out->mutable_request() = std::move(request);
  return absl::OkStatus();
}

void NotifyResourceRequested(const DecideContext& ctx, v1::Event& e,
                             const v1::ResourceRequested& rr) {
  NotificationSpec n;
  n.kind = v1::NOTIFICATION_KIND_RESOURCE_REQUESTED;
  n.recipients = {OwnerOf(ctx.record->request())};
  n.subject = absl::StrCat("资源申请(", rr.request().id(), "):", rr.request().description());
  n.body = absl::StrCat("任务 ", rr.request().task_id(), ";理由:", rr.request().justification(),
                        ";请于 ", FormatLocal(ctx.calendar, FromProto(rr.decision_due().due_at())),
                        " 前决定。");
  n.task_ids = {rr.request().task_id()};
  n.due_key = rr.decision_due().key();
  Notify(e, std::move(n));
}

const v1::Risk* FindRisk(const v1::RequestRecord& r, const std::string& id) {
  for (const v1::Risk& risk : r.risks()) {
    if (risk.id() == id) return &risk;
  }
  return nullptr;
}

}  // namespace

bool IsTaskActor(const v1::Task& task, const DirectoryIndex& dir, absl::string_view person_id) {
  switch (task.assignee().party_case()) {
    case v1::PartyRef::kPersonId:
      return task.assignee().person_id() == person_id;
    case v1::PartyRef::kDepartmentId: {
      const std::string& dept = task.assignee().department_id();
      if (dir.MayActFor(person_id, dept)) return true;
      const v1::Person* p = dir.FindPerson(person_id);
      return p != nullptr && p->department_id() == dept;
    }
    case v1::PartyRef::PARTY_NOT_SET:
      break;
  }
  return false;
}

std::vector<std::string> TaskActors(const v1::Task& task, const DirectoryIndex& dir) {
  std::vector<std::string> people = PeopleForParty(task.assignee(), dir);
  if (task.assignee().has_department_id()) {
    for (std::string& p : dir.MembersOf(task.assignee().department_id())) {
      if (!Contains(people, p)) people.push_back(std::move(p));
    }
  }
  return people;
}

absl::Status DecideStartTask(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  CFLOW_ASSIGN_OR_RETURN(TaskRef ref, FindTask(ctx, ctx.command.start_task().task_id()));
  CFLOW_RETURN_IF_ERROR(RequireTaskActor(ctx, *ref.task, "start it"));
  CFLOW_RETURN_IF_ERROR(RequireRunning(ctx, "start a task"));
  TaskStateView view(*ctx.record, *ctx.plan_graph);
  if (view.state(ref.handle) == v1::TASK_STATE_NOT_STARTED) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot start task \"", ref.task->id(), "\": it waits on ",
                     absl::StrJoin(view.WaitingOn(ref.handle), ", ")));
  }
  CFLOW_RETURN_IF_ERROR(RequireTaskState(ref, {v1::TASK_STATE_READY}, "start"));
  v1::Event& e = ctx.Emit();
  v1::TaskStarted* started = e.mutable_task_started();
  started->set_task_id(ref.task->id());
  started->set_task_index(ref.handle);
  std::vector<v1::TaskTransition> transitions = {
      Transition(ref.handle, ref.task->id(), v1::TASK_STATE_READY, v1::TASK_STATE_IN_PROGRESS)};
  view.Override(ref.handle, v1::TASK_STATE_IN_PROGRESS);
  view.SuccessorTransitions(ref.handle, &transitions);
  for (v1::TaskTransition& t : transitions) *started->add_transitions() = std::move(t);
  // The person who starts the task owes its reports (for a department
  // assignee: the member who took it on), so ladders climb their chain.
  const v1::Cadence& cadence =
      ref.task->has_cadence() ? ref.task->cadence() : ctx.record->plan().cadence();
  *started->mutable_report_due() = ReportDue(
      ctx.calendar, cadence, ctx.now, ctx.record->request().id(), ref.task->id(), {ctx.actor()});
  NotificationSpec n;
  n.kind = v1::NOTIFICATION_KIND_TASK_STARTED;
  n.recipients = {OwnerOf(ctx.record->request())};
  n.subject = absl::StrCat("任务开始:", ref.task->id(), " ", ref.task->name());
  n.task_ids = {ref.task->id()};
  Notify(e, std::move(n));
  return absl::OkStatus();
}

namespace {

// A late report records the misses before it, whether or not a Tick ran:
// every period of the cadence whose due time passed without a report, from
// the open due item on (its first miss only if no Tick recorded it: rung 1).
void EmitMissedReports(const DecideContext& ctx, const TaskRef& ref, const v1::Cadence& cadence) {
  // A bound for a report years late under a daily cadence.
  constexpr int kMaxMissesRecorded = 1000;
  const std::string key = absl::StrCat("report/", ref.task->id());
  const v1::DueItem* open = nullptr;
  for (const v1::DueItem& d : ctx.record->open_dues()) {
    if (d.key() == key) open = &d;
  }
  if (open == nullptr || !open->has_due_at()) return;
  absl::Time due = FromProto(open->due_at());
  bool recorded = open->reminders_sent() > 0;
  for (int n = 0; due < ctx.now && n < kMaxMissesRecorded; ++n) {
    if (!recorded) {
      v1::ReportMissed* missed = ctx.Emit().mutable_report_missed();
      missed->set_task_id(ref.task->id());
      missed->set_due_key(key);
      missed->set_task_index(ref.handle);
      ToProto(due, missed->mutable_due_at());
    }
    recorded = false;
    due = FromProto(
        ReportDue(ctx.calendar, cadence, due, ctx.record->request().id(), ref.task->id(), {})
            .due_at());
  }
}

}  // namespace

absl::Status DecideReportProgress(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  v1::ProgressReport report = std::move(*ctx.command.mutable_report_progress()->mutable_report());
  const v1::ReportProgress& cmd = ctx.command.report_progress();
  CFLOW_ASSIGN_OR_RETURN(TaskRef ref, FindTask(ctx, report.task_id()));
  CFLOW_RETURN_IF_ERROR(RequireTaskActor(ctx, *ref.task, "report on it"));
  CFLOW_RETURN_IF_ERROR(RequireRunning(ctx, "report progress"));
  CFLOW_RETURN_IF_ERROR(RequireTaskState(
      ref, {v1::TASK_STATE_IN_PROGRESS, v1::TASK_STATE_BLOCKED, v1::TASK_STATE_REWORK},
      "report progress"));
  if (report.percent_complete() < 0 || report.percent_complete() > 100) {
    return absl::InvalidArgumentError(
        absl::StrCat("report.percent_complete: ", report.percent_complete(), " outside 0..100"));
  }
  CFLOW_RETURN_IF_ERROR(CheckText("report.work_done", report.work_done(), kMaxLongTextBytes));
  CFLOW_RETURN_IF_ERROR(
      CheckText("report.work_not_done", report.work_not_done(), kMaxLongTextBytes));
  CFLOW_RETURN_IF_ERROR(CheckText("report.reason", report.reason(), kMaxLongTextBytes));
  CFLOW_RETURN_IF_ERROR(
      CheckText("report.support_needed", report.support_needed(), kMaxLongTextBytes));
  if (report.work_done().empty() && report.work_not_done().empty()) {
    return absl::InvalidArgumentError("report: say what was done or what was not");
  }
  report.set_reporter_id(ctx.actor());
  *report.mutable_time() = ctx.command.time();

  v1::ResourceRequested resource;
  const bool wants_resource = cmd.has_resource_request();
  if (wants_resource) {
    CFLOW_RETURN_IF_ERROR(BuildResourceRequest(ctx, ref, cmd.resource_request(), 0, &resource));
  }
  const v1::Cadence& cadence =
      ref.task->has_cadence() ? ref.task->cadence() : ctx.record->plan().cadence();
  EmitMissedReports(ctx, ref, cadence);
  v1::Event& e = ctx.Emit();
  v1::ProgressReported* reported = e.mutable_progress_reported();
  reported->set_task_index(ref.handle);
  *reported->mutable_next_report_due() = ReportDue(
      ctx.calendar, cadence, ctx.now, ctx.record->request().id(), ref.task->id(), {ctx.actor()});
  NotificationSpec n;
  n.kind = v1::NOTIFICATION_KIND_PROGRESS_REPORTED;
  n.recipients = {OwnerOf(ctx.record->request())};
  n.subject = absl::StrCat("进度反馈:", ref.task->id(), " ", ref.task->name());
  n.body = ProgressSummary(report);
  n.task_ids = {ref.task->id()};
  Notify(e, std::move(n));
  *reported->mutable_report() = std::move(report);
  if (wants_resource) {
    v1::Event& r = ctx.Emit();
    NotifyResourceRequested(ctx, r, resource);
    *r.mutable_resource_requested() = std::move(resource);
  }
  return absl::OkStatus();
}

absl::Status DecideRaiseRisk(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  v1::Risk risk = std::move(*ctx.command.mutable_raise_risk()->mutable_risk());
  CFLOW_ASSIGN_OR_RETURN(TaskRef ref, FindTask(ctx, risk.task_id()));
  CFLOW_RETURN_IF_ERROR(RequireTaskActor(ctx, *ref.task, "raise a risk on it"));
  CFLOW_RETURN_IF_ERROR(RequireRunning(ctx, "raise a risk"));
  CFLOW_RETURN_IF_ERROR(
      RequireTaskState(ref,
                       {v1::TASK_STATE_NOT_STARTED, v1::TASK_STATE_READY,
                        v1::TASK_STATE_IN_PROGRESS, v1::TASK_STATE_BLOCKED, v1::TASK_STATE_REWORK},
                       "raise a risk"));
  if (risk.type() < v1::RISK_TYPE_DELAY || risk.type() > v1::RISK_TYPE_OTHER) {
    return absl::InvalidArgumentError("risk.type: unknown or unspecified");
  }
  if (risk.severity() < v1::SEVERITY_LOW || risk.severity() > v1::SEVERITY_CRITICAL) {
    return absl::InvalidArgumentError("risk.severity: unknown or unspecified");
  }
  CFLOW_RETURN_IF_ERROR(
      CheckText("risk.description", risk.description(), kMaxLongTextBytes, /*required=*/true));
  risk.set_id(absl::StrCat("risk-", ctx.record->risks_size() + 1));
  risk.set_raised_by(ctx.actor());
  *risk.mutable_raised_at() = ctx.command.time();
  risk.clear_owner_response();
  risk.clear_responded_at();
  risk.set_resolved(false);
  risk.clear_resolution();
  risk.clear_resolved_at();
  risk.set_resolved_by_revision(0);

  const std::string& owner = OwnerOf(ctx.record->request());
  v1::Event& e = ctx.Emit();
  v1::RiskRaised* raised = e.mutable_risk_raised();
  *raised->mutable_response_due() =
      DueAfter(ctx.calendar, ctx.now, kDefaultRiskResponseWorkingDays, v1::DUE_KIND_RISK_RESPONSE,
               absl::StrCat("risk/", risk.id()), ctx.record->request().id(), risk.id(), {owner});
  raised->mutable_response_due()->set_task_id(ref.task->id());
  const v1::TaskState s = ref.state();
  if (risk.blocker() && s != v1::TASK_STATE_BLOCKED) {
    *raised->add_transitions() = Transition(ref.handle, ref.task->id(), s, v1::TASK_STATE_BLOCKED);
  }
  NotificationSpec n;
  n.kind = v1::NOTIFICATION_KIND_RISK_RAISED;
  n.recipients = {owner};
  n.subject = absl::StrCat(risk.blocker() ? "阻塞问题" : "风险", "(", risk.id(),
                           "):", ref.task->id(), " ", ref.task->name());
  n.body = absl::StrCat(risk.description(), ";请于 ",
                        FormatLocal(ctx.calendar, FromProto(raised->response_due().due_at())),
                        " 前回应。");
  n.task_ids = {ref.task->id()};
  n.due_key = raised->response_due().key();
  Notify(e, std::move(n));
  *raised->mutable_risk() = std::move(risk);
  return absl::OkStatus();
}

absl::Status DecideRespondToRisk(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  CFLOW_RETURN_IF_ERROR(RequireOwner(ctx, "respond to a risk"));
  CFLOW_RETURN_IF_ERROR(RequireRunning(ctx, "respond to a risk"));
  const v1::RespondToRisk& cmd = ctx.command.respond_to_risk();
  const v1::Risk* risk = FindRisk(*ctx.record, cmd.risk_id());
  if (risk == nullptr)
    return absl::NotFoundError(absl::StrCat("risk \"", cmd.risk_id(), "\" not found"));
  if (risk->resolved()) {
    return absl::FailedPreconditionError(absl::StrCat("risk \"", risk->id(), "\" is resolved"));
  }
  CFLOW_RETURN_IF_ERROR(CheckText("response", cmd.response(), kMaxLongTextBytes, true));
  v1::Event& e = ctx.Emit();
  e.mutable_risk_responded()->set_risk_id(risk->id());
  e.mutable_risk_responded()->set_response(cmd.response());
  NotificationSpec n;
  n.kind = v1::NOTIFICATION_KIND_RISK_RESPONDED;
  n.recipients = {risk->raised_by()};
  n.subject = absl::StrCat("负责人已回应风险 ", risk->id());
  n.body = cmd.response();
  n.task_ids = {risk->task_id()};
  Notify(e, std::move(n));
  return absl::OkStatus();
}

absl::Status DecideResolveRisk(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  CFLOW_RETURN_IF_ERROR(RequireOwner(ctx, "resolve a risk"));
  CFLOW_RETURN_IF_ERROR(RequireRunning(ctx, "resolve a risk"));
  const v1::ResolveRisk& cmd = ctx.command.resolve_risk();
  const v1::Risk* risk = FindRisk(*ctx.record, cmd.risk_id());
  if (risk == nullptr)
    return absl::NotFoundError(absl::StrCat("risk \"", cmd.risk_id(), "\" not found"));
  if (risk->resolved()) {
    return absl::FailedPreconditionError(
        absl::StrCat("risk \"", risk->id(), "\" is already resolved"));
  }
  CFLOW_RETURN_IF_ERROR(CheckText("resolution", cmd.resolution(), kMaxLongTextBytes, true));
  if (cmd.revision_number() < 0 || cmd.revision_number() > ctx.record->revisions_size()) {
    return absl::InvalidArgumentError(
        absl::StrCat("revision_number: no plan revision ", cmd.revision_number()));
  }
  v1::Event& e = ctx.Emit();
  v1::RiskResolved* resolved = e.mutable_risk_resolved();
  resolved->set_risk_id(risk->id());
  resolved->set_resolution(cmd.resolution());
  resolved->set_revision_number(cmd.revision_number());
  // The last open blocker on a task releases it to where it was.
  if (risk->blocker()) {
    bool other_blocker = false;
    for (const v1::Risk& r : ctx.record->risks()) {
      other_blocker |=
          r.id() != risk->id() && r.blocker() && !r.resolved() && r.task_id() == risk->task_id();
    }
    // The task may have left the plan in a revision since: then nothing moves.
    const absl::StatusOr<TaskRef> ref = FindTask(ctx, risk->task_id());
    if (!other_blocker && ref.ok() && ref->state() == v1::TASK_STATE_BLOCKED) {
      const v1::TaskExecution& x = *ref->execution;
      const v1::TaskState back = x.state_before_block() == v1::TASK_STATE_UNSPECIFIED
                                     ? v1::TASK_STATE_IN_PROGRESS
                                     : x.state_before_block();
      *resolved->add_transitions() =
          Transition(ref->handle, x.task_id(), v1::TASK_STATE_BLOCKED, back);
    }
  }
  NotificationSpec n;
  n.kind = v1::NOTIFICATION_KIND_RISK_RESOLVED;
  n.recipients = {risk->raised_by()};
  n.subject = absl::StrCat("风险已解决 ", risk->id());
  n.body = cmd.resolution();
  n.task_ids = {risk->task_id()};
  Notify(e, std::move(n));
  return absl::OkStatus();
}

absl::Status DecideRequestResource(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  const v1::ResourceRequest& request = ctx.command.request_resource().request();
  CFLOW_ASSIGN_OR_RETURN(TaskRef ref, FindTask(ctx, request.task_id()));
  CFLOW_RETURN_IF_ERROR(RequireTaskActor(ctx, *ref.task, "request resources for it"));
  CFLOW_RETURN_IF_ERROR(RequireRunning(ctx, "request resources"));
  v1::ResourceRequested rr;
  CFLOW_RETURN_IF_ERROR(BuildResourceRequest(ctx, ref, request, 0, &rr));
  v1::Event& e = ctx.Emit();
  NotifyResourceRequested(ctx, e, rr);
  *e.mutable_resource_requested() = std::move(rr);
  return absl::OkStatus();
}

absl::Status DecideDecideResource(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  const v1::DecideResource& cmd = ctx.command.decide_resource();
  const v1::ResourceRequest* rr = nullptr;
  for (const v1::ResourceRequest& r : ctx.record->resource_requests()) {
    if (r.id() == cmd.resource_request_id()) rr = &r;
  }
  if (rr == nullptr) {
    return absl::NotFoundError(
        absl::StrCat("resource request \"", cmd.resource_request_id(), "\" not found"));
  }
  const std::string& owner = OwnerOf(ctx.record->request());
  const bool escalated = rr->decision() == v1::RESOURCE_DECISION_ESCALATED;
  const std::string& decider = escalated ? rr->escalated_to() : owner;
  if (ctx.actor() != decider) {
    return absl::PermissionDeniedError(absl::StrCat(
        escalated ? "the request was escalated; only " : "only the owner ", "(", decider,
        ") may decide resource request \"", rr->id(), "\"; \"", ctx.actor(), "\" may not"));
  }
  CFLOW_RETURN_IF_ERROR(RequireRunning(ctx, "decide a resource request"));
  if (rr->decision() != v1::RESOURCE_DECISION_UNSPECIFIED && !escalated) {
    return absl::FailedPreconditionError(
        absl::StrCat("resource request \"", rr->id(), "\" is already decided"));
  }
  const v1::ResourceDecision d = cmd.decision();
  if (d != v1::RESOURCE_DECISION_GRANTED && d != v1::RESOURCE_DECISION_DENIED &&
      !(d == v1::RESOURCE_DECISION_ESCALATED && !escalated)) {
    return absl::InvalidArgumentError(
        absl::StrCat("decision: ", v1::ResourceDecision_Name(d), " is not a decision ",
                     escalated ? "the superior can take (GRANTED or DENIED)"
                               : "(GRANTED, DENIED or ESCALATED)"));
  }
  CFLOW_RETURN_IF_ERROR(CheckText("reason", cmd.reason(), kMaxLongTextBytes,
                                  /*required=*/d == v1::RESOURCE_DECISION_DENIED));
  v1::Event& e = ctx.Emit();
  v1::ResourceDecided* decided = e.mutable_resource_decided();
  decided->set_resource_request_id(rr->id());
  decided->set_decision(d);
  decided->set_reason(cmd.reason());
  NotificationSpec n;
  n.kind = d == v1::RESOURCE_DECISION_ESCALATED ? v1::NOTIFICATION_KIND_RESOURCE_ESCALATED
                                                : v1::NOTIFICATION_KIND_RESOURCE_DECIDED;
  n.task_ids = {rr->task_id()};
  if (d == v1::RESOURCE_DECISION_ESCALATED) {
    const std::string superior = ctx.directory.SuperiorOf(owner);
    if (superior.empty()) {
      return absl::FailedPreconditionError(absl::StrCat("cannot escalate: the owner (", owner,
                                                        ") has no superior in the directory"));
    }
    decided->set_escalated_to(superior);
    *decided->mutable_superior_due() =
        DueAfter(ctx.calendar, ctx.now, kDefaultResourceDecisionWorkingDays,
                 v1::DUE_KIND_RESOURCE_DECISION, absl::StrCat("resource/", rr->id(), "/superior"),
                 ctx.record->request().id(), rr->id(), {superior});
    decided->mutable_superior_due()->set_task_id(rr->task_id());
    n.recipients = {superior, rr->requested_by()};
    n.subject = absl::StrCat("资源申请上报上级决策(", rr->id(), "):", rr->description());
    n.body = absl::StrCat(cmd.reason(), ";请于 ",
                          FormatLocal(ctx.calendar, FromProto(decided->superior_due().due_at())),
                          " 前决定。");
    n.due_key = decided->superior_due().key();
  } else {
    n.recipients = {rr->requested_by(), owner};
    n.subject = absl::StrCat("资源申请", d == v1::RESOURCE_DECISION_GRANTED ? "已批准" : "未批准",
                             "(", rr->id(), "):", rr->description());
    n.body = cmd.reason();
  }
  Notify(e, std::move(n));
  return absl::OkStatus();
}

absl::Status DecideRecordMinutes(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  const std::string& owner = OwnerOf(ctx.record->request());
  if (ctx.actor() != owner && ctx.actor() != ctx.record->request().initiator_id()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "only the owner or the initiator may record minutes; \"", ctx.actor(), "\" may not"));
  }
  CFLOW_RETURN_IF_ERROR(RequireState(
      *ctx.record,
      {v1::REQUEST_STATE_CONFIRMED, v1::REQUEST_STATE_PLANNED, v1::REQUEST_STATE_IN_PROGRESS},
      "record minutes"));
  v1::Minutes m = ctx.command.record_minutes().minutes();
  CFLOW_RETURN_IF_ERROR(CheckedFromProto(m.time(), m.has_time(), "minutes.time").status());
  CFLOW_RETURN_IF_ERROR(CheckText("minutes.title", m.title(), kMaxShortTextBytes, true));
  CFLOW_RETURN_IF_ERROR(
      CheckCount("minutes.attendee_ids", m.attendee_ids_size(), kMaxMinutesItems));
  for (int i = 0; i < m.attendee_ids_size(); ++i) {
    if (!ctx.directory.HasPerson(m.attendee_ids(i))) {
      return absl::InvalidArgumentError(absl::StrCat(
          "minutes.attendee_ids[", i, "]: unknown person \"", m.attendee_ids(i), "\""));
    }
  }
  CFLOW_RETURN_IF_ERROR(CheckCount("minutes.decisions", m.decisions_size(), kMaxMinutesItems));
  for (int i = 0; i < m.decisions_size(); ++i) {
    CFLOW_RETURN_IF_ERROR(CheckText(absl::StrCat("minutes.decisions[", i, "]"), m.decisions(i),
                                    kMaxLongTextBytes, true));
  }
  CFLOW_RETURN_IF_ERROR(
      CheckCount("minutes.action_items", m.action_items_size(), kMaxMinutesItems));
  for (int i = 0; i < m.action_items_size(); ++i) {
    const v1::Minutes::ActionItem& a = m.action_items(i);
    const std::string f = absl::StrCat("minutes.action_items[", i, "]");
    CFLOW_RETURN_IF_ERROR(CheckText(f + ".description", a.description(), kMaxLongTextBytes, true));
    if (!a.assignee_id().empty() && !ctx.directory.HasPerson(a.assignee_id())) {
      return absl::InvalidArgumentError(
          absl::StrCat(f, ".assignee_id: unknown person \"", a.assignee_id(), "\""));
    }
    if (a.has_due()) CFLOW_RETURN_IF_ERROR(FromProto(a.due(), f + ".due").status());
  }
  m.set_id(absl::StrCat("minutes-", ctx.record->minutes_size() + 1));
  m.set_recorded_by(ctx.actor());
  v1::Event& e = ctx.Emit();
  NotificationSpec n;
  n.kind = v1::NOTIFICATION_KIND_MINUTES;
  n.recipients = MembersOf(*ctx.record, ctx.directory);
  n.recipients.insert(n.recipients.end(), m.attendee_ids().begin(), m.attendee_ids().end());
  n.subject = absl::StrCat("会议纪要:", m.title());
  for (const std::string& d : m.decisions()) absl::StrAppend(&n.body, "决定:", d, "\n");
  for (const auto& a : m.action_items()) {
    absl::StrAppend(&n.body, "待办:", a.description(), a.assignee_id().empty() ? "" : "(",
                    a.assignee_id(), a.assignee_id().empty() ? "" : ")", "\n");
  }
  Notify(e, std::move(n));
  *e.mutable_minutes_recorded()->mutable_minutes() = std::move(m);
  return absl::OkStatus();
}

absl::Status DecideRecordChannel(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  const std::string& owner = OwnerOf(ctx.record->request());
  if (ctx.actor() != owner && ctx.actor() != ctx.record->request().initiator_id()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "only the owner or the initiator may record a channel; \"", ctx.actor(), "\" may not"));
  }
  if (!IsOpen(ctx.record->state())) {
    return RequireState(*ctx.record, {v1::REQUEST_STATE_SUBMITTED}, "record a channel");
  }
  const v1::ChannelLink& link = ctx.command.record_channel().link();
  if (link.channel() < v1::CHANNEL_GROUP_CHAT || link.channel() > v1::CHANNEL_MEETING) {
    return absl::InvalidArgumentError("link.channel: unknown or unspecified");
  }
  CFLOW_RETURN_IF_ERROR(CheckText("link.uri", link.uri(), kMaxShortTextBytes, true));
  CFLOW_RETURN_IF_ERROR(CheckText("link.note", link.note(), kMaxShortTextBytes));
  *ctx.Emit().mutable_channel_recorded()->mutable_link() = link;
  return absl::OkStatus();
}

}  // namespace collabflow::internal
