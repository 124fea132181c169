#include "engine/commands/acceptance_commands.h"

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/input_checks.h"
#include "base/status_macros.h"
#include "collabflow/limits.h"
#include "engine/commands/authorization.h"
#include "engine/commands/notifications.h"
#include "engine/commands/tracking_commands.h"
#include "engine/state/plan_check.h"
#include "engine/state/plan_schedule.h"
#include "engine/state/plan_task.h"
#include "engine/state/schedule_view.h"
#include "engine/state/task_states.h"
#include "engine/state/time_rules.h"
#include "engine/state/timeliness.h"
#include "wire/common_proto.h"
#include "wire/time_proto.h"

namespace collabflow::internal {
namespace {

inline constexpr size_t kMaxDeliverables = 64;
inline constexpr size_t kMaxRectificationItems = 64;

absl::Status CheckDeliverables(const google::protobuf::RepeatedPtrField<v1::Deliverable>& ds) {
  if (ds.empty()) return absl::InvalidArgumentError("deliverables: submit at least one");
  CFLOW_RETURN_IF_ERROR(CheckCount("deliverables", ds.size(), kMaxDeliverables));
  for (int i = 0; i < ds.size(); ++i) {
    const v1::Deliverable& d = ds[i];
    const std::string f = absl::StrCat("deliverables[", i, "]");
    CFLOW_RETURN_IF_ERROR(CheckText(f + ".title", d.title(), kMaxShortTextBytes, true));
    CFLOW_RETURN_IF_ERROR(CheckText(f + ".uri", d.uri(), kMaxShortTextBytes, true));
    if (d.sha256().size() != 64 || !std::all_of(d.sha256().begin(), d.sha256().end(), [](char c) {
          return absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f');
        })) {
      return absl::InvalidArgumentError(
          absl::StrCat(f, ".sha256: need 64 lowercase hex digits, got \"", d.sha256(), "\""));
    }
    if (d.size_bytes() < 0) return absl::InvalidArgumentError(f + ".size_bytes: negative");
    CFLOW_RETURN_IF_ERROR(CheckText(f + ".media_type", d.media_type(), kMaxShortTextBytes));
    CFLOW_RETURN_IF_ERROR(CheckText(f + ".note", d.note(), kMaxLongTextBytes));
  }
  return absl::OkStatus();
}

const v1::Submission* LatestSubmission(const v1::RequestRecord& r, const std::string& task) {
  const v1::Submission* latest = nullptr;
  for (const v1::Submission& s : r.submissions()) {
    if (s.task_id() == task) latest = &s;
  }
  return latest;
}

const v1::Review* LatestFailedReview(const v1::RequestRecord& r, const std::string& task) {
  const v1::Review* latest = nullptr;
  for (const v1::Review& v : r.reviews()) {
    if (v.task_id() == task && v.verdict() == v1::VERDICT_FAIL) latest = &v;
  }
  return latest;
}

// When the task's deliverables were due (see the header).
absl::StatusOr<absl::Time> TaskDue(const DecideContext& ctx, int index) {
  const v1::Task& task = ctx.record->plan().tasks(index);
  if (const v1::Review* failed = LatestFailedReview(*ctx.record, task.id())) {
    absl::Time latest = absl::InfinitePast();
    for (const v1::RectificationItem& item : failed->rectification()) {
      latest = std::max(latest, FromProto(item.due()));
    }
    return latest;
  }
  // A bound (its own date or a milestone it serves) is a promise; without
  // one the planned finish is (from the kept schedule: no full pass).
  const TaskHandle handle = static_cast<TaskHandle>(index);
  const int32_t bound = ctx.plan_graph->finish_no_later_than(handle);
  if (bound != kNoDate) return ctx.calendar.CloseOf(ctx.calendar.WorkdayAt(bound));
  CFLOW_ASSIGN_OR_RETURN(const Schedule* schedule,
                         ctx.plan_schedule->ScheduleAsOf(*ctx.record, ctx.calendar));
  return ctx.calendar.CloseOf(EarlyFinishDay(ctx.calendar, (*schedule)[handle]));
}

}  // namespace

absl::Status DecideSubmitDeliverables(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  const v1::SubmitDeliverables& cmd = ctx.command.submit_deliverables();
  CFLOW_ASSIGN_OR_RETURN(const PlanTask found,
                         FindPlanTask(*ctx.record, ctx.plan_graph, cmd.task_id()));
  const v1::Task& task = *found.task;
  if (!IsTaskActor(task, ctx.directory, ctx.actor())) {
    return absl::PermissionDeniedError(absl::StrCat("only the assignee of task \"", task.id(),
                                                    "\" may submit its deliverables; \"",
                                                    ctx.actor(), "\" may not"));
  }
  CFLOW_RETURN_IF_ERROR(
      RequireState(*ctx.record, {v1::REQUEST_STATE_IN_PROGRESS}, "submit deliverables"));
  const v1::TaskState s = found.state();
  if (s != v1::TASK_STATE_IN_PROGRESS && s != v1::TASK_STATE_REWORK) {
    return absl::FailedPreconditionError(
        absl::StrCat("cannot submit deliverables: task \"", task.id(), "\" is ",
                     v1::TaskState_Name(s).substr(11), " (allowed: IN_PROGRESS, REWORK)"));
  }
  CFLOW_RETURN_IF_ERROR(CheckDeliverables(cmd.deliverables()));
  CFLOW_RETURN_IF_ERROR(CheckText("note", cmd.note(), kMaxLongTextBytes));
  int round = 1;
  for (const v1::Submission& x : ctx.record->submissions()) round += x.task_id() == task.id();
  v1::Event& e = ctx.Emit();
  v1::DeliverablesSubmitted* submitted = e.mutable_deliverables_submitted();
  v1::Submission* sub = submitted->mutable_submission();
  sub->set_id(absl::StrCat("sub-", ctx.record->submissions_size() + 1));
  sub->set_task_id(task.id());
  sub->set_submitted_by(ctx.actor());
  *sub->mutable_time() = ctx.command.time();
  *sub->mutable_deliverables() = cmd.deliverables();
  sub->set_round(round);
  *submitted->add_transitions() = Transition(found.handle, task.id(), s, v1::TASK_STATE_SUBMITTED);
  NotificationSpec n;
  n.kind = v1::NOTIFICATION_KIND_DELIVERABLES_SUBMITTED;
  n.recipients = {OwnerOf(ctx.record->request())};
  n.subject = absl::StrCat("成果提交待验收(第", round, "次):", task.id(), " ", task.name());
  n.body = cmd.note();
  n.task_ids = {task.id()};
  Notify(e, std::move(n));
  return absl::OkStatus();
}

absl::Status DecideReviewSubmission(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  CFLOW_RETURN_IF_ERROR(RequireOwner(ctx, "review deliverables"));
  CFLOW_RETURN_IF_ERROR(
      RequireState(*ctx.record, {v1::REQUEST_STATE_IN_PROGRESS}, "review deliverables"));
  const v1::ReviewSubmission& cmd = ctx.command.review_submission();
  CFLOW_ASSIGN_OR_RETURN(const PlanTask found,
                         FindPlanTask(*ctx.record, ctx.plan_graph, cmd.task_id()));
  const v1::Task& task = *found.task;
  if (found.state() != v1::TASK_STATE_SUBMITTED) {
    return absl::FailedPreconditionError(absl::StrCat("cannot review: task \"", task.id(), "\" is ",
                                                      v1::TaskState_Name(found.state()).substr(11),
                                                      " (allowed: SUBMITTED)"));
  }
  const v1::Submission* submission = LatestSubmission(*ctx.record, task.id());
  // Completeness: every delivery-standard item is accounted for, once.
  std::set<std::string> standard(task.delivery_standard().begin(), task.delivery_standard().end());
  std::set<std::string> seen;
  for (const auto* list : {&cmd.items_met(), &cmd.items_missing()}) {
    for (const std::string& item : *list) {
      if (!standard.count(item)) {
        return absl::InvalidArgumentError(absl::StrCat("items: \"", item, "\" is not in task ",
                                                       task.id(), "'s delivery standard"));
      }
      if (!seen.insert(item).second) {
        return absl::InvalidArgumentError(absl::StrCat("items: \"", item, "\" is listed twice"));
      }
    }
  }
  if (seen.size() != standard.size()) {
    std::vector<std::string> unchecked;
    for (const std::string& item : standard) {
      if (!seen.count(item)) unchecked.push_back(item);
    }
    return absl::InvalidArgumentError(
        absl::StrCat("items: not checked: ", absl::StrJoin(unchecked, ", ")));
  }
  CFLOW_RETURN_IF_ERROR(CheckText("accuracy_comment", cmd.accuracy_comment(), kMaxLongTextBytes));
  CFLOW_RETURN_IF_ERROR(
      CheckText("waiver_reason", cmd.waiver_reason(), kMaxLongTextBytes, cmd.waive_timeliness()));
  // Timeliness, from the due time and the submission time, in working time.
  CFLOW_ASSIGN_OR_RETURN(absl::Time due, TaskDue(ctx, static_cast<int>(found.handle)));
  const absl::Time submitted = FromProto(submission->time());
  const absl::Duration late = ctx.calendar.WorkingTimeBetween(due, submitted);
  const bool on_time = submitted <= due;
  if (cmd.verdict() != v1::VERDICT_PASS && cmd.verdict() != v1::VERDICT_FAIL) {
    return absl::InvalidArgumentError("verdict: unknown or unspecified");
  }
  if (cmd.verdict() == v1::VERDICT_PASS) {
    if (!cmd.items_missing().empty() || !cmd.accurate()) {
      return absl::InvalidArgumentError(
          "verdict: PASS needs every delivery-standard item met and accurate = true");
    }
    if (!on_time && !cmd.waive_timeliness()) {
      return absl::InvalidArgumentError(
          absl::StrCat("verdict: the submission is late by ", absl::FormatDuration(late),
                       " of working time; waive timeliness with a reason, or fail it"));
    }
    if (!cmd.rectification().empty()) {
      return absl::InvalidArgumentError("rectification: a PASS has no rectification items");
    }
  } else if (cmd.rectification().empty()) {
    return absl::InvalidArgumentError("rectification: a FAIL needs at least one item");
  }
  CFLOW_RETURN_IF_ERROR(
      CheckCount("rectification", cmd.rectification_size(), kMaxRectificationItems));

  const v1::CollaborationRequest& request = ctx.record->request();
  v1::Event& e = ctx.Emit();
  v1::SubmissionReviewed* reviewed = e.mutable_submission_reviewed();
  reviewed->set_task_index(found.handle);
  v1::Review* review = reviewed->mutable_review();
  review->set_submission_id(submission->id());
  review->set_task_id(task.id());
  review->set_reviewer_id(ctx.actor());
  *review->mutable_time() = ctx.command.time();
  *review->mutable_items_met() = cmd.items_met();
  *review->mutable_items_missing() = cmd.items_missing();
  review->set_accurate(cmd.accurate());
  review->set_accuracy_comment(cmd.accuracy_comment());
  review->set_on_time(on_time);
  review->set_late_by_working_minutes(on_time ? 0 : absl::ToInt64Minutes(late));
  review->set_timeliness_waived(cmd.waive_timeliness());
  review->set_waiver_reason(cmd.waiver_reason());
  review->set_verdict(cmd.verdict());
  NotificationSpec n;
  n.recipients = {submission->submitted_by()};
  n.task_ids = {task.id()};
  if (cmd.verdict() == v1::VERDICT_PASS) {
    *reviewed->add_transitions() =
        Transition(found.handle, task.id(), v1::TASK_STATE_SUBMITTED, v1::TASK_STATE_DONE);
    if (ctx.plan_graph != nullptr) {
      TaskStateView states(*ctx.record, *ctx.plan_graph);
      states.Override(found.handle, v1::TASK_STATE_DONE);
      std::vector<v1::TaskTransition> next;
      states.SuccessorTransitions(found.handle, &next);
      for (v1::TaskTransition& t : next) *reviewed->add_transitions() = std::move(t);
    }
    n.kind = v1::NOTIFICATION_KIND_REVIEW_PASSED;
    n.subject = absl::StrCat("验收通过:", task.id(), " ", task.name());
  } else {
    const int days = ConfiguredOr(request.rework_working_days(), kDefaultRectificationWorkingDays);
    absl::Time latest = absl::InfinitePast();
    for (int i = 0; i < cmd.rectification_size(); ++i) {
      v1::RectificationItem item = cmd.rectification(i);
      const std::string f = absl::StrCat("rectification[", i, "]");
      CFLOW_RETURN_IF_ERROR(
          CheckText(f + ".description", item.description(), kMaxLongTextBytes, true));
      if (!item.has_due()) {
        ToProto(RectificationDue(ctx.calendar, ctx.now, days), item.mutable_due());
      } else {
        CFLOW_RETURN_IF_ERROR(CheckedFromProto(item.due(), true, f + ".due").status());
      }
      latest = std::max(latest, FromProto(item.due()));
      *review->add_rectification() = std::move(item);
    }
    *reviewed->add_transitions() =
        Transition(found.handle, task.id(), v1::TASK_STATE_SUBMITTED, v1::TASK_STATE_REWORK);
    v1::DueItem* due_item = reviewed->mutable_rework_due();
    due_item->set_key(absl::StrCat("rework/", task.id()));
    due_item->set_kind(v1::DUE_KIND_REWORK);
    due_item->set_request_id(request.id());
    due_item->set_subject_id(task.id());
    due_item->set_task_id(task.id());
    due_item->add_owed_by(submission->submitted_by());
    ToProto(ctx.now, due_item->mutable_opened_at());
    ToProto(latest, due_item->mutable_due_at());
    int failed = 1;
    for (const v1::Review& v : ctx.record->reviews()) {
      failed += v.task_id() == task.id() && v.verdict() == v1::VERDICT_FAIL;
    }
    const int max_rounds = ConfiguredOr(request.max_review_rounds(), kDefaultMaxReviewRounds);
    n.kind = v1::NOTIFICATION_KIND_REVIEW_FAILED;
    n.subject = absl::StrCat("验收未通过(第", failed, "轮),请整改:", task.id(), " ", task.name());
    for (const v1::RectificationItem& item : review->rectification()) {
      absl::StrAppend(&n.body, "· ", item.description(), "(",
                      FormatLocal(ctx.calendar, FromProto(item.due())), " 前)\n");
    }
    n.due_key = due_item->key();
    if (failed >= max_rounds) {
      const std::string superior = ctx.directory.SuperiorOf(OwnerOf(request));
      if (!superior.empty()) {
        reviewed->set_escalated_to(superior);
        NotificationSpec up;
        up.kind = v1::NOTIFICATION_KIND_ESCALATION;
        up.recipients = {superior};
        up.subject = absl::StrCat("验收连续", failed, "轮未通过:", task.id(), " ", task.name(), "(",
                                  request.topic(), ")");
        up.body = n.body;
        up.task_ids = {task.id()};
        Notify(e, std::move(up));
      }
    }
  }
  Notify(e, std::move(n));
  return absl::OkStatus();
}

absl::Status DecideSubmitFinal(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  CFLOW_RETURN_IF_ERROR(RequireOwner(ctx, "submit the final deliverables"));
  CFLOW_RETURN_IF_ERROR(
      RequireState(*ctx.record, {v1::REQUEST_STATE_IN_PROGRESS}, "submit the final deliverables"));
  std::vector<std::string> open;
  for (const v1::TaskExecution& x : ctx.record->executions()) {
    if (x.state() != v1::TASK_STATE_DONE) open.push_back(x.task_id());
  }
  if (!open.empty()) {
    return absl::FailedPreconditionError(
        absl::StrCat("every task must be DONE first; not yet: ", absl::StrJoin(open, ", ")));
  }
  const v1::SubmitFinal& cmd = ctx.command.submit_final();
  CFLOW_RETURN_IF_ERROR(CheckDeliverables(cmd.deliverables()));
  CFLOW_RETURN_IF_ERROR(CheckText("note", cmd.note(), kMaxLongTextBytes));
  v1::Event& e = ctx.Emit();
  v1::Submission* sub = e.mutable_final_submitted()->mutable_submission();
  sub->set_id("final");
  sub->set_submitted_by(ctx.actor());
  *sub->mutable_time() = ctx.command.time();
  *sub->mutable_deliverables() = cmd.deliverables();
  sub->set_round(ctx.record->final_reviews_size() + 1);
  const v1::CollaborationRequest& r = ctx.record->request();
  NotificationSpec n;
  n.kind = v1::NOTIFICATION_KIND_DELIVERABLES_SUBMITTED;
  n.recipients = {r.final_reviewer() == v1::FINAL_REVIEWER_OWNER ? OwnerOf(r) : r.initiator_id()};
  n.subject = absl::StrCat("协作成果提交验收:", r.topic());
  n.body = cmd.note();
  Notify(e, std::move(n));
  return absl::OkStatus();
}

absl::Status DecideReviewFinal(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  const v1::CollaborationRequest& r = ctx.record->request();
  const std::string reviewer =
      r.final_reviewer() == v1::FINAL_REVIEWER_OWNER ? OwnerOf(r) : r.initiator_id();
  if (ctx.actor() != reviewer) {
    return absl::PermissionDeniedError(absl::StrCat("only the final reviewer (", reviewer,
                                                    ") may accept the request; \"", ctx.actor(),
                                                    "\" may not"));
  }
  CFLOW_RETURN_IF_ERROR(RequireState(*ctx.record, {v1::REQUEST_STATE_IN_PROGRESS}, "accept"));
  if (!ctx.record->has_final_submission()) {
    return absl::FailedPreconditionError("cannot accept: there is no final submission yet");
  }
  const v1::ReviewFinal& cmd = ctx.command.review_final();
  if (cmd.verdict() != v1::VERDICT_PASS && cmd.verdict() != v1::VERDICT_FAIL) {
    return absl::InvalidArgumentError("verdict: unknown or unspecified");
  }
  CFLOW_RETURN_IF_ERROR(CheckText("comment", cmd.comment(), kMaxLongTextBytes));
  if (cmd.verdict() == v1::VERDICT_FAIL && cmd.rectification().empty()) {
    return absl::InvalidArgumentError("rectification: a FAIL needs at least one item");
  }
  v1::Event& e = ctx.Emit();
  v1::Review* review = e.mutable_final_reviewed()->mutable_review();
  review->set_submission_id(ctx.record->final_submission().id());
  review->set_reviewer_id(ctx.actor());
  *review->mutable_time() = ctx.command.time();
  review->set_accurate(cmd.verdict() == v1::VERDICT_PASS);
  review->set_accuracy_comment(cmd.comment());
  review->set_verdict(cmd.verdict());
  // Timeliness of the whole: the final submission against the final deadline.
  CFLOW_ASSIGN_OR_RETURN(absl::CivilDay deadline, FromProto(r.final_deadline(), "final_deadline"));
  const absl::Time due = DueByEndOf(ctx.calendar, deadline);
  const absl::Time submitted = FromProto(ctx.record->final_submission().time());
  review->set_on_time(submitted <= due);
  if (submitted > due) {
    review->set_late_by_working_minutes(
        absl::ToInt64Minutes(ctx.calendar.WorkingTimeBetween(due, submitted)));
  }
  const int days = ConfiguredOr(r.rework_working_days(), kDefaultRectificationWorkingDays);
  for (int i = 0; i < cmd.rectification_size(); ++i) {
    v1::RectificationItem item = cmd.rectification(i);
    CFLOW_RETURN_IF_ERROR(CheckText(absl::StrCat("rectification[", i, "].description"),
                                    item.description(), kMaxLongTextBytes, true));
    if (!item.has_due()) {
      ToProto(RectificationDue(ctx.calendar, ctx.now, days), item.mutable_due());
    }
    *review->add_rectification() = std::move(item);
  }
  NotificationSpec n;
  n.kind = cmd.verdict() == v1::VERDICT_PASS ? v1::NOTIFICATION_KIND_REQUEST_ACCEPTED
                                             : v1::NOTIFICATION_KIND_REVIEW_FAILED;
  n.recipients = MembersOf(*ctx.record, ctx.directory);
  n.subject = absl::StrCat(
      cmd.verdict() == v1::VERDICT_PASS ? "协作成果验收通过:" : "协作成果验收未通过:", r.topic());
  n.body = cmd.comment();
  Notify(e, std::move(n));
  return absl::OkStatus();
}

absl::Status DecideArchive(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  CFLOW_RETURN_IF_ERROR(RequireOwner(ctx, "archive the request"));
  CFLOW_RETURN_IF_ERROR(RequireState(*ctx.record, {v1::REQUEST_STATE_ACCEPTED}, "archive"));
  CFLOW_RETURN_IF_ERROR(CheckText("note", ctx.command.archive_request().note(), kMaxLongTextBytes));
  v1::Event& e = ctx.Emit();
  v1::Archive* archive = e.mutable_request_archived()->mutable_archive();
  archive->set_request_id(ctx.record->request().id());
  *archive->mutable_archived_at() = ctx.command.time();
  archive->set_archived_by(ctx.actor());
  // The archive seals the request's history before it: its last event and
  // the hash chain's head there (the archive event is chained after it).
  if (ctx.request_head != nullptr) {
    archive->set_last_version(ctx.request_head->events());
    archive->set_head_hash(ctx.request_head->hash());
  }
  ToProto(absl::ToCivilDay(ctx.now, ctx.calendar.time_zone()), archive->mutable_archived_on());
  NotificationSpec n;
  n.kind = v1::NOTIFICATION_KIND_REQUEST_ARCHIVED;
  n.recipients = MembersOf(*ctx.record, ctx.directory);
  n.subject = absl::StrCat("协作已归档:", ctx.record->request().topic());
  Notify(e, std::move(n));
  return absl::OkStatus();
}

}  // namespace collabflow::internal
