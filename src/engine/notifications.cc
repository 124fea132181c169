#include "engine/notifications.h"

#include <algorithm>

#include "absl/container/inlined_vector.h"

namespace collabflow::internal {

void Notify(v1::Event& event, const NotificationSpec& spec) {
  const absl::InlinedVector<absl::string_view, 8> recipients(spec.recipients.begin(),
                                                             spec.recipients.end());
  Notify(event, spec.kind, recipients, spec.subject, spec.body, spec.due_key, spec.task_ids);
}

void Notify(v1::Event& event, v1::NotificationKind kind,
            absl::Span<const absl::string_view> recipients, absl::string_view subject,
            absl::string_view body, absl::string_view due_key,
            absl::Span<const std::string> task_ids) {
  absl::InlinedVector<absl::string_view, 8> to(recipients.begin(), recipients.end());
  std::sort(to.begin(), to.end());
  to.erase(std::unique(to.begin(), to.end()), to.end());
  to.erase(std::remove_if(to.begin(), to.end(),
                          [&](absl::string_view p) { return p.empty() || p == event.actor_id(); }),
           to.end());
  if (to.empty()) return;
  // A kept event's cleared notification, if it has one (its strings keep
  // their buffers), else a new one.
  v1::Notification* n = event.add_notifications();
  n->set_kind(kind);
  n->set_request_id(event.request_id());
  for (absl::string_view p : to) n->add_recipient_ids()->assign(p.data(), p.size());
  // Texts are written into the notification's own strings (a reused one's
  // buffers take them without allocating). An empty text is left unset
  // rather than set to "": the same message.
  if (!subject.empty()) n->mutable_subject()->assign(subject.data(), subject.size());
  if (!body.empty()) n->mutable_body()->assign(body.data(), body.size());
  for (const std::string& t : task_ids) n->add_task_ids(t);
  if (!due_key.empty()) n->mutable_due_key()->assign(due_key.data(), due_key.size());
}

}  // namespace collabflow::internal
