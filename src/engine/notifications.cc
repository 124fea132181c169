#include "engine/notifications.h"

#include <algorithm>

namespace collabflow::internal {

void Notify(v1::Event& event, NotificationSpec spec) {
  std::vector<std::string>& to = spec.recipients;
  std::sort(to.begin(), to.end());
  to.erase(std::unique(to.begin(), to.end()), to.end());
  to.erase(std::remove_if(to.begin(), to.end(),
                          [&](const std::string& p) { return p.empty() || p == event.actor_id(); }),
           to.end());
  if (to.empty()) return;
  v1::Notification* n = event.add_notifications();
  n->set_kind(spec.kind);
  n->set_request_id(event.request_id());
  for (std::string& p : to) n->add_recipient_ids(std::move(p));
  // An empty text is left unset rather than set to "": the same message,
  // without allocating a string for it.
  if (!spec.subject.empty()) n->set_subject(std::move(spec.subject));
  if (!spec.body.empty()) n->set_body(std::move(spec.body));
  for (std::string& t : spec.task_ids) n->add_task_ids(std::move(t));
  if (!spec.due_key.empty()) n->set_due_key(std::move(spec.due_key));
}

}  // namespace collabflow::internal
