#include "engine/state/state_fold.h"

#include <algorithm>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/container/inlined_vector.h"
#include "absl/strings/str_cat.h"
#include "engine/state/receivers.h"

namespace collabflow::internal {
namespace {

void RemoveDues(v1::RequestRecord* record, v1::DueKind kind) {
  auto* dues = record->mutable_open_dues();
  dues->erase(std::remove_if(dues->begin(), dues->end(),
                             [kind](const v1::DueItem& d) { return d.kind() == kind; }),
              dues->end());
}

// Removes the open due item with `due`'s key, if any, and appends `due`
// (moved): the same as RemoveDue + add, without freeing and reallocating.
void ReplaceDue(v1::RequestRecord* record, v1::DueItem* due) {
  auto* dues = record->mutable_open_dues();
  for (int i = 0; i < dues->size(); ++i) {
    if (dues->Get(i).key() != due->key()) continue;
    for (int j = i; j + 1 < dues->size(); ++j) dues->SwapElements(j, j + 1);
    dues->Mutable(dues->size() - 1)->Swap(due);
    return;
  }
  dues->Add()->Swap(due);
}

void RemoveDue(v1::RequestRecord* record, absl::string_view key) {
  auto* dues = record->mutable_open_dues();
  dues->erase(std::remove_if(dues->begin(), dues->end(),
                             [key](const v1::DueItem& d) { return d.key() == key; }),
              dues->end());
}

// The execution of `task_id`, looked up at `position` first (executions are
// aligned with the plan's tasks, and events record the position); a search
// only if the record disagrees.
v1::TaskExecution* FindExecution(v1::RequestRecord* r, absl::string_view task_id,
                                 uint32_t position) {
  if (position < static_cast<uint32_t>(r->executions_size()) &&
      r->executions(static_cast<int>(position)).task_id() == task_id) {
    return r->mutable_executions(static_cast<int>(position));
  }
  for (v1::TaskExecution& x : *r->mutable_executions()) {
    if (x.task_id() == task_id) return &x;
  }
  return nullptr;
}

void ApplyTransitions(const google::protobuf::RepeatedPtrField<v1::TaskTransition>& transitions,
                      v1::RequestRecord* r) {
  for (const v1::TaskTransition& t : transitions) {
    v1::TaskExecution* x = FindExecution(r, t.task_id(), t.task_index());
    if (x == nullptr) continue;
    if (t.to() == v1::TASK_STATE_BLOCKED) x->set_state_before_block(t.from());
    if (t.from() == v1::TASK_STATE_BLOCKED) x->clear_state_before_block();
    x->set_state(t.to());
  }
}

}  // namespace

void AlignExecutions(v1::RequestRecord* r) {
  // Old executions by id, built only if the task list changed (a revision
  // that keeps it keeps every position).
  const auto& old = r->executions();
  const auto& tasks = r->plan().tasks();
  bool same_order = old.size() == tasks.size();
  for (int i = 0; same_order && i < tasks.size(); ++i) {
    same_order = old.Get(i).task_id() == tasks.Get(i).id();
  }
  if (same_order) return;
  // All lookups first: the keys view the old executions' ids, which the
  // swaps below move away.
  std::vector<int> source(tasks.size(), -1);
  {
    absl::flat_hash_map<absl::string_view, int> by_id;
    by_id.reserve(old.size());
    for (int i = 0; i < old.size(); ++i) by_id.emplace(old.Get(i).task_id(), i);
    for (int i = 0; i < tasks.size(); ++i) {
      if (const auto it = by_id.find(tasks.Get(i).id()); it != by_id.end()) source[i] = it->second;
    }
  }
  google::protobuf::RepeatedPtrField<v1::TaskExecution> aligned;
  aligned.Reserve(tasks.size());
  for (int i = 0; i < tasks.size(); ++i) {
    v1::TaskExecution* x = aligned.Add();
    if (source[i] >= 0) {
      x->Swap(r->mutable_executions(source[i]));
    } else {
      x->set_task_id(tasks.Get(i).id());
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

// Moves every element of `from` to the end of `to`: the elements change
// hands (no copy, no new element, no emptied one left to free).
template <typename T>
void MoveAppend(google::protobuf::RepeatedPtrField<T>* from,
                google::protobuf::RepeatedPtrField<T>* to) {
  const int n = from->size();
  if (n == 0) return;
  absl::InlinedVector<T*, 8> taken(n);
  from->ExtractSubrange(0, n, taken.data());
  to->Reserve(to->size() + n);
  for (T* x : taken) to->AddAllocated(x);
}

// Appends a message released from an event to `to` (an empty one if the
// event did not carry it); returns it.
template <typename T>
T* AddReleased(google::protobuf::RepeatedPtrField<T>* to, T* released) {
  to->AddAllocated(released != nullptr ? released : new T());
  return &(*to)[to->size() - 1];
}

// Takes what it keeps from `e` (moved, not copied).
void ApplyToRequest(v1::Event& e, v1::RequestRecord* r) {
  *r->mutable_last_event_at() = e.time();
  switch (e.payload_case()) {
    case v1::Event::kRequestCreated:
      r->set_allocated_request(e.mutable_request_created()->release_request());
      r->set_state(v1::REQUEST_STATE_DRAFT);
      *r->mutable_created_at() = e.time();
      break;
    case v1::Event::kRequestSubmitted:
      r->set_state(v1::REQUEST_STATE_SUBMITTED);
      *r->mutable_submitted_at() = e.time();
      if (!r->has_first_submitted_at()) *r->mutable_first_submitted_at() = e.time();
      MoveAppend(e.mutable_request_submitted()->mutable_dues(), r->mutable_open_dues());
      break;
    case v1::Event::kRequestRevised:
      AddReleased(r->mutable_earlier_versions(), r->release_request());
      r->set_allocated_request(e.mutable_request_revised()->release_request());
      r->set_state(v1::REQUEST_STATE_SUBMITTED);
      *r->mutable_submitted_at() = e.time();
      RemoveDues(r, v1::DUE_KIND_RESPONSE);
      MoveAppend(e.mutable_request_revised()->mutable_dues(), r->mutable_open_dues());
      break;
    case v1::Event::kResponseRecorded: {
      v1::ReceiverResponse* added =
          AddReleased(r->mutable_responses(), e.mutable_response_recorded()->release_response());
      const v1::ReceiverResponse& resp = *added;
      if (const v1::Receiver* rc = FindReceiver(r->request(), resp.receiver_id())) {
        if (OutcomeFor(*r, *rc).decision != v1::DECISION_UNSPECIFIED) {
          RemoveDue(r, ResponseDueKey(resp.receiver_id(), resp.request_version()));
        } else if (e.response_recorded().still_owed_by_size() > 0) {
          const std::string key = ResponseDueKey(resp.receiver_id(), resp.request_version());
          for (v1::DueItem& d : *r->mutable_open_dues()) {
            if (d.key() == key) *d.mutable_owed_by() = e.response_recorded().still_owed_by();
          }
        }
      }
      r->set_state(AnyObjection(*r) ? v1::REQUEST_STATE_NEGOTIATING : v1::REQUEST_STATE_SUBMITTED);
      break;
    }
    case v1::Event::kRequestConfirmed:
      r->set_state(v1::REQUEST_STATE_CONFIRMED);
      *r->mutable_confirmed_at() = e.time();
      RemoveDues(r, v1::DUE_KIND_RESPONSE);
      AddReleased(r->mutable_open_dues(), e.mutable_request_confirmed()->release_plan_due());
      break;
    case v1::Event::kRequestCancelled:
      r->set_state(v1::REQUEST_STATE_CANCELLED);
      *r->mutable_cancelled_at() = e.time();
      r->set_cancel_reason(e.request_cancelled().reason());
      r->clear_open_dues();
      break;
    case v1::Event::kKickoffRecorded:
      r->set_allocated_kickoff(e.mutable_kickoff_recorded()->release_meeting());
      break;
    case v1::Event::kPlanPublished:
      r->set_allocated_plan(e.mutable_plan_published()->release_plan());
      r->set_allocated_coverage(e.mutable_plan_published()->release_coverage());
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
      if (v1::TaskExecution* x = FindExecution(r, ts.task_id(), ts.task_index()))
        *x->mutable_actual_start() = e.time();
      if (!r->has_started_at()) *r->mutable_started_at() = e.time();
      if (r->state() == v1::REQUEST_STATE_PLANNED) r->set_state(v1::REQUEST_STATE_IN_PROGRESS);
      ReplaceDue(r, e.mutable_task_started()->mutable_report_due());
      break;
    }
    case v1::Event::kProgressReported: {
      v1::ProgressReported& pr = *e.mutable_progress_reported();
      v1::ProgressReport* report = AddReleased(r->mutable_reports(), pr.release_report());
      if (v1::TaskExecution* x = FindExecution(r, report->task_id(), pr.task_index())) {
        x->set_percent_complete(report->percent_complete());
        *x->mutable_last_report_at() = e.time();
      }
      ReplaceDue(r, pr.mutable_next_report_due());
      break;
    }
    case v1::Event::kReportMissed:
      if (v1::TaskExecution* x =
              FindExecution(r, e.report_missed().task_id(), e.report_missed().task_index())) {
        x->set_missed_reports(x->missed_reports() + 1);
      }
      break;
    case v1::Event::kRiskRaised:
      AddReleased(r->mutable_risks(), e.mutable_risk_raised()->release_risk());
      AddReleased(r->mutable_open_dues(), e.mutable_risk_raised()->release_response_due());
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
      AddReleased(r->mutable_resource_requests(),
                  e.mutable_resource_requested()->release_request());
      AddReleased(r->mutable_open_dues(), e.mutable_resource_requested()->release_decision_due());
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
      if (rd.has_superior_due()) {
        AddReleased(r->mutable_open_dues(), e.mutable_resource_decided()->release_superior_due());
      }
      break;
    }
    case v1::Event::kPlanRevised: {
      v1::PlanRevised& pr = *e.mutable_plan_revised();
      AddReleased(r->mutable_revisions(), pr.release_revision());
      r->set_allocated_plan(pr.release_plan());
      r->set_allocated_coverage(pr.release_coverage());
      AlignExecutions(r);
      ApplyTransitions(pr.transitions(), r);
      // Time rules of tasks no longer in the plan end with them.
      absl::flat_hash_set<absl::string_view> tasks;
      tasks.reserve(r->executions_size());
      for (const v1::TaskExecution& x : r->executions()) tasks.insert(x.task_id());
      auto* dues = r->mutable_open_dues();
      dues->erase(std::remove_if(dues->begin(), dues->end(),
                                 [&](const v1::DueItem& d) {
                                   return !d.task_id().empty() && !tasks.contains(d.task_id());
                                 }),
                  dues->end());
      break;
    }
    case v1::Event::kMinutesRecorded:
      AddReleased(r->mutable_minutes(), e.mutable_minutes_recorded()->release_minutes());
      break;
    case v1::Event::kChannelRecorded:
      AddReleased(r->mutable_channels(), e.mutable_channel_recorded()->release_link());
      break;
    case v1::Event::kDeliverablesSubmitted: {
      v1::Submission* added = AddReleased(r->mutable_submissions(),
                                          e.mutable_deliverables_submitted()->release_submission());
      const v1::Submission& sub = *added;
      ApplyTransitions(e.deliverables_submitted().transitions(), r);
      // Awaiting review: no progress reports, no rework due.
      RemoveDue(r, absl::StrCat("report/", sub.task_id()));
      RemoveDue(r, absl::StrCat("rework/", sub.task_id()));
      break;
    }
    case v1::Event::kSubmissionReviewed: {
      v1::SubmissionReviewed& sr = *e.mutable_submission_reviewed();
      v1::Review* review = AddReleased(r->mutable_reviews(), sr.release_review());
      ApplyTransitions(sr.transitions(), r);
      if (v1::TaskExecution* x = FindExecution(r, review->task_id(), sr.task_index())) {
        if (review->verdict() == v1::VERDICT_FAIL) {
          x->set_review_rounds(x->review_rounds() + 1);
        } else {
          *x->mutable_actual_finish() = e.time();
          x->set_percent_complete(100);
        }
      }
      if (sr.has_rework_due()) AddReleased(r->mutable_open_dues(), sr.release_rework_due());
      break;
    }
    case v1::Event::kFinalSubmitted:
      r->set_allocated_final_submission(e.mutable_final_submitted()->release_submission());
      break;
    case v1::Event::kFinalReviewed:
      AddReleased(r->mutable_final_reviews(), e.mutable_final_reviewed()->release_review());
      if (r->final_reviews(r->final_reviews_size() - 1).verdict() == v1::VERDICT_PASS) {
        r->set_state(v1::REQUEST_STATE_ACCEPTED);
        *r->mutable_accepted_at() = e.time();
        r->clear_open_dues();
      } else {
        r->clear_final_submission();  // a new final submission is needed
      }
      break;
    case v1::Event::kRequestArchived:
      r->set_allocated_archive(e.mutable_request_archived()->release_archive());
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

void ApplyRequestEvent(v1::Event* event, v1::RequestRecord* record) {
  ApplyToRequest(*event, record);
}

void ApplyEvent(const v1::Event& event, v1::EngineState* state) {
  v1::Event copy = event;
  ApplyEvent(&copy, state);
}

void ApplyEvent(v1::Event* event, v1::EngineState* state) {
  v1::Event& e = *event;
  switch (e.payload_case()) {
    case v1::Event::kDirectoryUpdated:
      state->set_allocated_directory(e.mutable_directory_updated()->release_directory());
      return;
    case v1::Event::kOutboxAcknowledged: {
      const uint64_t up_to = e.outbox_acknowledged().up_to_position();
      state->set_acknowledged_position(up_to);
      auto* kept = state->mutable_undelivered();
      kept->erase(
          std::remove_if(kept->begin(), kept->end(),
                         [up_to](const v1::Notification& n) { return n.position() <= up_to; }),
          kept->end());
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
