#include "engine/commands/notifications.h"

#include <algorithm>

#include "absl/container/inlined_vector.h"

namespace collabflow::internal {
namespace {

// Appends a notification of `kind` to `recipients` (sorted, each once, the
// actor and empty ids left out) and returns it; null if no one is left. It
// is a kept event's cleared notification if there is one (its strings keep
// their buffers), else a new one.
v1::Notification* AddNotification(v1::Event& event, v1::NotificationKind kind,
                                  absl::Span<const absl::string_view> recipients) {
  absl::InlinedVector<absl::string_view, 8> to(recipients.begin(), recipients.end());
  std::sort(to.begin(), to.end());
  to.erase(std::unique(to.begin(), to.end()), to.end());
  to.erase(std::remove_if(to.begin(), to.end(),
                          [&](absl::string_view p) { return p.empty() || p == event.actor_id(); }),
           to.end());
  if (to.empty()) return nullptr;
  v1::Notification* n = event.add_notifications();
  n->set_kind(kind);
  n->set_request_id(event.request_id());
  for (absl::string_view p : to) n->add_recipient_ids()->assign(p.data(), p.size());
  return n;
}

}  // namespace

// Texts are moved in; an empty one is left unset rather than set to "" (the
// same message, without a string allocated for it).
void Notify(v1::Event& event, NotificationSpec spec) {
  const absl::InlinedVector<absl::string_view, 8> recipients(spec.recipients.begin(),
                                                             spec.recipients.end());
  v1::Notification* n = AddNotification(event, spec.kind, recipients);
  if (n == nullptr) return;
  if (!spec.subject.empty()) n->set_subject(std::move(spec.subject));
  if (!spec.body.empty()) n->set_body(std::move(spec.body));
  for (std::string& t : spec.task_ids) n->add_task_ids(std::move(t));
  if (!spec.due_key.empty()) n->set_due_key(std::move(spec.due_key));
}

// Texts are written into the notification's own strings: a reused one's
// buffers take them without allocating.
void Notify(v1::Event& event, v1::NotificationKind kind,
            absl::Span<const absl::string_view> recipients, absl::string_view subject,
            absl::string_view body, absl::string_view due_key) {
  v1::Notification* n = AddNotification(event, kind, recipients);
  if (n == nullptr) return;
  if (!subject.empty()) n->mutable_subject()->assign(subject.data(), subject.size());
  if (!body.empty()) n->mutable_body()->assign(body.data(), body.size());
  if (!due_key.empty()) n->mutable_due_key()->assign(due_key.data(), due_key.size());
}

}  // namespace collabflow::internal
