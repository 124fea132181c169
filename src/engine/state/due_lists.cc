#include "engine/state/due_lists.h"

#include <algorithm>
#include <string>
#include <utility>

#include "wire/time_proto.h"

namespace collabflow::internal {
namespace {

// Due time, then request id, then key.
bool DueOrder(const v1::DueItem* a, const v1::DueItem* b) {
  const absl::Time ta = FromProto(a->due_at());
  const absl::Time tb = FromProto(b->due_at());
  if (ta != tb) return ta < tb;
  if (a->request_id() != b->request_id()) return a->request_id() < b->request_id();
  return a->key() < b->key();
}

using DueOf = std::pair<const RequestDues*, const v1::DueItem*>;

// The open dues of `requests` that satisfy `pred`, in DueOrder.
template <typename Pred>
std::vector<DueOf> SortedDues(const std::vector<RequestDues>& requests, Pred pred) {
  std::vector<DueOf> out;
  for (const RequestDues& request : requests) {
    for (const v1::DueItem& d : *request.open) {
      if (pred(d)) out.emplace_back(&request, &d);
    }
  }
  std::sort(out.begin(), out.end(),
            [](const DueOf& a, const DueOf& b) { return DueOrder(a.second, b.second); });
  return out;
}

}  // namespace

v1::OverdueList OverdueOf(std::vector<const v1::DueItem*> dues) {
  // The index orders by due time already; ties go by request id and key.
  std::sort(dues.begin(), dues.end(), DueOrder);
  v1::OverdueList list;
  for (const v1::DueItem* due : dues) *list.add_items() = *due;
  return list;
}

v1::MustDoList MustDoOf(absl::string_view person, const std::vector<RequestDues>& requests,
                        absl::Time at) {
  v1::MustDoList list;
  list.set_person_id(std::string(person));
  for (const auto& [request, due] : SortedDues(requests, [person](const v1::DueItem& d) {
         return std::find(d.owed_by().begin(), d.owed_by().end(), person) != d.owed_by().end();
       })) {
    v1::MustDoItem* item = list.add_items();
    item->set_request_id(*request->request_id);
    item->set_topic(*request->topic);
    *item->mutable_due() = *due;
    item->set_overdue(FromProto(due->due_at()) <= at);
  }
  return list;
}

}  // namespace collabflow::internal
