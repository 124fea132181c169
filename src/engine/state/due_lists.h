// The lists of open due items a host reads: everything overdue at an
// instant (Engine::Overdue), and what one person owes (Engine::MustDo),
// each ordered by due time, then request id, then key.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_DUE_LISTS_H_
#define COLLABFLOW_SRC_ENGINE_STATE_DUE_LISTS_H_

#include <vector>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "collabflow/v1/state.pb.h"
#include "collabflow/v1/views.pb.h"

namespace collabflow::internal {

// Every open due item of `state` due at or before `at` (a scan of every
// request's open items).
v1::OverdueList OverdueAt(const v1::EngineState& state, absl::Time at);

// What `person` owes in `requests` (those the per-person index lists),
// flagged overdue at `at`.
v1::MustDoList MustDoOf(absl::string_view person,
                        const std::vector<const v1::RequestRecord*>& requests, absl::Time at);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_DUE_LISTS_H_
