// The lists a host reads of open due items (engine/state/due_lists.h): the
// index hands them over in due time order; the lists put ties in request id,
// then key order, whatever order the index gave them in.
#include "engine/state/due_lists.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "wire/time_proto.h"

namespace collabflow::internal {
namespace {

using ::testing::ElementsAre;

absl::Time At(int day) {
  return absl::FromCivil(absl::CivilSecond(2026, 9, day, 18, 0, 0), absl::UTCTimeZone());
}

v1::DueItem Due(const std::string& request, const std::string& key, int day) {
  v1::DueItem d;
  d.set_request_id(request);
  d.set_key(key);
  d.add_owed_by("p-li");
  ToProto(At(day), d.mutable_due_at());
  return d;
}

TEST(DueListsTest, MustDoPutsTiesInRequestThenKeyOrder) {
  // In due time order, as the index gives them; the ties on the 2nd not in
  // id order.
  const std::vector<v1::DueItem> dues = {Due("R-B", "plan", 1), Due("R-C", "answer", 2),
                                         Due("R-A", "report", 2), Due("R-A", "answer", 2),
                                         Due("R-A", "accept", 3)};
  const std::string topic = "topic";
  std::vector<ListedDue> owed;
  for (const v1::DueItem& d : dues) owed.push_back({&d.request_id(), &topic, &d});
  const v1::MustDoList list = MustDoOf("p-li", owed, At(2));
  std::vector<std::string> order;
  for (const v1::MustDoItem& item : list.items()) {
    order.push_back(item.request_id() + "/" + item.due().key() + (item.overdue() ? "!" : ""));
  }
  EXPECT_THAT(order,
              ElementsAre("R-B/plan!", "R-A/answer!", "R-A/report!", "R-C/answer!", "R-A/accept"));
  EXPECT_EQ(list.person_id(), "p-li");
}

TEST(DueListsTest, OverduePutsTiesInRequestThenKeyOrder) {
  const std::vector<v1::DueItem> dues = {Due("R-C", "answer", 1), Due("R-B", "plan", 1),
                                         Due("R-A", "plan", 2)};
  std::vector<const v1::DueItem*> listed;
  for (const v1::DueItem& d : dues) listed.push_back(&d);
  const v1::OverdueList list = OverdueOf(listed);
  std::vector<std::string> order;
  for (const v1::DueItem& item : list.items()) order.push_back(item.request_id());
  EXPECT_THAT(order, ElementsAre("R-B", "R-C", "R-A"));
}

}  // namespace
}  // namespace collabflow::internal
