#include "engine/state/due_lists.h"

#include <algorithm>
#include <string>
#include <utility>

#include "wire/time_proto.h"

namespace collabflow::internal {
namespace {

using DueOf = std::pair<const v1::RequestRecord*, const v1::DueItem*>;

// Due time, then request id, then key.
bool DueOrder(const DueOf& a, const DueOf& b) {
  const absl::Time ta = FromProto(a.second->due_at());
  const absl::Time tb = FromProto(b.second->due_at());
  if (ta != tb) return ta < tb;
  if (a.second->request_id() != b.second->request_id()) {
    return a.second->request_id() < b.second->request_id();
  }
  return a.second->key() < b.second->key();
}

// The open dues of `records` that satisfy `pred`, in DueOrder.
template <typename Pred>
std::vector<DueOf> SortedDues(const std::vector<const v1::RequestRecord*>& records, Pred pred) {
  std::vector<DueOf> out;
  for (const v1::RequestRecord* record : records) {
    for (const v1::DueItem& d : record->open_dues()) {
      if (pred(d)) out.emplace_back(record, &d);
    }
  }
  std::sort(out.begin(), out.end(), DueOrder);
  return out;
}

}  // namespace

v1::OverdueList OverdueOf(std::vector<DueOf> dues) {
  // The index orders by due time already; ties go by request id and key.
  std::sort(dues.begin(), dues.end(), DueOrder);
  v1::OverdueList list;
  for (const auto& [record, due] : dues) *list.add_items() = *due;
  return list;
}

v1::MustDoList MustDoOf(absl::string_view person,
                        const std::vector<const v1::RequestRecord*>& requests, absl::Time at) {
  v1::MustDoList list;
  list.set_person_id(std::string(person));
  for (const auto& [record, due] : SortedDues(requests, [person](const v1::DueItem& d) {
         return std::find(d.owed_by().begin(), d.owed_by().end(), person) != d.owed_by().end();
       })) {
    v1::MustDoItem* item = list.add_items();
    item->set_request_id(record->request().id());
    item->set_topic(record->request().topic());
    *item->mutable_due() = *due;
    item->set_overdue(FromProto(due->due_at()) <= at);
  }
  return list;
}

}  // namespace collabflow::internal
