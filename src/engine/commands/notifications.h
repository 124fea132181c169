// Adding the notifications the process calls for to an event. Recipients are
// person ids; the actor is never told of their own action. Ids are assigned
// when the event is committed.
#ifndef COLLABFLOW_SRC_ENGINE_COMMANDS_NOTIFICATIONS_H_
#define COLLABFLOW_SRC_ENGINE_COMMANDS_NOTIFICATIONS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "collabflow/v1/event.pb.h"
#include "collabflow/v1/notification.pb.h"

namespace collabflow::internal {

struct NotificationSpec {
  v1::NotificationKind kind = v1::NOTIFICATION_KIND_UNSPECIFIED;
  std::vector<std::string> recipients;
  std::string subject;
  std::string body;
  std::vector<std::string> task_ids;
  std::string due_key;
};

// Appends the notification unless no recipient is left once the actor is
// removed.
void Notify(v1::Event& event, NotificationSpec spec);

// The same from views, for texts several notifications share or that the
// state already holds: nothing is copied but into the notification. (An
// event kept for reuse keeps its notifications' strings, which are written
// over.) Recipients may repeat and come in any order.
void Notify(v1::Event& event, v1::NotificationKind kind,
            absl::Span<const absl::string_view> recipients, absl::string_view subject,
            absl::string_view body, absl::string_view due_key = {});

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_COMMANDS_NOTIFICATIONS_H_
