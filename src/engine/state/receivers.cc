#include "engine/state/receivers.h"

#include "absl/container/flat_hash_map.h"

namespace collabflow::internal {

PeopleViews MayAnswerFor(const v1::Receiver& receiver, const DirectoryIndex& dir) {
  switch (receiver.who_case()) {
    case v1::Receiver::kPersonId:
      return {receiver.person_id()};
    case v1::Receiver::kDepartmentId:
      return dir.ActorViews(receiver.department_id());
    case v1::Receiver::kSignGroup:
      return PeopleViews(receiver.sign_group().person_ids().begin(),
                         receiver.sign_group().person_ids().end());
    case v1::Receiver::WHO_NOT_SET:
      break;
  }
  return {};
}

ReceiverOutcome OutcomeFor(const v1::RequestRecord& record, const v1::Receiver& receiver,
                           const v1::ReceiverResponse* pending) {
  const int version = record.request().version();
  auto for_each_answer = [&](auto&& fn) {
    for (const v1::ReceiverResponse& r : record.responses()) {
      if (r.request_version() == version && r.receiver_id() == receiver.id()) fn(r);
    }
    if (pending != nullptr && pending->request_version() == version &&
        pending->receiver_id() == receiver.id()) {
      fn(*pending);
    }
  };
  ReceiverOutcome outcome;
  if (receiver.who_case() != v1::Receiver::kSignGroup ||
      receiver.sign_group().rule() == v1::SIGN_RULE_ANY) {
    for_each_answer([&](const v1::ReceiverResponse& r) { outcome.decision = r.decision(); });
    return outcome;
  }
  // 会签: the latest answer of each signer.
  absl::flat_hash_map<std::string, v1::Decision> latest;
  for_each_answer([&](const v1::ReceiverResponse& r) { latest[r.responder_id()] = r.decision(); });
  bool all_accepted = true;
  for (const std::string& signer : receiver.sign_group().person_ids()) {
    auto it = latest.find(signer);
    if (it == latest.end()) {
      all_accepted = false;
      outcome.still_due.push_back(signer);
    } else if (it->second == v1::DECISION_DECLINE) {
      outcome.decision = v1::DECISION_DECLINE;
    } else if (it->second == v1::DECISION_ACCEPT_WITH_CHANGES &&
               outcome.decision != v1::DECISION_DECLINE) {
      outcome.decision = v1::DECISION_ACCEPT_WITH_CHANGES;
    } else if (it->second != v1::DECISION_ACCEPT) {
      all_accepted = false;
    }
  }
  if (outcome.decision == v1::DECISION_UNSPECIFIED && all_accepted) {
    outcome.decision = v1::DECISION_ACCEPT;
  }
  return outcome;
}

bool AllAccepted(const v1::RequestRecord& record, const v1::ReceiverResponse* pending) {
  for (const v1::Receiver& r : record.request().receivers()) {
    if (OutcomeFor(record, r, pending).decision != v1::DECISION_ACCEPT) return false;
  }
  return true;
}

bool AnyObjection(const v1::RequestRecord& record) {
  for (const v1::Receiver& r : record.request().receivers()) {
    const v1::Decision d = OutcomeFor(record, r).decision;
    if (d == v1::DECISION_DECLINE || d == v1::DECISION_ACCEPT_WITH_CHANGES) return true;
  }
  return false;
}

const v1::Receiver* FindReceiver(const v1::CollaborationRequest& request,
                                 absl::string_view receiver_id) {
  for (const v1::Receiver& r : request.receivers()) {
    if (r.id() == receiver_id) return &r;
  }
  return nullptr;
}

}  // namespace collabflow::internal
