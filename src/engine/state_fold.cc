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
      break;
    case v1::Event::kReminderSent:
      for (v1::DueItem& d : *r->mutable_open_dues()) {
        if (d.key() == e.reminder_sent().due_key()) d.set_reminders_sent(d.reminders_sent() + 1);
      }
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
