#include "engine/commands/request_commands.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "base/field_name.h"
#include "base/input_checks.h"
#include "base/status_macros.h"
#include "collabflow/limits.h"
#include "engine/commands/authorization.h"
#include "engine/commands/notifications.h"
#include "engine/state/plan_check.h"
#include "engine/state/receivers.h"
#include "engine/state/time_rules.h"
#include "request/request_checks.h"
#include "wire/common_proto.h"
#include "wire/time_proto.h"

namespace collabflow::internal {
namespace {

inline constexpr size_t kMaxDuties = 64;
inline constexpr size_t kMaxAgreedPoints = 256;
inline constexpr size_t kMaxAttendees = 512;

absl::Status CheckPersonRef(const DirectoryIndex& dir, const FieldName& field,
                            absl::string_view id) {
  if (!dir.HasPerson(id)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field.ToString(), ": unknown person \"", id, "\" (not in the directory)"));
  }
  return absl::OkStatus();
}

absl::Status CheckPartyRef(const DirectoryIndex& dir, const FieldName& field,
                           const v1::PartyRef& party) {
  switch (party.party_case()) {
    case v1::PartyRef::kPersonId:
      return CheckPersonRef(dir, field, party.person_id());
    case v1::PartyRef::kDepartmentId:
      if (dir.FindDepartment(party.department_id()) == nullptr) {
        return absl::InvalidArgumentError(
            absl::StrCat(field.ToString(), ": unknown department \"", party.department_id(), "\""));
      }
      return absl::OkStatus();
    case v1::PartyRef::PARTY_NOT_SET:
      break;
  }
  return absl::OkStatus();
}

// Validates the request message's own content (request_checks.h) and its
// directory references.
absl::Status CheckRequest(const v1::CollaborationRequest& request, const DirectoryIndex& dir) {
  CFLOW_RETURN_IF_ERROR(ValidateRequest(request));
  return CheckRequestAgainstDirectory(request, dir);
}

void NotifyReceivers(const DecideContext& ctx, v1::Event& e, const v1::CollaborationRequest& r,
                     const std::vector<v1::DueItem>& dues, bool revised) {
  // Every receiver gets the same subject, and the same body when its answer
  // is due at the same time (as under one time rule): each is put together
  // once.
  const std::string subject = absl::StrCat(revised ? "协作需求已修订(第" : "新协作需求(第",
                                           r.version(), "版)待确认:", r.topic());
  std::string body;
  const google::protobuf::Timestamp* body_due = nullptr;
  for (const v1::DueItem& due : dues) {
    if (body_due == nullptr || body_due->seconds() != due.due_at().seconds() ||
        body_due->nanos() != due.due_at().nanos()) {
      body = absl::StrCat("请于 ", FormatLocal(ctx.calendar, FromProto(due.due_at())),
                          " 前确认职责边界、资源可行性与时间节点。");
      body_due = &due.due_at();
    }
    const absl::InlinedVector<absl::string_view, 4> owers(due.owed_by().begin(),
                                                          due.owed_by().end());
    Notify(
        e,
        revised ? v1::NOTIFICATION_KIND_REQUEST_REVISED : v1::NOTIFICATION_KIND_REQUEST_SUBMITTED,
        owers, subject, body, due.key());
  }
}

std::vector<v1::DueItem> ResponseDues(const DecideContext& ctx, const v1::CollaborationRequest& r) {
  std::vector<v1::DueItem> dues;
  dues.reserve(r.receivers_size());
  for (const v1::Receiver& rc : r.receivers()) {
    dues.push_back(ResponseDue(ctx.calendar, ctx.now, r, rc, MayAnswerFor(rc, ctx.directory)));
  }
  return dues;
}

}  // namespace

absl::Status CheckRequestAgainstDirectory(const v1::CollaborationRequest& r,
                                          const DirectoryIndex& dir) {
  CFLOW_RETURN_IF_ERROR(CheckPersonRef(dir, "initiator_id", r.initiator_id()));
  if (!r.owner_id().empty()) CFLOW_RETURN_IF_ERROR(CheckPersonRef(dir, "owner_id", r.owner_id()));
  for (int i = 0; i < r.receivers_size(); ++i) {
    const v1::Receiver& rc = r.receivers(i);
    switch (rc.who_case()) {
      case v1::Receiver::kPersonId:
        CFLOW_RETURN_IF_ERROR(
            CheckPersonRef(dir, FieldName("receivers", i, ".person_id"), rc.person_id()));
        break;
      case v1::Receiver::kDepartmentId:
        if (dir.FindDepartment(rc.department_id()) == nullptr) {
          return absl::InvalidArgumentError(absl::StrCat(
              "receivers[", i, "].department_id: unknown department \"", rc.department_id(), "\""));
        }
        if (!dir.HasActorFor(rc.department_id())) {
          return absl::InvalidArgumentError(
              absl::StrCat("receivers[", i, "].department_id: department \"", rc.department_id(),
                           "\" has no head or delegate who could answer"));
        }
        break;
      case v1::Receiver::kSignGroup:
        for (int j = 0; j < rc.sign_group().person_ids_size(); ++j) {
          CFLOW_RETURN_IF_ERROR(
              CheckPersonRef(dir, FieldName("receivers", i, ".sign_group.person_ids", j, ""),
                             rc.sign_group().person_ids(j)));
        }
        break;
      case v1::Receiver::WHO_NOT_SET:
        break;
    }
  }
  for (int i = 0; i < r.resources_size(); ++i) {
    CFLOW_RETURN_IF_ERROR(
        CheckPartyRef(dir, FieldName("resources", i, ".provider"), r.resources(i).provider()));
  }
  return absl::OkStatus();
}

absl::Status DecideCreateRequest(const DecideContext& ctx) {
  v1::CollaborationRequest request =
      std::move(*ctx.command.mutable_create_request()->mutable_request());
  if (request.id() != ctx.command.request_id()) {
    return absl::InvalidArgumentError(absl::StrCat("request.id \"", request.id(),
                                                   "\" differs from the command's request_id \"",
                                                   ctx.command.request_id(), "\""));
  }
  if (ctx.record != nullptr) {
    return absl::AlreadyExistsError(absl::StrCat("request \"", request.id(), "\" already exists"));
  }
  if (ctx.actor() != request.initiator_id()) {
    return absl::PermissionDeniedError(absl::StrCat("a request is filed by its initiator (",
                                                    request.initiator_id(), "), not \"",
                                                    ctx.actor(), "\""));
  }
  request.set_version(1);
  CFLOW_RETURN_IF_ERROR(CheckRequest(request, ctx.directory));
  *ctx.Emit().mutable_request_created()->mutable_request() = std::move(request);
  return absl::OkStatus();
}

absl::Status DecideSubmitRequest(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  CFLOW_RETURN_IF_ERROR(RequireInitiator(ctx, "submit the request"));
  CFLOW_RETURN_IF_ERROR(RequireState(*ctx.record, {v1::REQUEST_STATE_DRAFT}, "submit"));
  const v1::CollaborationRequest& r = ctx.record->request();
  // The directory may have changed since the draft was filed.
  CFLOW_RETURN_IF_ERROR(CheckRequestAgainstDirectory(r, ctx.directory));
  std::vector<v1::DueItem> dues = ResponseDues(ctx, r);
  v1::Event& e = ctx.Emit();
  v1::RequestSubmitted* submitted = e.mutable_request_submitted();
  submitted->set_version(r.version());
  NotifyReceivers(ctx, e, r, dues, /*revised=*/false);
  for (v1::DueItem& d : dues) *submitted->add_dues() = std::move(d);
  return absl::OkStatus();
}

absl::Status DecideReviseRequest(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  CFLOW_RETURN_IF_ERROR(RequireInitiator(ctx, "revise the request"));
  CFLOW_RETURN_IF_ERROR(RequireState(
      *ctx.record, {v1::REQUEST_STATE_SUBMITTED, v1::REQUEST_STATE_NEGOTIATING}, "revise"));
  const v1::ReviseRequest& cmd = ctx.command.revise_request();
  v1::CollaborationRequest request =
      std::move(*ctx.command.mutable_revise_request()->mutable_request());
  const v1::CollaborationRequest& current = ctx.record->request();
  if (request.id() != current.id()) {
    return absl::InvalidArgumentError("request.id: a revision cannot change the request id");
  }
  if (request.initiator_id() != current.initiator_id()) {
    return absl::InvalidArgumentError(
        "request.initiator_id: a revision cannot change the initiator");
  }
  CFLOW_RETURN_IF_ERROR(CheckText("change_note", cmd.change_note(), kMaxLongTextBytes));
  request.set_version(current.version() + 1);
  CFLOW_RETURN_IF_ERROR(CheckRequest(request, ctx.directory));
  std::vector<v1::DueItem> dues = ResponseDues(ctx, request);
  v1::Event& e = ctx.Emit();
  v1::RequestRevised* revised = e.mutable_request_revised();
  revised->set_change_note(cmd.change_note());
  NotifyReceivers(ctx, e, request, dues, /*revised=*/true);
  for (v1::DueItem& d : dues) *revised->add_dues() = std::move(d);
  *revised->mutable_request() = std::move(request);
  return absl::OkStatus();
}

absl::Status DecideRespond(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  v1::ReceiverResponse response = std::move(*ctx.command.mutable_respond()->mutable_response());
  const v1::CollaborationRequest& r = ctx.record->request();
  const v1::Receiver* receiver = FindReceiver(r, response.receiver_id());
  if (receiver == nullptr) {
    return absl::InvalidArgumentError(absl::StrCat("response.receiver_id: \"",
                                                   response.receiver_id(),
                                                   "\" is not a receiver of this request"));
  }
  const PeopleViews may = MayAnswerFor(*receiver, ctx.directory);
  if (std::find(may.begin(), may.end(), ctx.actor()) == may.end()) {
    return absl::PermissionDeniedError(
        absl::StrCat("\"", ctx.actor(), "\" may not answer for receiver \"", receiver->id(), "\""));
  }
  CFLOW_RETURN_IF_ERROR(RequireState(
      *ctx.record, {v1::REQUEST_STATE_SUBMITTED, v1::REQUEST_STATE_NEGOTIATING}, "respond"));
  if (response.request_version() == 0) response.set_request_version(r.version());
  if (response.request_version() != r.version()) {
    return absl::FailedPreconditionError(absl::StrCat("the response answers version ",
                                                      response.request_version(),
                                                      " but the current version is ", r.version()));
  }
  if (!response.responder_id().empty() && response.responder_id() != ctx.actor()) {
    return absl::InvalidArgumentError("response.responder_id: must be the actor (or empty)");
  }
  response.set_responder_id(ctx.actor());
  // The payload.
  if (response.decision() < v1::DECISION_ACCEPT || response.decision() > v1::DECISION_DECLINE) {
    return absl::InvalidArgumentError(
        absl::StrCat("response.decision: unknown or unspecified value ", response.decision()));
  }
  CFLOW_RETURN_IF_ERROR(CheckCount("response.duties", response.duties_size(), kMaxDuties));
  for (int i = 0; i < response.duties_size(); ++i) {
    CFLOW_RETURN_IF_ERROR(CheckText(FieldName("response.duties", i, ""), response.duties(i),
                                    kMaxShortTextBytes, true));
  }
  CFLOW_RETURN_IF_ERROR(CheckText("response.comment", response.comment(), kMaxLongTextBytes));
  CFLOW_RETURN_IF_ERROR(CheckCount("response.resources", response.resources_size(), kMaxResources));
  for (int i = 0; i < response.resources_size(); ++i) {
    const v1::ResourceFeasibility& f = response.resources(i);
    const auto field = [i](absl::string_view member) {
      return FieldName("response.resources", i, member).ToString();
    };
    bool known = false;
    for (const v1::ResourceNeed& need : r.resources()) known |= need.id() == f.resource_id();
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat(field(".resource_id"), ": unknown resource \"", f.resource_id(), "\""));
    }
    if (f.feasibility() < v1::FEASIBILITY_FEASIBLE ||
        f.feasibility() > v1::FEASIBILITY_INFEASIBLE) {
      return absl::InvalidArgumentError(
          absl::StrCat(field(".feasibility"), ": unknown or unspecified"));
    }
    if (f.feasibility() == v1::FEASIBILITY_FEASIBLE_AFTER_DAYS &&
        (f.days_needed() <= 0 || f.days_needed() > kMaxTimeRuleWorkingDays)) {
      return absl::InvalidArgumentError(
          absl::StrCat(field(".days_needed"), ": must be in 1..", kMaxTimeRuleWorkingDays));
    }
    CFLOW_RETURN_IF_ERROR(
        CheckText(FieldName("response.resources", i, ".note"), f.note(), kMaxShortTextBytes));
  }
  CFLOW_RETURN_IF_ERROR(
      CheckCount("response.counter_proposals", response.counter_proposals_size(), kMaxMilestones));
  for (int i = 0; i < response.counter_proposals_size(); ++i) {
    const v1::MilestoneCounter& c = response.counter_proposals(i);
    bool known = false;
    for (const v1::Milestone& m : r.milestones()) known |= m.id() == c.milestone_id();
    if (!known) {
      return absl::InvalidArgumentError(
          absl::StrCat(FieldName("response.counter_proposals", i, ".milestone_id").ToString(),
                       ": unknown milestone \"", c.milestone_id(), "\""));
    }
    CFLOW_RETURN_IF_ERROR(
        FromProto(c.proposed_date(), FieldName("response.counter_proposals", i, ".proposed_date"))
            .status());
    CFLOW_RETURN_IF_ERROR(CheckText(FieldName("response.counter_proposals", i, ".condition"),
                                    c.condition(), kMaxShortTextBytes));
  }
  if (response.decision() == v1::DECISION_ACCEPT &&
      (!response.timing_accepted() || response.counter_proposals_size() > 0)) {
    return absl::InvalidArgumentError(
        "response.decision: ACCEPT needs timing_accepted and no counter-proposals "
        "(use ACCEPT_WITH_CHANGES)");
  }

  const bool confirms = AllAccepted(*ctx.record, &response);
  const v1::ReceiverResponse pending = confirms ? response : v1::ReceiverResponse();
  // 会签 not yet decided: the answer is owed by the signers yet to answer.
  std::vector<std::string> still_owed_by;
  if (receiver->has_sign_group() && receiver->sign_group().rule() == v1::SIGN_RULE_ALL) {
    ReceiverOutcome outcome = OutcomeFor(*ctx.record, *receiver, &response);
    if (outcome.decision == v1::DECISION_UNSPECIFIED) still_owed_by = std::move(outcome.still_due);
  }
  v1::Event& e = ctx.Emit();
  const absl::string_view told[] = {r.initiator_id(), OwnerOf(r)};
  Notify(e, v1::NOTIFICATION_KIND_RESPONSE_RECORDED, told,
         absl::StrCat("接收方 ", receiver->id(), " 已答复(",
                      absl::string_view(v1::Decision_Name(response.decision())).substr(9),
                      "):", r.topic()),
         response.comment());
  *e.mutable_response_recorded()->mutable_response() = std::move(response);
  for (std::string& p : still_owed_by)
    e.mutable_response_recorded()->add_still_owed_by(std::move(p));

  if (confirms) {
    v1::Event& c = ctx.Emit();
    v1::DueItem due = PlanDue(ctx.calendar, ctx.now, r, OwnerOf(r));
    NotificationSpec all;
    all.kind = v1::NOTIFICATION_KIND_REQUEST_CONFIRMED;
    all.recipients = MembersOf(*ctx.record, ctx.directory);
    all.subject = absl::StrCat("协作需求已确认:", r.topic());
    all.body = absl::StrCat("各接收方已确认第", r.version(), "版。负责人请于 ",
                            FormatLocal(ctx.calendar, FromProto(due.due_at())),
                            " 前发布《协作任务拆分清单》。");
    // What the receivers said a resource needs, for the owner drafting the
    // plan (a plan that starts sooner is flagged: plan_check.h).
    for (const LeadTimeAnswer& a : LeadTimeAnswers(*ctx.record, &pending)) {
      std::string what = a.resource_id;
      for (const v1::ResourceNeed& need : r.resources()) {
        if (need.id() == a.resource_id && !need.description().empty()) what = need.description();
      }
      absl::StrAppend(&all.body, "资源准备:", what, " 需", a.days_needed, "个工作日(接收方 ",
                      a.receiver_id, a.note.empty() ? "" : ":", a.note, ")。");
    }
    all.due_key = due.key();
    Notify(c, std::move(all));
    *c.mutable_request_confirmed()->mutable_plan_due() = std::move(due);
  }
  return absl::OkStatus();
}

absl::Status DecideCancel(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  CFLOW_RETURN_IF_ERROR(RequireInitiator(ctx, "cancel the request"));
  CFLOW_RETURN_IF_ERROR(RequireState(
      *ctx.record,
      {v1::REQUEST_STATE_DRAFT, v1::REQUEST_STATE_SUBMITTED, v1::REQUEST_STATE_NEGOTIATING,
       v1::REQUEST_STATE_CONFIRMED, v1::REQUEST_STATE_PLANNED, v1::REQUEST_STATE_IN_PROGRESS},
      "cancel"));
  const std::string& reason = ctx.command.cancel().reason();
  CFLOW_RETURN_IF_ERROR(CheckText("reason", reason, kMaxLongTextBytes, /*required=*/true));
  v1::Event& e = ctx.Emit();
  e.mutable_request_cancelled()->set_reason(reason);
  if (ctx.record->state() != v1::REQUEST_STATE_DRAFT) {
    NotificationSpec n;
    n.kind = v1::NOTIFICATION_KIND_REQUEST_CANCELLED;
    n.recipients = MembersOf(*ctx.record, ctx.directory);
    n.subject = absl::StrCat("协作需求已取消:", ctx.record->request().topic());
    n.body = reason;
    Notify(e, std::move(n));
  }
  return absl::OkStatus();
}

absl::Status DecideRecordKickoff(const DecideContext& ctx) {
  CFLOW_RETURN_IF_ERROR(RequireRequest(ctx));
  CFLOW_RETURN_IF_ERROR(RequireInitiator(ctx, "record the kickoff meeting"));
  CFLOW_RETURN_IF_ERROR(RequireState(
      *ctx.record,
      {v1::REQUEST_STATE_CONFIRMED, v1::REQUEST_STATE_PLANNED, v1::REQUEST_STATE_IN_PROGRESS},
      "record a kickoff meeting"));
  const v1::KickoffMeeting& m = ctx.command.record_kickoff().meeting();
  CFLOW_RETURN_IF_ERROR(CheckedFromProto(m.time(), m.has_time(), "meeting.time").status());
  CFLOW_RETURN_IF_ERROR(CheckCount("meeting.attendee_ids", m.attendee_ids_size(), kMaxAttendees));
  for (int i = 0; i < m.attendee_ids_size(); ++i) {
    CFLOW_RETURN_IF_ERROR(CheckPersonRef(
        ctx.directory, absl::StrCat("meeting.attendee_ids[", i, "]"), m.attendee_ids(i)));
  }
  CFLOW_RETURN_IF_ERROR(
      CheckCount("meeting.agreed_points", m.agreed_points_size(), kMaxAgreedPoints));
  for (int i = 0; i < m.agreed_points_size(); ++i) {
    CFLOW_RETURN_IF_ERROR(CheckText(absl::StrCat("meeting.agreed_points[", i, "]"),
                                    m.agreed_points(i), kMaxLongTextBytes, true));
  }
  v1::Event& e = ctx.Emit();
  *e.mutable_kickoff_recorded()->mutable_meeting() = m;
  NotificationSpec n;
  n.kind = v1::NOTIFICATION_KIND_KICKOFF_RECORDED;
  n.recipients = MembersOf(*ctx.record, ctx.directory);
  n.recipients.insert(n.recipients.end(), m.attendee_ids().begin(), m.attendee_ids().end());
  n.subject = absl::StrCat("启动会纪要:", ctx.record->request().topic());
  for (const std::string& p : m.agreed_points()) absl::StrAppend(&n.body, "· ", p, "\n");
  Notify(e, std::move(n));
  return absl::OkStatus();
}

}  // namespace collabflow::internal
