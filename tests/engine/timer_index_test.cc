// The timer index on its own: what a tick visits and what a must-do list
// reads, kept up to date one request at a time.
#include "engine/state/timer_index.h"

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
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
  return Describe(index.OwedBy(person));
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
  EXPECT_THAT(OwedBy(index_, "p-li"), ElementsAre("R-A#0"));
}

TEST_F(TimerIndexTest, ARefreshReplacesTheRequestsTimersAndOwers) {
  v1::RequestRecord a = Record("R-A");
  AddDue(&a, "answer", At(9, 2, 18), {"p-li", "p-zhao"});
  AddDue(&a, "plan", At(9, 4, 18), {"p-li"});
  index_.Refresh("R-A", &a.open_dues());
  v1::RequestRecord b = Record("R-B");
  AddDue(&b, "answer", At(9, 3, 18), {"p-li"});
  index_.Refresh("R-B", &b.open_dues());
  EXPECT_THAT(OwedBy(index_, "p-li"), ElementsAre("R-A#0", "R-B#0", "R-A#1"));  // by due time
  EXPECT_THAT(OwedBy(index_, "p-zhao"), ElementsAre("R-A#0"));

  a.mutable_open_dues()->DeleteSubrange(0, 1);  // answered: only the plan is open
  index_.Refresh("R-A", &a.open_dues());
  EXPECT_THAT(OwedBy(index_, "p-zhao"), IsEmpty());
  EXPECT_THAT(OwedBy(index_, "p-li"), ElementsAre("R-B#0", "R-A#0"));

  a.mutable_open_dues(0)->set_owed_by(0, "p-zhao");  // handed over: the same due
  index_.Refresh("R-A", &a.open_dues());
  EXPECT_THAT(OwedBy(index_, "p-li"), ElementsAre("R-B#0"));
  EXPECT_THAT(OwedBy(index_, "p-zhao"), ElementsAre("R-A#0"));
  EXPECT_THAT(Describe(index_.DueAt(At(9, 30, 9))), ElementsAre("R-B#0", "R-A#0"));

  index_.Refresh("R-A", nullptr);  // nothing open any more
  EXPECT_THAT(OwedBy(index_, "p-li"), ElementsAre("R-B#0"));
  EXPECT_THAT(OwedBy(index_, "p-zhao"), IsEmpty());
  EXPECT_THAT(Describe(index_.DueAt(At(9, 30, 9))), ElementsAre("R-B#0"));
}

TEST_F(TimerIndexTest, ARequestWithNothingOpenIsNotIndexed) {
  v1::RequestRecord a = Record("R-A");
  index_.Refresh("R-A", &a.open_dues());
  index_.Refresh("R-NEVER", nullptr);
  EXPECT_THAT(Describe(index_.DueAt(At(12, 31, 18))), IsEmpty());
  EXPECT_THAT(OwedBy(index_, "p-li"), IsEmpty());
}

// Random refreshes of many requests against the dues they hold: each
// person's list is exactly what the person owes, in due time order.
TEST_F(TimerIndexTest, EachPersonsListIsWhatThePersonOwesInDueTimeOrder) {
  std::mt19937_64 rng(11);
  const std::vector<std::string> people = {"p-li", "p-zhao", "p-wang", "p-chen"};
  std::map<std::string, v1::RequestRecord> records;
  for (int step = 0; step < 3000; ++step) {
    const std::string id = absl::StrCat("R-", rng() % 40);
    v1::RequestRecord r = Record(id);
    for (int d = static_cast<int>(rng() % 4); d > 0; --d) {
      std::vector<std::string> owed_by;
      for (const std::string& p : people) {
        if (rng() % 3 == 0) owed_by.push_back(p);
      }
      AddDue(&r, absl::StrCat("k", rng() % 3), At(9, 1 + static_cast<int>(rng() % 5), 18), owed_by);
    }
    index_.Refresh(id, &r.open_dues());
    records[id] = r;
    if (step % 100 != 99) continue;
    for (const std::string& person : people) {
      std::multiset<std::string> expected;
      for (const auto& [rid, record] : records) {
        for (int i = 0; i < record.open_dues_size(); ++i) {
          const auto& owed_by = record.open_dues(i).owed_by();
          if (std::find(owed_by.begin(), owed_by.end(), person) != owed_by.end()) {
            expected.insert(absl::StrCat(rid, "#", i));
          }
        }
      }
      const std::vector<TimerIndex::DueTimer> listed = index_.OwedBy(person);
      std::multiset<std::string> got;
      absl::Time last = absl::InfinitePast();
      for (const TimerIndex::DueTimer& t : listed) {
        got.insert(absl::StrCat(*t.request_id, "#", t.due));
        const absl::Time at =
            FromProto(records.at(*t.request_id).open_dues(static_cast<int>(t.due)).due_at());
        ASSERT_LE(last, at) << person;
        last = at;
      }
      ASSERT_EQ(got, expected) << person << " at step " << step;
    }
  }
}

// Rebuild (the open's one pass) gives the index a Refresh of each request
// gives, and the index goes on from there as if refreshed.
TEST_F(TimerIndexTest, RebuildIsARefreshOfEveryRequest) {
  std::mt19937_64 rng(5);
  const std::vector<std::string> people = {"p-li", "p-zhao", "p-wang"};
  auto random_record = [&](const std::string& id) {
    v1::RequestRecord r = Record(id);
    for (int d = static_cast<int>(rng() % 4); d > 0; --d) {
      std::vector<std::string> owed_by;
      for (const std::string& p : people) {
        if (rng() % 2 == 0) owed_by.push_back(p);
      }
      AddDue(&r, absl::StrCat("k", d), At(9, 1 + static_cast<int>(rng() % 20), 18), owed_by,
             static_cast<int>(rng() % 5));
    }
    return r;
  };
  std::vector<v1::RequestRecord> records;
  for (int i = 0; i < 300; ++i) records.push_back(random_record(absl::StrCat("R-", i)));
  TimerIndex refreshed(calendar_, EscalationLadder{1, 3});
  for (const v1::RequestRecord& r : records) refreshed.Refresh(r.request().id(), &r.open_dues());
  TimerIndex rebuilt(calendar_, EscalationLadder{1, 3});
  rebuilt.Refresh("R-stale", &records[1].open_dues());  // cleared by the rebuild
  rebuilt.Rebuild([&](const TimerIndex::Visit& visit) {
    for (const v1::RequestRecord& r : records) visit(r.request().id(), &r.open_dues());
  });
  auto same = [&](const char* when) {
    for (int day = 1; day <= 31; day += 3) {
      ASSERT_EQ(Describe(rebuilt.DueAt(At(9, day, 18))), Describe(refreshed.DueAt(At(9, day, 18))))
          << when << " day " << day;
      ASSERT_EQ(Describe(rebuilt.OverdueAt(At(9, day, 18))),
                Describe(refreshed.OverdueAt(At(9, day, 18))))
          << when << " day " << day;
    }
    for (const std::string& p : people) {
      ASSERT_EQ(OwedBy(rebuilt, p), OwedBy(refreshed, p)) << when << " " << p;
    }
  };
  same("after the rebuild");
  EXPECT_FALSE(OwedBy(rebuilt, "p-li").empty());
  for (int step = 0; step < 500; ++step) {
    v1::RequestRecord& r = records[rng() % records.size()];
    r = rng() % 4 == 0 ? Record(r.request().id()) : random_record(r.request().id());
    refreshed.Refresh(r.request().id(), &r.open_dues());
    rebuilt.Refresh(r.request().id(), &r.open_dues());
  }
  same("after refreshes");
}

}  // namespace
}  // namespace collabflow::internal
