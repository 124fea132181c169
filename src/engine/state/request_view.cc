#include "engine/state/request_view.h"

#include <string>

#include "absl/strings/string_view.h"
#include "engine/state/receivers.h"
#include "engine/state/roles.h"
#include "engine/state/state_fold.h"

namespace collabflow::internal {
namespace {

// The channel the request's complexity calls for (step 3).
v1::Channel RecommendedChannel(v1::Complexity complexity) {
  switch (complexity) {
    case v1::COMPLEXITY_COMPLEX:
      return v1::CHANNEL_COLLABORATION_PLATFORM;
    case v1::COMPLEXITY_KEY_DECISION:
      return v1::CHANNEL_MEETING;
    default:
      return v1::CHANNEL_GROUP_CHAT;
  }
}

}  // namespace

v1::RequestView BuildRequestView(const v1::RequestRecord& record, const DirectoryIndex& directory) {
  v1::RequestView view;
  *view.mutable_record() = record;
  for (const v1::Receiver& rc : record.request().receivers()) {
    v1::ReceiverStatus* s = view.add_receivers();
    s->set_receiver_id(rc.id());
    ReceiverOutcome outcome = OutcomeFor(record, rc);
    s->set_decision(outcome.decision);
    for (absl::string_view p : MayAnswerFor(rc, directory)) s->add_may_answer(std::string(p));
    for (std::string& p : outcome.still_due) s->add_still_due(std::move(p));
    const std::string key = ResponseDueKey(rc.id(), record.request().version());
    for (const v1::DueItem& d : record.open_dues()) {
      if (d.key() == key) *s->mutable_due_at() = d.due_at();
    }
  }
  for (std::string& m : MembersOf(record, directory)) view.add_members(std::move(m));
  view.set_recommended_channel(RecommendedChannel(record.request().complexity()));
  return view;
}

}  // namespace collabflow::internal
