// Who answers for a receiver, and where each receiver stands on the current
// version of a request (its effective decision under its sign rule).
#ifndef COLLABFLOW_SRC_ENGINE_STATE_RECEIVERS_H_
#define COLLABFLOW_SRC_ENGINE_STATE_RECEIVERS_H_

#include <string>
#include <vector>

#include "collabflow/v1/request.pb.h"
#include "collabflow/v1/state.pb.h"
#include "engine/state/directory_index.h"

namespace collabflow::internal {

// The people who may answer for `receiver`: the person; a department's head
// and delegates; a sign group's signers. Views into `receiver` and `dir`.
PeopleViews MayAnswerFor(const v1::Receiver& receiver, const DirectoryIndex& dir);

// The receiver's effective decision on the current version:
// - a person or department: its latest answer;
// - 会签 (SIGN_RULE_ALL): ACCEPT once every signer's latest answer is ACCEPT;
//   DECLINE or ACCEPT_WITH_CHANGES as soon as any signer's latest answer is
//   (DECLINE wins); otherwise still due;
// - 或签 (SIGN_RULE_ANY): the latest answer of any signer.
// DECISION_UNSPECIFIED means it is still due to answer; `still_due` then lists
// the signers yet to answer (sign groups) or is empty.
struct ReceiverOutcome {
  v1::Decision decision = v1::DECISION_UNSPECIFIED;
  std::vector<std::string> still_due;
};
// `pending`, if set, counts as the newest answer (a response being decided).
ReceiverOutcome OutcomeFor(const v1::RequestRecord& record, const v1::Receiver& receiver,
                           const v1::ReceiverResponse* pending = nullptr);

// True when every receiver's effective decision is ACCEPT.
bool AllAccepted(const v1::RequestRecord& record, const v1::ReceiverResponse* pending = nullptr);
// True when some receiver's effective decision is DECLINE or ACCEPT_WITH_CHANGES.
bool AnyObjection(const v1::RequestRecord& record);

const v1::Receiver* FindReceiver(const v1::CollaborationRequest& request,
                                 absl::string_view receiver_id);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_RECEIVERS_H_
