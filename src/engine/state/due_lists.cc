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

// Puts `items`, in due time order already (the index's), in DueOrder:
// only the runs of equal due times are sorted, so a list costs the same per
// item however long it is.
template <typename T, typename DueOfItem>
void SortTies(std::vector<T>* items, DueOfItem due_of) {
  auto begin = items->begin();
  while (begin != items->end()) {
    const absl::Time at = FromProto(due_of(*begin)->due_at());
    auto end = begin + 1;
    while (end != items->end() && FromProto(due_of(*end)->due_at()) == at) ++end;
    if (end - begin > 1) {
      std::sort(begin, end, [&](const T& a, const T& b) { return DueOrder(due_of(a), due_of(b)); });
    }
    begin = end;
  }
}

}  // namespace

v1::OverdueList OverdueOf(std::vector<const v1::DueItem*> dues) {
  SortTies(&dues, [](const v1::DueItem* d) { return d; });
  v1::OverdueList list;
  for (const v1::DueItem* due : dues) *list.add_items() = *due;
  return list;
}

v1::MustDoList MustDoOf(absl::string_view person, std::vector<ListedDue> owed, absl::Time at) {
  SortTies(&owed, [](const ListedDue& d) { return d.due; });
  v1::MustDoList list;
  list.set_person_id(std::string(person));
  for (const ListedDue& owing : owed) {
    v1::MustDoItem* item = list.add_items();
    item->set_request_id(*owing.request_id);
    item->set_topic(*owing.topic);
    *item->mutable_due() = *owing.due;
    item->set_overdue(FromProto(owing.due->due_at()) <= at);
  }
  return list;
}

}  // namespace collabflow::internal
