#include "engine/state_fold.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "engine/receivers.h"

namespace collabflow::internal {
namespace {

void RemoveDues(v1::RequestRecord* record, v1::DueKind kind) {
  auto* dues = record->mutable_open_dues();
  dues->erase(std::remove_if(dues->begin(), dues->end(),
                             [kind](const v1::DueItem& d) { return d.kind() == kind; }),
              dues->end());
}

void RemoveDue(v1::RequestRecord* record, absl::string_view key) {
  auto* dues = record->mutable_open_dues();
  dues->erase(std::remove_if(dues->begin(), dues->end(),
                             [key](const v1::DueItem& d) { return d.key() == key; }),
              dues->end());
}

v1::TaskExecution* FindExecution(v1::RequestRecord* r, absl::string_view task_id) {
  for (v1::TaskExecution& x : *r->mutable_executions()) {
    if (x.task_id() == task_id) return &x;
  }
  return nullptr;
}

void ApplyTransitions(const google::protobuf::RepeatedPtrField<v1::TaskTransition>& transitions,
                      v1::RequestRecord* r) {
  for (const v1::TaskTransition& t : transitions) {
    v1::TaskExecution* x = FindExecution(r, t.task_id());
    if (x == nullptr) continue;
    if (t.to() == v1::TASK_STATE_BLOCKED) x->set_state_before_block(t.from());
    if (t.from() == v1::TASK_STATE_BLOCKED) x->clear_state_before_block();
    x->set_state(t.to());
  }
}

}  // namespace

void AlignExecutions(v1::RequestRecord* r) {
  google::protobuf::RepeatedPtrField<v1::TaskExecution> aligned;
  for (const v1::Task& t : r->plan().tasks()) {
    v1::TaskExecution* x = aligned.Add();
    if (const v1::TaskExecution* old = FindExecution(r, t.id())) {
      *x = *old;
    } else {
      x->set_task_id(t.id());
      x->set_state(v1::TASK_STATE_NOT_STARTED);
    }
  }
  r->mutable_executions()->Swap(&aligned);
}

namespace {

template <typename Pred>
v1::Risk* FindBy(google::protobuf::RepeatedPtrField<v1::Risk>* risks, Pred pred) {
  for (v1::Risk& x : *risks) {
    if (pred(x)) return &x;
  }
  return nullptr;
}

void ApplyToRequest(const v1::Event& e, v1::RequestRecord* r) {
  switch (e.payload_case()) {
    case v1::Event::kRequestCreated:
      *r->mutable_request() = e.request_created().request();
      r->set_state(v1::REQUEST_STATE_DRAFT);
      *r->mutable_created_at() = e.time();
      break;
    case v1::Event::kRequestSubmitted:
      r->set_state(v1::REQUEST_STATE_SUBMITTED);
      *r->mutable_submitted_at() = e.time();
      if (!r->has_first_submitted_at()) *r->mutable_first_submitted_at() = e.time();
      for (const v1::DueItem& d : e.request_submitted().dues()) *r->add_open_dues() = d;
      break;
    case v1::Event::kRequestRevised:
      *r->add_earlier_versions() = r->request();
      *r->mutable_request() = e.request_revised().request();
      r->set_state(v1::REQUEST_STATE_SUBMITTED);
      *r->mutable_submitted_at() = e.time();
      RemoveDues(r, v1::DUE_KIND_RESPONSE);
      for (const v1::DueItem& d : e.request_revised().dues()) *r->add_open_dues() = d;
      break;
    case v1::Event::kResponseRecorded: {
      const v1::ReceiverResponse& resp = e.response_recorded().response();
      *r->add_responses() = resp;
      if (const v1::Receiver* rc = FindReceiver(r->request(), resp.receiver_id())) {
        if (OutcomeFor(*r, *rc).decision != v1::DECISION_UNSPECIFIED) {
          RemoveDue(r, ResponseDueKey(resp.receiver_id(), resp.request_version()));
        }
      }
      r->set_state(AnyObjection(*r) ? v1::REQUEST_STATE_NEGOTIATING : v1::REQUEST_STATE_SUBMITTED);
      break;
    }
    case v1::Event::kRequestConfirmed:
      r->set_state(v1::REQUEST_STATE_CONFIRMED);
      *r->mutable_confirmed_at() = e.time();
      RemoveDues(r, v1::DUE_KIND_RESPONSE);
      *r->add_open_dues() = e.request_confirmed().plan_due();
      break;
    case v1::Event::kRequestCancelled:
      r->set_state(v1::REQUEST_STATE_CANCELLED);
      *r->mutable_cancelled_at() = e.time();
      r->set_cancel_reason(e.request_cancelled().reason());
      r->clear_open_dues();
      break;
    case v1::Event::kKickoffRecorded:
      *r->mutable_kickoff() = e.kickoff_recorded().meeting();
      break;
    case v1::Event::kPlanPublished:
      *r->mutable_plan() = e.plan_published().plan();
      *r->mutable_coverage() = e.plan_published().coverage();
      r->set_omissions_acknowledged(e.plan_published().omissions_acknowledged());
      r->set_state(v1::REQUEST_STATE_PLANNED);
      *r->mutable_planned_at() = e.time();
      RemoveDue(r, kPlanDueKey);
      AlignExecutions(r);
      ApplyTransitions(e.plan_published().transitions(), r);
      break;
    case v1::Event::kEscalationSent:
      for (v1::DueItem& d : *r->mutable_open_dues()) {
        if (d.key() == e.escalation_sent().due_key())
          d.set_reminders_sent(e.escalation_sent().rung());
      }
      break;
    case v1::Event::kTaskStarted: {
      const v1::TaskStarted& ts = e.task_started();
      ApplyTransitions(ts.transitions(), r);
      if (v1::TaskExecution* x = FindExecution(r, ts.task_id()))
        *x->mutable_actual_start() = e.time();
      if (!r->has_started_at()) *r->mutable_started_at() = e.time();
      if (r->state() == v1::REQUEST_STATE_PLANNED) r->set_state(v1::REQUEST_STATE_IN_PROGRESS);
      RemoveDue(r, ts.report_due().key());
      *r->add_open_dues() = ts.report_due();
      break;
    }
    case v1::Event::kProgressReported: {
      const v1::ProgressReported& pr = e.progress_reported();
      *r->add_reports() = pr.report();
      if (v1::TaskExecution* x = FindExecution(r, pr.report().task_id())) {
        x->set_percent_complete(pr.report().percent_complete());
        *x->mutable_last_report_at() = e.time();
      }
      RemoveDue(r, pr.next_report_due().key());
      *r->add_open_dues() = pr.next_report_due();
      break;
    }
    case v1::Event::kReportMissed:
      if (v1::TaskExecution* x = FindExecution(r, e.report_missed().task_id())) {
        x->set_missed_reports(x->missed_reports() + 1);
      }
      break;
    case v1::Event::kRiskRaised:
      *r->add_risks() = e.risk_raised().risk();
      *r->add_open_dues() = e.risk_raised().response_due();
      ApplyTransitions(e.risk_raised().transitions(), r);
      break;
    case v1::Event::kRiskResponded: {
      const auto& rr = e.risk_responded();
      if (v1::Risk* risk = FindBy(r->mutable_risks(),
                                  [&](const v1::Risk& x) { return x.id() == rr.risk_id(); })) {
        risk->set_owner_response(rr.response());
        *risk->mutable_responded_at() = e.time();
      }
      RemoveDue(r, absl::StrCat("risk/", rr.risk_id()));
      break;
    }
    case v1::Event::kRiskResolved: {
      const auto& rr = e.risk_resolved();
      if (v1::Risk* risk = FindBy(r->mutable_risks(),
                                  [&](const v1::Risk& x) { return x.id() == rr.risk_id(); })) {
        risk->set_resolved(true);
        risk->set_resolution(rr.resolution());
        *risk->mutable_resolved_at() = e.time();
        risk->set_resolved_by_revision(rr.revision_number());
      }
      RemoveDue(r, absl::StrCat("risk/", rr.risk_id()));
      ApplyTransitions(rr.transitions(), r);
      break;
    }
    case v1::Event::kResourceRequested:
      *r->add_resource_requests() = e.resource_requested().request();
      *r->add_open_dues() = e.resource_requested().decision_due();
      break;
    case v1::Event::kResourceDecided: {
      const auto& rd = e.resource_decided();
      for (v1::ResourceRequest& q : *r->mutable_resource_requests()) {
        if (q.id() != rd.resource_request_id()) continue;
        q.set_decision(rd.decision());
        q.set_decided_by(e.actor_id());
        q.set_reason(rd.reason());
        *q.mutable_decided_at() = e.time();
        if (!rd.escalated_to().empty()) q.set_escalated_to(rd.escalated_to());
      }
      RemoveDue(r, absl::StrCat("resource/", rd.resource_request_id()));
      RemoveDue(r, absl::StrCat("resource/", rd.resource_request_id(), "/superior"));
      if (rd.has_superior_due()) *r->add_open_dues() = rd.superior_due();
      break;
    }
    case v1::Event::kPlanRevised: {
      const v1::PlanRevised& pr = e.plan_revised();
      *r->add_revisions() = pr.revision();
      *r->mutable_plan() = pr.plan();
      *r->mutable_coverage() = pr.coverage();
      AlignExecutions(r);
      ApplyTransitions(pr.transitions(), r);
      // Time rules of tasks no longer in the plan end with them.
      auto* dues = r->mutable_open_dues();
      dues->erase(std::remove_if(dues->begin(), dues->end(),
                                 [&](const v1::DueItem& d) {
                                   return !d.task_id().empty() &&
                                          FindExecution(r, d.task_id()) == nullptr;
                                 }),
                  dues->end());
      break;
    }
    case v1::Event::kMinutesRecorded:
      *r->add_minutes() = e.minutes_recorded().minutes();
      break;
    case v1::Event::kChannelRecorded:
      *r->add_channels() = e.channel_recorded().link();
      break;
    case v1::Event::kDeliverablesSubmitted: {
      const v1::Submission& sub = e.deliverables_submitted().submission();
      *r->add_submissions() = sub;
      ApplyTransitions(e.deliverables_submitted().transitions(), r);
      // Awaiting review: no progress reports, no rework due.
      RemoveDue(r, absl::StrCat("report/", sub.task_id()));
      RemoveDue(r, absl::StrCat("rework/", sub.task_id()));
      break;
    }
    case v1::Event::kSubmissionReviewed: {
      const v1::SubmissionReviewed& sr = e.submission_reviewed();
      *r->add_reviews() = sr.review();
      ApplyTransitions(sr.transitions(), r);
      if (v1::TaskExecution* x = FindExecution(r, sr.review().task_id())) {
        if (sr.review().verdict() == v1::VERDICT_FAIL) {
          x->set_review_rounds(x->review_rounds() + 1);
        } else {
          *x->mutable_actual_finish() = e.time();
          x->set_percent_complete(100);
        }
      }
      if (sr.has_rework_due()) *r->add_open_dues() = sr.rework_due();
      break;
    }
    case v1::Event::kFinalSubmitted:
      *r->mutable_final_submission() = e.final_submitted().submission();
      break;
    case v1::Event::kFinalReviewed:
      *r->add_final_reviews() = e.final_reviewed().review();
      if (e.final_reviewed().review().verdict() == v1::VERDICT_PASS) {
        r->set_state(v1::REQUEST_STATE_ACCEPTED);
        *r->mutable_accepted_at() = e.time();
        r->clear_open_dues();
      } else {
        r->clear_final_submission();  // a new final submission is needed
      }
      break;
    case v1::Event::kRequestArchived:
      *r->mutable_archive() = e.request_archived().archive();
      r->set_state(v1::REQUEST_STATE_ARCHIVED);
      r->clear_open_dues();
      break;
    default:
      break;
  }
}

}  // namespace

std::string ResponseDueKey(absl::string_view receiver_id, int version) {
  return absl::StrCat("response/", receiver_id, "/v", version);
}

void ApplyEvent(const v1::Event& e, v1::EngineState* state) {
  state->set_last_sequence(e.sequence());
  state->set_head_hash(e.hash());
  for (const v1::Notification& n : e.notifications()) {
    *state->add_outbox() = n;
    state->set_last_notification_id(n.id());
  }
  switch (e.payload_case()) {
    case v1::Event::kDirectoryUpdated:
      *state->mutable_directory() = e.directory_updated().directory();
      return;
    case v1::Event::kOutboxAcknowledged: {
      const uint64_t up_to = e.outbox_acknowledged().up_to();
      state->set_acknowledged_notification_id(up_to);
      auto* outbox = state->mutable_outbox();
      outbox->erase(std::remove_if(outbox->begin(), outbox->end(),
                                   [up_to](const v1::Notification& n) { return n.id() <= up_to; }),
                    outbox->end());
      return;
    }
    case v1::Event::PAYLOAD_NOT_SET:
      return;
    default:
      ApplyToRequest(e, &(*state->mutable_requests())[e.request_id()]);
      return;
  }
}

}  // namespace collabflow::internal
