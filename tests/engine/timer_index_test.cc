// The timer index on its own: what a tick visits and what a must-do list
// reads, kept up to date one request at a time.
#include "engine/state/timer_index.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "collabflow/calendar.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "wire/time_proto.h"

namespace collabflow::internal {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

absl::Time At(int month, int day, int hour) {
  return absl::FromCivil(absl::CivilSecond(2026, month, day, hour, 0, 0),
                         absl::FixedTimeZone(8 * 3600));
}

void AddDue(v1::RequestRecord* record, const std::string& key, absl::Time due_at,
            std::vector<std::string> owed_by, int reminders_sent = 0) {
  v1::DueItem* due = record->add_open_dues();
  due->set_key(key);
  due->set_request_id(record->request().id());
  ToProto(due_at, due->mutable_due_at());
  for (std::string& p : owed_by) due->add_owed_by(std::move(p));
  due->set_reminders_sent(reminders_sent);
}

v1::RequestRecord Record(const std::string& id) {
  v1::RequestRecord r;
  r.mutable_request()->set_id(id);
  return r;
}

std::vector<std::string> Describe(const std::vector<TimerIndex::DueTimer>& due) {
  std::vector<std::string> out;
  for (const TimerIndex::DueTimer& t : due)
    out.push_back(*t.request_id + "#" + std::to_string(t.due));
  return out;
}

std::vector<std::string> OwedBy(const TimerIndex& index, absl::string_view person) {
  std::vector<std::string> out;
  index.ForEachRequestOwedBy(person, [&](const std::string& id) { out.push_back(id); });
  return out;
}

class TimerIndexTest : public ::testing::Test {
 protected:
  Calendar calendar_ = Calendar::ChinaMainland();
  TimerIndex index_{calendar_, EscalationLadder{1, 3}};
};

TEST_F(TimerIndexTest, DueAtGivesTheTimersWhoseTimeHasComeInTimeOrder) {
  v1::RequestRecord a = Record("R-A");
  AddDue(&a, "answer", At(9, 2, 18), {"p-li"});
  AddDue(&a, "plan", At(9, 4, 18), {"p-li"});
  v1::RequestRecord b = Record("R-B");
  AddDue(&b, "answer", At(9, 1, 18), {"p-zhao"});
  index_.Refresh("R-A", &a.open_dues());
  index_.Refresh("R-B", &b.open_dues());
  EXPECT_THAT(Describe(index_.DueAt(At(8, 31, 9))), IsEmpty());
  EXPECT_THAT(Describe(index_.DueAt(At(9, 2, 18))), ElementsAre("R-B#0", "R-A#0"));
  EXPECT_THAT(Describe(index_.DueAt(At(9, 30, 9))), ElementsAre("R-B#0", "R-A#0", "R-A#1"));
}

TEST_F(TimerIndexTest, TheNextRungIsAWorkingDayAfterTheDueTime) {
  v1::RequestRecord a = Record("R-A");
  AddDue(&a, "answer", At(9, 2, 18), {"p-li"}, /*reminders_sent=*/1);  // rung 2 next
  index_.Refresh("R-A", &a.open_dues());
  EXPECT_THAT(Describe(index_.DueAt(At(9, 2, 18))), IsEmpty());
  EXPECT_THAT(Describe(index_.DueAt(At(9, 3, 18))), ElementsAre("R-A#0"));
}

TEST_F(TimerIndexTest, AnExhaustedLadderHasNoTimerButItsOwersStillOwe) {
  v1::RequestRecord a = Record("R-A");
  AddDue(&a, "answer", At(9, 2, 18), {"p-li"}, /*reminders_sent=*/4);  // rungs 1..4 fired
  index_.Refresh("R-A", &a.open_dues());
  EXPECT_THAT(Describe(index_.DueAt(At(12, 31, 18))), IsEmpty());
  EXPECT_THAT(OwedBy(index_, "p-li"), ElementsAre("R-A"));
}

TEST_F(TimerIndexTest, ARefreshReplacesTheRequestsTimersAndOwers) {
  v1::RequestRecord a = Record("R-A");
  AddDue(&a, "answer", At(9, 2, 18), {"p-li", "p-zhao"});
  AddDue(&a, "plan", At(9, 4, 18), {"p-li"});
  index_.Refresh("R-A", &a.open_dues());
  v1::RequestRecord b = Record("R-B");
  AddDue(&b, "answer", At(9, 3, 18), {"p-li"});
  index_.Refresh("R-B", &b.open_dues());
  EXPECT_THAT(OwedBy(index_, "p-li"), UnorderedElementsAre("R-A", "R-B"));
  EXPECT_THAT(OwedBy(index_, "p-zhao"), ElementsAre("R-A"));

  a.mutable_open_dues()->DeleteSubrange(0, 1);  // answered: only the plan is open
  index_.Refresh("R-A", &a.open_dues());
  EXPECT_THAT(OwedBy(index_, "p-zhao"), IsEmpty());
  EXPECT_THAT(Describe(index_.DueAt(At(9, 30, 9))), ElementsAre("R-B#0", "R-A#0"));

  index_.Refresh("R-A", nullptr);  // nothing open any more
  EXPECT_THAT(OwedBy(index_, "p-li"), ElementsAre("R-B"));
  EXPECT_THAT(Describe(index_.DueAt(At(9, 30, 9))), ElementsAre("R-B#0"));
}

TEST_F(TimerIndexTest, ARequestWithNothingOpenIsNotIndexed) {
  v1::RequestRecord a = Record("R-A");
  index_.Refresh("R-A", &a.open_dues());
  index_.Refresh("R-NEVER", nullptr);
  EXPECT_THAT(Describe(index_.DueAt(At(12, 31, 18))), IsEmpty());
  EXPECT_THAT(OwedBy(index_, "p-li"), IsEmpty());
}

}  // namespace
}  // namespace collabflow::internal
