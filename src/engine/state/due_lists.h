// The lists of open due items a host reads: everything overdue at an
// instant (Engine::Overdue), and what one person owes (Engine::MustDo),
// each ordered by due time, then request id, then key.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_DUE_LISTS_H_
#define COLLABFLOW_SRC_ENGINE_STATE_DUE_LISTS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collabflow/v1/state.pb.h"
#include "collabflow/v1/views.pb.h"

namespace collabflow::internal {

// The list of `dues` (open due items, as the timer index finds them: due at
// or before an instant, in due time order), ordered by due time, then
// request id, then key.
v1::OverdueList OverdueOf(std::vector<const v1::DueItem*> dues);

// An open due item on a list, and what the list says of its request.
struct ListedDue {
  const std::string* request_id;
  const std::string* topic;
  const v1::DueItem* due;
};

// What `person` owes: `owed` (as the per-person index lists it, in due time
// order), ordered by due time, then request id, then key, and flagged
// overdue at `at`.
v1::MustDoList MustDoOf(absl::string_view person, std::vector<ListedDue> owed, absl::Time at);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_DUE_LISTS_H_
