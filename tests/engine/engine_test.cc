// The engine core through steps 1 and 2 of the process: the seed scenario,
// every refusal path, time rules, the outbox, and replay determinism.
#include "collabflow/engine.h"

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collabflow/limits.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "support/commands.h"
#include "support/seed_scenario.h"
#include "wire/time_proto.h"

namespace collabflow {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace collabflow::testing;  // NOLINT: the seed vocabulary

absl::Time T(int mo, int d, int h, int mi = 0) { return Shanghai(2026, mo, d, h, mi); }

std::unique_ptr<Engine> NewEngine(EngineOptions options = {}) {
  auto engine = Engine::Open(std::move(options));
  EXPECT_TRUE(engine.ok()) << engine.status();
  EXPECT_TRUE((*engine)->Execute(UpdateDirectoryCommand(SeedDirectory(), T(8, 28, 9))).ok());
  return std::move(*engine);
}

v1::RequestState StateOf(const Engine& e) { return e.GetRequest(kRequestId)->record().state(); }

void Drive(Engine& e, int steps, int from = 1) {
  const absl::Status s = DriveSeed(e, steps, from);
  ASSERT_TRUE(s.ok()) << s;
}

TEST(EngineTest, SeedScenarioWalksThroughNegotiationToPublishedPlan) {
  auto e = NewEngine();
  Drive(*e, 2);
  EXPECT_EQ(StateOf(*e), v1::REQUEST_STATE_SUBMITTED);
  auto view = e->GetRequest(kRequestId);
  ASSERT_TRUE(view.ok());
  ASSERT_EQ(view->receivers_size(), 2);
  // Department receivers answer through the head and delegates.
  EXPECT_THAT(view->receivers(1).may_answer(), ElementsAre(kSalesHead, kSalesData));
  // Filed Monday 10:00 -> due Tuesday 10:00 (1 working day).
  EXPECT_EQ(internal::FromProto(view->receivers(0).due_at()), T(9, 1, 10));

  Drive(*e, 4, 3);  // market accepts, sales counter-proposes
  EXPECT_EQ(StateOf(*e), v1::REQUEST_STATE_NEGOTIATING);
  view = e->GetRequest(kRequestId);
  EXPECT_EQ(view->receivers(0).decision(), v1::DECISION_ACCEPT);
  EXPECT_EQ(view->receivers(1).decision(), v1::DECISION_ACCEPT_WITH_CHANGES);

  Drive(*e, 5, 5);  // the initiator revises: version 2, answers reset
  view = e->GetRequest(kRequestId);
  EXPECT_EQ(view->record().state(), v1::REQUEST_STATE_SUBMITTED);
  EXPECT_EQ(view->record().request().version(), 2);
  EXPECT_EQ(view->record().earlier_versions_size(), 1);
  EXPECT_EQ(view->receivers(0).decision(), v1::DECISION_UNSPECIFIED);
  EXPECT_EQ(view->record().open_dues_size(), 2);

  Drive(*e, 7, 6);
  view = e->GetRequest(kRequestId);
  EXPECT_EQ(view->record().state(), v1::REQUEST_STATE_CONFIRMED);
  // Confirmed Tuesday 16:00 -> the plan is due Wednesday 16:00.
  ASSERT_EQ(view->record().open_dues_size(), 1);
  EXPECT_EQ(view->record().open_dues(0).key(), "plan");
  EXPECT_EQ(internal::FromProto(view->record().open_dues(0).due_at()), T(9, 2, 16));

  Drive(*e, 8, 8);
  view = e->GetRequest(kRequestId);
  EXPECT_EQ(view->record().state(), v1::REQUEST_STATE_PLANNED);
  EXPECT_EQ(view->record().plan().tasks_size(), 3);
  EXPECT_FALSE(view->record().coverage().goal_uncovered());
  EXPECT_EQ(view->record().open_dues_size(), 0);
  EXPECT_THAT(view->members(), ::testing::Contains(kSalesData));
}

TEST(EngineTest, OutboxTellsEachPartyWhatTheProcessCallsFor) {
  auto e = NewEngine();
  Drive(*e, 8);
  std::vector<v1::Notification> all = e->ReadOutbox(0, 1000);
  ASSERT_FALSE(all.empty());
  // Numbered within their request, in the order of their records.
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].request_id(), kRequestId);
    EXPECT_EQ(all[i].id(), i + 1);
    if (i > 0) {
      EXPECT_GE(all[i].position(), all[i - 1].position());
    }
  }
  // Submission: each receiver's answerers are told, with the due time.
  EXPECT_EQ(all[0].kind(), v1::NOTIFICATION_KIND_REQUEST_SUBMITTED);
  EXPECT_THAT(all[0].recipient_ids(), ElementsAre(kMarketDelegate, kOwner));
  EXPECT_THAT(all[0].body(), HasSubstr("2026-09-01 10:00"));
  // Plan publication: the sales data group hears of its own task.
  bool sales_told = false;
  for (const v1::Notification& n : all) {
    if (n.kind() == v1::NOTIFICATION_KIND_PLAN_PUBLISHED && n.recipient_ids(0) == kSalesData) {
      EXPECT_THAT(n.task_ids(), ElementsAre("T1"));
      sales_told = true;
    }
  }
  EXPECT_TRUE(sales_told);
  // Resumable: read after a position (whole records), acknowledge, and only
  // newer ones remain.
  const uint64_t cursor = all[1].position();
  std::vector<v1::Notification> page = e->ReadOutbox(cursor, 1);
  ASSERT_FALSE(page.empty());
  EXPECT_GT(page[0].position(), cursor);
  for (const v1::Notification& n : page) EXPECT_EQ(n.position(), page[0].position());
  ASSERT_TRUE(e->AcknowledgeOutbox(page[0].position()).ok());
  EXPECT_GT(e->ReadOutbox(0, 1000).front().position(), page[0].position());
  EXPECT_EQ(e->AcknowledgeOutbox(e->LastPosition() + 1).code(), absl::StatusCode::kOutOfRange);
}

TEST(EngineTest, OverdueAnswersAreListedRemindedOnceAndOnTheMustDoList) {
  auto e = NewEngine();
  Drive(*e, 2);
  EXPECT_EQ(e->Overdue(T(9, 1, 9, 59)).items_size(), 0);
  EXPECT_EQ(e->Overdue(T(9, 1, 10)).items_size(), 2);
  auto todo = e->MustDo(kSalesData, T(9, 1, 12));
  ASSERT_TRUE(todo.ok());
  ASSERT_EQ(todo->items_size(), 1);
  EXPECT_EQ(todo->items(0).due().key(), "response/sales/v1");
  EXPECT_TRUE(todo->items(0).overdue());
  const uint64_t before = e->LastPosition();
  EXPECT_EQ(*e->Tick(T(9, 1, 9)), 0);        // nothing due yet
  EXPECT_EQ(*e->Tick(T(9, 1, 12)), 2);       // rung 1: a reminder per receiver
  EXPECT_EQ(*e->Tick(T(9, 1, 12)), 0);       // idempotent
  EXPECT_EQ(*e->Tick(T(9, 1, 17)), 0);       // the next rung is a working day later
  EXPECT_EQ(*e->Tick(T(9, 2, 12)), 2);       // rung 2: one level up the chain
  EXPECT_EQ(e->LastPosition(), before + 2);  // a record per tick (one request)
  // Sales' answerers are 赵强 (superior: 刘总) and 吴磊 (superior: 赵强).
  bool escalated = false;
  for (const v1::Notification& n : e->ReadOutbox(0, 1000)) {
    if (n.kind() == v1::NOTIFICATION_KIND_ESCALATION && n.due_key() == "response/sales/v1") {
      EXPECT_THAT(n.recipient_ids(), ElementsAre(kCeo, kSalesHead));
      escalated = true;
    }
  }
  EXPECT_TRUE(escalated);
  EXPECT_EQ(e->MustDo(kOutsider, T(9, 1, 12))->items_size(), 0);
  EXPECT_EQ(e->MustDo("p-nobody", T(9, 1, 12)).status().code(), absl::StatusCode::kNotFound);
}

TEST(EngineTest, AnswerDeadlinesCountMakeUpWorkdaysAndSkipHolidays) {
  auto e = NewEngine();
  v1::CollaborationRequest r = SeedRequestProto();
  r.set_id("R-HOLIDAY");
  SetDate(r.mutable_final_deadline(), 2026, 10, 30);
  ASSERT_TRUE(e->Execute(CreateRequestCommand(kInitiator, T(9, 18, 9), r)).ok());
  // Friday 9-18 17:00: the next working day is Sunday 9-20 (调休 make-up day).
  ASSERT_TRUE(e->Execute(SubmitRequestCommand(kInitiator, T(9, 18, 17), "R-HOLIDAY")).ok());
  EXPECT_EQ(internal::FromProto(e->GetRequest("R-HOLIDAY")->receivers(0).due_at()), T(9, 20, 17));

  r.set_id("R-MIDAUTUMN");
  ASSERT_TRUE(e->Execute(CreateRequestCommand(kInitiator, T(9, 24, 9), r)).ok());
  // Thursday 9-24 10:00: 9-25..27 is the Mid-Autumn holiday -> Monday 9-28.
  ASSERT_TRUE(e->Execute(SubmitRequestCommand(kInitiator, T(9, 24, 10), "R-MIDAUTUMN")).ok());
  EXPECT_EQ(internal::FromProto(e->GetRequest("R-MIDAUTUMN")->receivers(0).due_at()), T(9, 28, 10));
}

TEST(EngineTest, SignGroupsNeedAllOrAnySigner) {
  auto e = NewEngine();
  v1::CollaborationRequest r = SeedRequestProto();
  r.clear_receivers();
  v1::Receiver* all = r.add_receivers();
  all->set_id("countersign");
  all->mutable_sign_group()->add_person_ids(kSalesHead);
  all->mutable_sign_group()->add_person_ids(kFinanceHead);
  all->mutable_sign_group()->set_rule(v1::SIGN_RULE_ALL);
  v1::Receiver* any = r.add_receivers();
  any->set_id("either");
  any->mutable_sign_group()->add_person_ids(kOwner);
  any->mutable_sign_group()->add_person_ids(kMarketDelegate);
  any->mutable_sign_group()->set_rule(v1::SIGN_RULE_ANY);
  const absl::Status s = ExecuteAll(
      *e, {CreateRequestCommand(kInitiator, T(8, 31, 9), r),
           SubmitRequestCommand(kInitiator, T(8, 31, 10), kRequestId),
           RespondCommand(kMarketDelegate, T(8, 31, 11), kRequestId, Accept("either", "x")),
           RespondCommand(kSalesHead, T(8, 31, 12), kRequestId, Accept("countersign", "x"))});
  ASSERT_TRUE(s.ok()) << s;
  auto view = e->GetRequest(kRequestId);
  EXPECT_EQ(view->receivers(0).decision(), v1::DECISION_UNSPECIFIED);
  EXPECT_THAT(view->receivers(0).still_due(), ElementsAre(kFinanceHead));
  EXPECT_EQ(view->receivers(1).decision(), v1::DECISION_ACCEPT);
  EXPECT_EQ(view->record().state(), v1::REQUEST_STATE_SUBMITTED);
  ASSERT_TRUE(
      e->Execute(RespondCommand(kFinanceHead, T(8, 31, 13), kRequestId, Accept("countersign", "x")))
          .ok());
  EXPECT_EQ(StateOf(*e), v1::REQUEST_STATE_CONFIRMED);
}

TEST(EngineTest, CountersignRemindersAndEscalationsGoOnlyToSignersWhoStillOwe) {
  auto e = NewEngine();
  v1::CollaborationRequest r = SeedRequestProto();
  r.clear_receivers();
  v1::Receiver* all = r.add_receivers();
  all->set_id("countersign");
  all->mutable_sign_group()->add_person_ids(kSalesData);  // 吴磊, superior 赵强
  all->mutable_sign_group()->add_person_ids(kOutsider);   // 马丽, superior 钱芳
  all->mutable_sign_group()->set_rule(v1::SIGN_RULE_ALL);
  const absl::Status s = ExecuteAll(*e, {CreateRequestCommand(kInitiator, T(8, 31, 9), r),
                                         SubmitRequestCommand(kInitiator, T(8, 31, 10), kRequestId),
                                         RespondCommand(kSalesData, T(8, 31, 11), kRequestId,
                                                        Accept("countersign", "客户画像分析"))});
  ASSERT_TRUE(s.ok()) << s;
  // 吴磊 has signed: the answer is owed by 马丽 alone.
  EXPECT_EQ(e->MustDo(kSalesData, T(9, 1, 12))->items_size(), 0);
  ASSERT_EQ(e->MustDo(kOutsider, T(9, 1, 12))->items_size(), 1);
  ASSERT_EQ(*e->Tick(T(9, 1, 12)), 1);  // rung 1
  ASSERT_EQ(*e->Tick(T(9, 2, 12)), 1);  // rung 2
  int told = 0;
  for (const v1::Notification& n : e->ReadOutbox(0, 1000)) {
    if (n.kind() == v1::NOTIFICATION_KIND_REMINDER) {
      EXPECT_THAT(n.recipient_ids(), ElementsAre(kOutsider));
      ++told;
    }
    if (n.kind() == v1::NOTIFICATION_KIND_ESCALATION) {
      EXPECT_THAT(n.recipient_ids(), ElementsAre(kFinanceHead));
      EXPECT_THAT(n.body(), HasSubstr(kOutsider));
      EXPECT_THAT(n.body(), ::testing::Not(HasSubstr(kSalesData)));
      ++told;
    }
  }
  EXPECT_EQ(told, 2);
  // 马丽 signs: the answer is in, nothing is owed.
  ASSERT_TRUE(e->Execute(RespondCommand(kOutsider, T(9, 2, 13), kRequestId,
                                        Accept("countersign", "预算审核")))
                  .ok());
  EXPECT_EQ(StateOf(*e), v1::REQUEST_STATE_CONFIRMED);
  EXPECT_EQ(e->MustDo(kOutsider, T(9, 2, 14))->items_size(), 0);
}

// ---- the role x command x state matrix ----

enum class Cmd { kSubmit, kRevise, kRespondMarket, kCancel, kKickoff, kPublish };

absl::Status RunCommand(Engine& e, Cmd cmd, const char* actor) {
  const absl::Time t = T(9, 3, 10);
  switch (cmd) {
    case Cmd::kSubmit:
      return e.Execute(SubmitRequestCommand(actor, t, kRequestId)).status();
    case Cmd::kRevise:
      return e.Execute(ReviseRequestCommand(actor, t, SeedRequestRevised(), "note")).status();
    case Cmd::kRespondMarket:
      return e.Execute(RespondCommand(actor, t, kRequestId, Accept("market", "策划"))).status();
    case Cmd::kCancel:
      return e.Execute(CancelRequestCommand(actor, t, kRequestId, "预算取消")).status();
    case Cmd::kKickoff: {
      v1::KickoffMeeting m;
      internal::ToProto(t, m.mutable_time());
      m.add_attendee_ids(kOwner);
      m.add_agreed_points("9月20日定稿");
      return e.Execute(RecordKickoffCommand(actor, t, kRequestId, m)).status();
    }
    case Cmd::kPublish:
      return e.Execute(PublishPlanCommand(actor, t, kRequestId, SeedPlan())).status();
  }
  return absl::InternalError("unreachable");
}

// The rules, restated independently of the engine's code.
absl::StatusCode Expected(Cmd cmd, const std::string& actor, v1::RequestState s) {
  using S = v1::RequestState;
  auto in = [s](std::initializer_list<S> states) {
    return std::find(states.begin(), states.end(), s) != states.end();
  };
  const bool initiator = actor == kInitiator;
  bool role = false, state = false;
  switch (cmd) {
    case Cmd::kSubmit:
      role = initiator;
      state = in({v1::REQUEST_STATE_DRAFT});
      break;
    case Cmd::kRevise:
      role = initiator;
      state = in({v1::REQUEST_STATE_SUBMITTED, v1::REQUEST_STATE_NEGOTIATING});
      break;
    case Cmd::kRespondMarket:
      role = actor == kOwner || actor == kMarketDelegate;
      state = in({v1::REQUEST_STATE_SUBMITTED, v1::REQUEST_STATE_NEGOTIATING});
      break;
    case Cmd::kCancel:
      role = initiator;
      state = s != v1::REQUEST_STATE_CANCELLED;
      break;
    case Cmd::kKickoff:
      role = initiator;
      state = in({v1::REQUEST_STATE_CONFIRMED, v1::REQUEST_STATE_PLANNED});
      break;
    case Cmd::kPublish:
      role = actor == kOwner;
      state = in({v1::REQUEST_STATE_CONFIRMED});
      break;
  }
  if (!role) return absl::StatusCode::kPermissionDenied;
  if (!state) return absl::StatusCode::kFailedPrecondition;
  return absl::StatusCode::kOk;
}

TEST(EngineTest, RoleCommandStateMatrixRefusesWithoutChangingAnything) {
  struct Setup {
    v1::RequestState state;
    int steps;
    bool cancel;
  };
  const Setup setups[] = {
      {v1::REQUEST_STATE_DRAFT, 1, false},       {v1::REQUEST_STATE_SUBMITTED, 2, false},
      {v1::REQUEST_STATE_NEGOTIATING, 4, false}, {v1::REQUEST_STATE_CONFIRMED, 7, false},
      {v1::REQUEST_STATE_PLANNED, 8, false},     {v1::REQUEST_STATE_CANCELLED, 2, true},
  };
  const char* actors[] = {kInitiator, kOwner, kMarketDelegate, kSalesHead, kOutsider};
  const Cmd cmds[] = {Cmd::kSubmit, Cmd::kRevise,  Cmd::kRespondMarket,
                      Cmd::kCancel, Cmd::kKickoff, Cmd::kPublish};
  int cases = 0;
  for (const Setup& setup : setups) {
    for (Cmd cmd : cmds) {
      for (const char* actor : actors) {
        auto e = NewEngine();
        Drive(*e, setup.steps);
        if (setup.cancel) {
          ASSERT_TRUE(
              e->Execute(CancelRequestCommand(kInitiator, T(9, 2, 9), kRequestId, "x")).ok());
        }
        ASSERT_EQ(StateOf(*e), setup.state);
        const std::string before = e->StateBytes();
        const uint64_t seq = e->LastPosition();
        const absl::Status s = RunCommand(*e, cmd, actor);
        const absl::StatusCode want = Expected(cmd, actor, setup.state);
        SCOPED_TRACE(absl::StrCat("state ", v1::RequestState_Name(setup.state), " cmd ",
                                  static_cast<int>(cmd), " actor ", actor, ": ", s.ToString()));
        EXPECT_EQ(s.code(), want);
        if (!s.ok()) {
          EXPECT_EQ(e->StateBytes(), before);
          EXPECT_EQ(e->LastPosition(), seq);
          if (s.code() == absl::StatusCode::kFailedPrecondition) {
            // The message names the current state ("... is NEGOTIATING ...").
            const std::string name = v1::RequestState_Name(setup.state).substr(14);
            EXPECT_THAT(std::string(s.message()), HasSubstr(" is " + name));
          }
        }
        ++cases;
      }
    }
  }
  EXPECT_EQ(cases, 6 * 6 * 5);
}

// ---- bad input ----

class EngineRefusalTest : public ::testing::Test {
 protected:
  void SetUp() override { e_ = NewEngine(); }
  void ExpectRefused(const absl::StatusOr<v1::CommandResult>& r, absl::StatusCode code,
                     absl::string_view needle) {
    EXPECT_EQ(r.status().code(), code) << r.status();
    EXPECT_THAT(std::string(r.status().message()), HasSubstr(std::string(needle)));
  }
  std::unique_ptr<Engine> e_;
};

TEST_F(EngineRefusalTest, UnknownRequestIsNotFound) {
  ExpectRefused(e_->Execute(SubmitRequestCommand(kInitiator, T(9, 1, 9), "nope")),
                absl::StatusCode::kNotFound, "nope");
}

TEST_F(EngineRefusalTest, DuplicateRequestIdAlreadyExists) {
  Drive(*e_, 1);
  ExpectRefused(e_->Execute(CreateRequestCommand(kInitiator, T(9, 1, 9), SeedRequestProto())),
                absl::StatusCode::kAlreadyExists, kRequestId);
}

TEST_F(EngineRefusalTest, UnknownActorIsPermissionDenied) {
  ExpectRefused(e_->Execute(CreateRequestCommand("p-ghost", T(9, 1, 9), SeedRequestProto())),
                absl::StatusCode::kPermissionDenied, "p-ghost");
}

TEST_F(EngineRefusalTest, OnlyTheHostUpdatesTheDirectory) {
  v1::Command c;
  c.set_actor_id(kInitiator);
  *c.mutable_update_directory()->mutable_directory() = SeedDirectory();
  ExpectRefused(e_->Execute(c), absl::StatusCode::kPermissionDenied, "host");
}

TEST_F(EngineRefusalTest, InvalidDirectoryIsRefusedWhole) {
  v1::Directory d = SeedDirectory();
  d.mutable_people(1)->set_superior_id("p-missing");
  ExpectRefused(e_->Execute(UpdateDirectoryCommand(d, T(9, 1, 9))),
                absl::StatusCode::kInvalidArgument, "p-missing");
  d = SeedDirectory();
  d.mutable_people(0)->set_superior_id(kInitiator);  // 刘总 -> 张伟 -> 刘总
  ExpectRefused(e_->Execute(UpdateDirectoryCommand(d, T(9, 1, 9))),
                absl::StatusCode::kInvalidArgument, "cycle");
  EXPECT_EQ(e_->SuperiorOf(kInitiator), kCeo);
}

TEST_F(EngineRefusalTest, CommandWithoutPayloadOrActorIsInvalid) {
  v1::Command c;
  c.set_actor_id(kInitiator);
  c.set_request_id(kRequestId);
  ExpectRefused(e_->Execute(c), absl::StatusCode::kInvalidArgument, "payload");
  c.clear_actor_id();
  c.mutable_submit_request();
  ExpectRefused(e_->Execute(c), absl::StatusCode::kInvalidArgument, "actor_id");
}

TEST_F(EngineRefusalTest, InvalidUtf8AndOverlongTextNameTheField) {
  v1::CollaborationRequest r = SeedRequestProto();
  r.set_goal("bad \xC3\x28");
  ExpectRefused(e_->Execute(CreateRequestCommand(kInitiator, T(9, 1, 9), r)),
                absl::StatusCode::kInvalidArgument, "goal");
  r = SeedRequestProto();
  r.set_topic(std::string(100000, 'x'));
  ExpectRefused(e_->Execute(CreateRequestCommand(kInitiator, T(9, 1, 9), r)),
                absl::StatusCode::kResourceExhausted, "topic");
}

TEST_F(EngineRefusalTest, TooManyReceiversIsResourceExhausted) {
  v1::CollaborationRequest r = SeedRequestProto();
  for (int i = 0; i < 70; ++i) {
    v1::Receiver* rc = r.add_receivers();
    rc->set_id(absl::StrCat("extra-", i));
    rc->set_person_id(kOutsider);
  }
  ExpectRefused(e_->Execute(CreateRequestCommand(kInitiator, T(9, 1, 9), r)),
                absl::StatusCode::kResourceExhausted, "receivers");
}

TEST_F(EngineRefusalTest, UnknownDirectoryReferencesAreInvalid) {
  v1::CollaborationRequest r = SeedRequestProto();
  r.mutable_receivers(1)->set_department_id("d-nowhere");
  ExpectRefused(e_->Execute(CreateRequestCommand(kInitiator, T(9, 1, 9), r)),
                absl::StatusCode::kInvalidArgument, "d-nowhere");
}

TEST_F(EngineRefusalTest, DatesOutsideTheCalendarRangeAreInvalid) {
  v1::CollaborationRequest r = SeedRequestProto();
  SetDate(r.mutable_final_deadline(), 2300, 1, 1);
  ExpectRefused(e_->Execute(CreateRequestCommand(kInitiator, T(9, 1, 9), r)),
                absl::StatusCode::kInvalidArgument, "final_deadline");
  v1::Command c;
  c.set_actor_id(kInitiator);
  c.set_request_id(kRequestId);
  c.mutable_time()->set_seconds(-1000000000000LL);
  c.mutable_submit_request();
  ExpectRefused(e_->Execute(c), absl::StatusCode::kInvalidArgument, "command.time");
}

TEST_F(EngineRefusalTest, ResponseToAnOldVersionIsRefused) {
  Drive(*e_, 5);
  v1::ReceiverResponse r = Accept("market", "x");
  r.set_request_version(1);
  ExpectRefused(e_->Execute(RespondCommand(kOwner, T(9, 1, 12), kRequestId, r)),
                absl::StatusCode::kFailedPrecondition, "version 1");
}

TEST_F(EngineRefusalTest, ResponseNamingUnknownThingsIsInvalid) {
  Drive(*e_, 2);
  v1::ReceiverResponse r = Accept("finance", "x");
  ExpectRefused(e_->Execute(RespondCommand(kOwner, T(9, 1, 9), kRequestId, r)),
                absl::StatusCode::kInvalidArgument, "finance");
  r = SalesCounterProposal();
  r.mutable_counter_proposals(0)->set_milestone_id("no-such");
  ExpectRefused(e_->Execute(RespondCommand(kSalesHead, T(9, 1, 9), kRequestId, r)),
                absl::StatusCode::kInvalidArgument, "no-such");
  r = Accept("sales", "x");
  r.set_timing_accepted(false);
  ExpectRefused(e_->Execute(RespondCommand(kSalesHead, T(9, 1, 9), kRequestId, r)),
                absl::StatusCode::kInvalidArgument, "ACCEPT_WITH_CHANGES");
  r = Accept("sales", "x");
  r.set_decision(static_cast<v1::Decision>(17));
  ExpectRefused(e_->Execute(RespondCommand(kSalesHead, T(9, 1, 9), kRequestId, r)),
                absl::StatusCode::kInvalidArgument, "decision");
}

// Response refusals name the whole field path (put together only on
// refusal) and change nothing.
TEST_F(EngineRefusalTest, ResponseRefusalsNameTheWholeFieldPath) {
  Drive(*e_, 2);
  const std::string before = e_->StateBytes();
  auto expect = [&](const v1::ReceiverResponse& r, absl::string_view message) {
    auto result = e_->Execute(RespondCommand(kSalesHead, T(9, 1, 9), kRequestId, r));
    EXPECT_EQ(result.status().code(), absl::StatusCode::kInvalidArgument) << result.status();
    EXPECT_EQ(result.status().message(), message);
    EXPECT_EQ(e_->StateBytes(), before);
  };
  v1::ReceiverResponse r = SalesCounterProposal();
  SetDate(r.mutable_counter_proposals(0)->mutable_proposed_date(), 2026, 9, 31);
  expect(r, "response.counter_proposals[0].proposed_date: 2026-09-31 is not a date");
  r = SalesCounterProposal();
  r.add_resources()->set_resource_id("nope");
  expect(r, "response.resources[1].resource_id: unknown resource \"nope\"");
  r = SalesCounterProposal();
  r.mutable_resources(0)->set_days_needed(0);
  expect(r, "response.resources[0].days_needed: must be in 1..250");
  r = Accept("sales", "数据");
  r.add_duties("");
  expect(r, "response.duties[1]: required text is empty");
}

TEST_F(EngineRefusalTest, PlanOverTheTaskLimitIsResourceExhaustedAndChangesNothing) {
  Drive(*e_, 7);
  const std::string before = e_->StateBytes();
  v1::Plan p = SeedPlan();
  const v1::Task model = p.tasks(0);
  p.mutable_tasks()->Reserve(static_cast<int>(kMaxTasksPerPlan) + 1);
  for (int i = p.tasks_size(); i <= static_cast<int>(kMaxTasksPerPlan); ++i) {
    v1::Task* t = p.add_tasks();
    t->set_id(absl::StrCat("X", i));
    t->set_name("x");
    *t->mutable_assignee() = model.assignee();
    t->set_duration_days(1);
  }
  ASSERT_EQ(p.tasks_size(), static_cast<int>(kMaxTasksPerPlan) + 1);
  ExpectRefused(e_->Execute(PublishPlanCommand(kOwner, T(9, 2, 10), kRequestId, p, true)),
                absl::StatusCode::kResourceExhausted, "plan.tasks");
  EXPECT_EQ(e_->StateBytes(), before);
}

TEST_F(EngineRefusalTest, PlanWithCycleIsRefusedNamingTheCycle) {
  Drive(*e_, 7);
  v1::Plan p = SeedPlan();
  p.mutable_tasks(0)->add_predecessors()->set_predecessor_id("T3");
  auto r = e_->Execute(PublishPlanCommand(kOwner, T(9, 2, 10), kRequestId, p));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("T1"));
  EXPECT_THAT(std::string(r.status().message()), HasSubstr("T3"));
  EXPECT_EQ(StateOf(*e_), v1::REQUEST_STATE_CONFIRMED);
}

TEST_F(EngineRefusalTest, PlanTaskWithoutOrWithUnknownAssigneeIsRefused) {
  Drive(*e_, 7);
  v1::Plan p = SeedPlan();
  p.mutable_tasks(1)->clear_assignee();
  ExpectRefused(e_->Execute(PublishPlanCommand(kOwner, T(9, 2, 10), kRequestId, p)),
                absl::StatusCode::kInvalidArgument, "T2");
  p = SeedPlan();
  p.mutable_tasks(1)->mutable_assignee()->set_person_id("p-ghost");
  ExpectRefused(e_->Execute(PublishPlanCommand(kOwner, T(9, 2, 10), kRequestId, p)),
                absl::StatusCode::kInvalidArgument, "p-ghost");
}

TEST_F(EngineRefusalTest, PlanDurationsLagsAndReferencesAreChecked) {
  Drive(*e_, 7);
  v1::Plan p = SeedPlan();
  p.mutable_tasks(0)->set_duration_days(-1);
  ExpectRefused(e_->Execute(PublishPlanCommand(kOwner, T(9, 2, 10), kRequestId, p)),
                absl::StatusCode::kInvalidArgument, "duration_days");
  p = SeedPlan();
  p.mutable_tasks(1)->mutable_predecessors(0)->set_lag_days(1000000);
  ExpectRefused(e_->Execute(PublishPlanCommand(kOwner, T(9, 2, 10), kRequestId, p)),
                absl::StatusCode::kInvalidArgument, "lag_days");
  p = SeedPlan();
  p.mutable_tasks(1)->mutable_predecessors(0)->set_predecessor_id("T9");
  ExpectRefused(e_->Execute(PublishPlanCommand(kOwner, T(9, 2, 10), kRequestId, p)),
                absl::StatusCode::kInvalidArgument, "T9");
  p = SeedPlan();
  p.mutable_tasks(1)->add_predecessors()->set_predecessor_id("T2");
  ExpectRefused(e_->Execute(PublishPlanCommand(kOwner, T(9, 2, 10), kRequestId, p)),
                absl::StatusCode::kInvalidArgument, "itself");
  p = SeedPlan();
  p.mutable_tasks(2)->set_id("T1");
  ExpectRefused(e_->Execute(PublishPlanCommand(kOwner, T(9, 2, 10), kRequestId, p)),
                absl::StatusCode::kInvalidArgument, "duplicate");
}

// Plan refusals name the whole field path (formatted only on refusal), and a
// repeated dependency is found in long predecessor lists too (past the scan
// of the first 16, in a hash set).
TEST_F(EngineRefusalTest, PlanRefusalsNameTheWholeFieldPath) {
  Drive(*e_, 7);
  const std::string before = e_->StateBytes();
  auto expect = [&](const v1::Plan& p, absl::string_view message) {
    auto r = e_->Execute(PublishPlanCommand(kOwner, T(9, 2, 10), kRequestId, p, true));
    EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument) << r.status();
    EXPECT_EQ(r.status().message(), message);
    EXPECT_EQ(e_->StateBytes(), before);
  };
  v1::Plan p = SeedPlan();
  p.mutable_tasks(1)->add_predecessors()->set_predecessor_id("T1");
  expect(p, "plan.tasks[1].predecessors[1]: duplicate dependency on \"T1\"");
  p = SeedPlan();
  p.mutable_tasks(2)->mutable_predecessors(0)->set_predecessor_id("T9");
  expect(p, "plan.tasks[2].predecessors[0].predecessor_id: unknown task \"T9\"");
  p = SeedPlan();
  p.mutable_tasks(1)->set_delivery_standard(2, "");
  expect(p, "plan.tasks[1].delivery_standard[2]: required text is empty");
  p = SeedPlan();
  p.mutable_tasks(0)->mutable_serves(1)->set_milestone_id("no-such");
  expect(p, "plan.tasks[0].serves[1].milestone_id: unknown milestone \"no-such\"");
  p = SeedPlan();
  p.mutable_tasks(2)->add_serves();
  expect(p, "plan.tasks[2].serves[2]: names nothing");
  p = SeedPlan();
  p.mutable_tasks(0)->set_name("");
  expect(p, "plan.tasks[0].name: required text is empty");
  p = SeedPlan();
  SetDate(p.mutable_tasks(1)->mutable_start_no_earlier_than(), 2026, 2, 30);
  expect(p, "plan.tasks[1].start_no_earlier_than: 2026-02-30 is not a date");
  p = SeedPlan();
  SetDate(p.mutable_tasks(0)->mutable_finish_no_later_than(), 1900, 1, 2);
  expect(p, "plan.tasks[0].finish_no_later_than: year 1900 outside the supported range 1970..2199");

  // The last task depends on 30 more tasks, then on the 20th of them again.
  p = SeedPlan();
  for (int i = 0; i < 30; ++i) {
    v1::Task* t = p.add_tasks();
    *t = p.tasks(0);
    t->set_id(absl::StrCat("X", i));
    t->clear_serves();
    p.mutable_tasks(2)->add_predecessors()->set_predecessor_id(absl::StrCat("X", i));
  }
  p.mutable_tasks(2)->add_predecessors()->set_predecessor_id("X19");
  expect(p, "plan.tasks[2].predecessors[31]: duplicate dependency on \"X19\"");
}

TEST_F(EngineRefusalTest, OmissionsNeedAcknowledgementThatIsRecorded) {
  Drive(*e_, 7);
  v1::Plan p = SeedPlan();
  p.mutable_tasks(2)->clear_serves();  // nothing serves the final milestone or the goal
  ExpectRefused(e_->Execute(PublishPlanCommand(kOwner, T(9, 2, 10), kRequestId, p)),
                absl::StatusCode::kFailedPrecondition, "final");
  ASSERT_TRUE(e_->Execute(PublishPlanCommand(kOwner, T(9, 2, 10), kRequestId, p,
                                             /*acknowledge_omissions=*/true))
                  .ok());
  auto view = e_->GetRequest(kRequestId);
  EXPECT_TRUE(view->record().omissions_acknowledged());
  EXPECT_THAT(view->record().coverage().uncovered_milestone_ids(), ElementsAre("final"));
  EXPECT_TRUE(view->record().coverage().goal_uncovered());
}

TEST_F(EngineRefusalTest, OverlapsAreReported) {
  Drive(*e_, 7);
  v1::Plan p = SeedPlan();
  p.mutable_tasks(2)->set_deliverable("营销方案初稿");  // same market deliverable as T2
  ASSERT_TRUE(e_->Execute(PublishPlanCommand(kOwner, T(9, 2, 10), kRequestId, p)).ok());
  auto view = e_->GetRequest(kRequestId);
  ASSERT_EQ(view->record().coverage().overlaps_size(), 1);
  EXPECT_EQ(view->record().coverage().overlaps(0).task_a(), "T2");
  EXPECT_EQ(view->record().coverage().overlaps(0).task_b(), "T3");
}

TEST_F(EngineRefusalTest, AReceiverThatTookDutiesWithoutATaskIsAnOmission) {
  Drive(*e_, 7);  // 销售部 confirmed "客户画像分析"
  v1::Plan p = SeedPlan();
  p.mutable_tasks(0)->mutable_assignee()->set_department_id("d-market");  // sales has no task
  ExpectRefused(e_->Execute(PublishPlanCommand(kOwner, T(9, 2, 10), kRequestId, p)),
                absl::StatusCode::kFailedPrecondition, "receivers without a task sales");
  // A task for a person of the department covers it.
  p.mutable_tasks(0)->mutable_assignee()->set_person_id(kSalesData);
  ASSERT_TRUE(e_->Execute(PublishPlanCommand(kOwner, T(9, 2, 10), kRequestId, p)).ok());
  EXPECT_EQ(e_->GetRequest(kRequestId)->record().coverage().uncovered_receiver_ids_size(), 0);
}

TEST_F(EngineRefusalTest, AnUncoveredReceiverIsPublishedWhenAcknowledged) {
  Drive(*e_, 7);
  v1::Plan p = SeedPlan();
  p.mutable_tasks(0)->mutable_assignee()->set_department_id("d-market");
  ASSERT_TRUE(e_->Execute(PublishPlanCommand(kOwner, T(9, 2, 10), kRequestId, p,
                                             /*acknowledge_omissions=*/true))
                  .ok());
  auto view = e_->GetRequest(kRequestId);
  EXPECT_TRUE(view->record().omissions_acknowledged());
  EXPECT_THAT(view->record().coverage().uncovered_receiver_ids(), ElementsAre("sales"));
}

TEST_F(EngineRefusalTest, OverlapsWithoutDeliverablesAreFoundByTheFoldedName) {
  Drive(*e_, 7);
  v1::Plan p = SeedPlan();
  for (v1::Task& t : *p.mutable_tasks()) t.clear_deliverable();
  p.mutable_tasks(1)->set_name("ＰＰＴ初稿");            // full-width
  p.mutable_tasks(2)->set_name(" ppt初稿\xE3\x80\x80");  // trimmed, case-folded
  ASSERT_TRUE(e_->Execute(PublishPlanCommand(kOwner, T(9, 2, 10), kRequestId, p)).ok());
  auto view = e_->GetRequest(kRequestId);
  ASSERT_EQ(view->record().coverage().overlaps_size(), 1);
  EXPECT_EQ(view->record().coverage().overlaps(0).task_a(), "T2");
  EXPECT_EQ(view->record().coverage().overlaps(0).task_b(), "T3");
  EXPECT_EQ(view->record().coverage().overlaps(0).name(), "ＰＰＴ初稿");
}

TEST_F(EngineRefusalTest, APlanStartingBeforeAReceiversLeadTimeIsFlagged) {
  // 销售部 said the customer data needs 3 working days (9-01); confirmed
  // Tuesday 9-01. The owner is told when the request is confirmed.
  Drive(*e_, 7);
  bool told = false;
  for (const v1::Notification& n : e_->ReadOutbox(0, 1000)) {
    if (n.kind() == v1::NOTIFICATION_KIND_REQUEST_CONFIRMED) {
      EXPECT_THAT(n.body(), HasSubstr("资源准备:销售部提供区域客户数据 需3个工作日"));
      told = true;
    }
  }
  EXPECT_TRUE(told);
  // Published 9-02: T1, which serves the data, starts Thursday 9-03, 2
  // working days after the confirmation. Flagged, not refused.
  ASSERT_TRUE(e_->Execute(PublishPlanCommand(kOwner, T(9, 2, 10), kRequestId, SeedPlan())).ok());
  auto view = e_->GetRequest(kRequestId);
  ASSERT_EQ(view->record().coverage().short_lead_times_size(), 1);
  const v1::CoverageReport::LeadTime& l = view->record().coverage().short_lead_times(0);
  EXPECT_EQ(l.receiver_id(), "sales");
  EXPECT_EQ(l.resource_id(), "customer-data");
  EXPECT_EQ(l.days_needed(), 3);
  EXPECT_EQ(l.task_id(), "T1");
  EXPECT_EQ(l.planned_after_days(), 2);
}

TEST_F(EngineRefusalTest, APlanThatLeavesTheLeadTimeIsNotFlagged) {
  Drive(*e_, 7);
  v1::Plan p = SeedPlan();
  SetDate(p.mutable_project_start(), 2026, 9, 4);  // 3 working days after 9-01
  ASSERT_TRUE(e_->Execute(PublishPlanCommand(kOwner, T(9, 2, 10), kRequestId, p)).ok());
  EXPECT_EQ(e_->GetRequest(kRequestId)->record().coverage().short_lead_times_size(), 0);
}

TEST_F(EngineRefusalTest, CommandWithoutTimeTakesTheInjectedClock) {
  FakeClock clock(T(8, 31, 9));
  EngineOptions options;
  options.clock = &clock;
  auto e = NewEngine(options);
  v1::Command c;
  c.set_actor_id(kInitiator);
  c.set_request_id(kRequestId);
  *c.mutable_create_request()->mutable_request() = SeedRequestProto();
  ASSERT_TRUE(e->Execute(c).ok());
  EXPECT_EQ(internal::FromProto(e->GetRequest(kRequestId)->record().created_at()), T(8, 31, 9));
}

TEST_F(EngineRefusalTest, CommandsBeforeTheRequestOrBeyondTheClockToleranceAreRefused) {
  Drive(*e_, 2);  // created 8-31 09:30, submitted 10:00
  const std::string before = e_->StateBytes();
  // Before the request's creation: refused, however small the difference.
  v1::Command cancel = CancelRequestCommand(kInitiator, T(8, 31, 9, 29), kRequestId, "不再需要");
  ExpectRefused(e_->Execute(cancel), absl::StatusCode::kInvalidArgument,
                "2026-08-31 09:29:00 +08:00 is before the request was created "
                "(2026-08-31 09:30:00 +08:00)");
  // More than 5 minutes (the default) before the last event: refused,
  // naming both times.
  auto early = e_->Execute(
      RespondCommand(kMarketDelegate, T(8, 31, 9, 54), kRequestId, Accept("market", "方案策划")));
  ExpectRefused(early, absl::StatusCode::kInvalidArgument, "2026-08-31 09:54:00 +08:00");
  ExpectRefused(early, absl::StatusCode::kInvalidArgument, "2026-08-31 10:00:00 +08:00");
  EXPECT_EQ(e_->StateBytes(), before);
  // Within it: accepted, after the events already there.
  auto late = e_->Execute(
      RespondCommand(kMarketDelegate, T(8, 31, 9, 56), kRequestId, Accept("market", "方案策划")));
  ASSERT_TRUE(late.ok()) << late.status();
  EXPECT_EQ(e_->GetRequest(kRequestId)->record().responses_size(), 1);
  // The preview of a revision answers the same.
  v1::RevisePlan revision;
  revision.set_reason("提前");
  v1::Command preview = RevisePlanCommand(kOwner, T(8, 31, 9), kRequestId, revision);
  EXPECT_EQ(e_->PreviewRevision(preview).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(EngineRefusalTest, TheClockToleranceIsAnOption) {
  EngineOptions options;
  options.clock_tolerance = absl::ZeroDuration();
  auto e = NewEngine(options);
  Drive(*e, 2);
  ExpectRefused(e->Execute(RespondCommand(kMarketDelegate, T(8, 31, 9, 59), kRequestId,
                                          Accept("market", "方案策划"))),
                absl::StatusCode::kInvalidArgument, "clock tolerance of 0");
  ASSERT_TRUE(e->Execute(RespondCommand(kMarketDelegate, T(8, 31, 10), kRequestId,
                                        Accept("market", "方案策划")))
                  .ok());
  options.clock_tolerance = -absl::Seconds(1);
  EXPECT_EQ(Engine::Open(options).status().code(), absl::StatusCode::kInvalidArgument);
}

TEST_F(EngineRefusalTest, TextsOfWhiteSpaceOnlyAreRefusedWhereATextIsRequired) {
  v1::CollaborationRequest r = SeedRequestProto();
  r.set_topic(" \t ");
  ExpectRefused(e_->Execute(CreateRequestCommand(kInitiator, T(9, 1, 9), r)),
                absl::StatusCode::kInvalidArgument, "topic: required text is only white space");
  r = SeedRequestProto();
  r.set_goal("\xE3\x80\x80\xE3\x80\x80");  // two ideographic spaces (U+3000)
  ExpectRefused(e_->Execute(CreateRequestCommand(kInitiator, T(9, 1, 9), r)),
                absl::StatusCode::kInvalidArgument, "goal");
  Drive(*e_, 2);
  ExpectRefused(e_->Execute(CancelRequestCommand(kInitiator, T(9, 1, 9), kRequestId, "\n ")),
                absl::StatusCode::kInvalidArgument, "reason");
  // Text with white space around it is text.
  r = SeedRequestProto();
  r.set_id("REQ-2");
  r.set_topic(" Q3 ");
  EXPECT_TRUE(e_->Execute(CreateRequestCommand(kInitiator, T(9, 1, 9), r)).ok());
}

// ---- replay ----

std::string TempDir(const char* name) {
  std::string dir = absl::StrCat(::testing::TempDir(), "/", name, "-", getpid());
  std::filesystem::remove_all(dir);
  return dir;
}

TEST(EngineReplayTest, ReopeningRebuildsByteIdenticalState) {
  const std::string dir = TempDir("engine-replay");
  std::string live;
  std::vector<v1::Notification> outbox;
  {
    EngineOptions options;
    options.store_dir = dir;
    auto e = NewEngine(options);
    Drive(*e, 8);
    ASSERT_TRUE(e->Tick(T(9, 10, 9)).ok());
    ASSERT_TRUE(e->AcknowledgeOutbox(3).ok());
    live = e->StateBytes();
    outbox = e->ReadOutbox(0, 1000);
    ASSERT_GT(outbox.front().position(), 3u);
  }
  for (int round = 0; round < 2; ++round) {
    EngineOptions options;
    options.store_dir = dir;
    auto e = Engine::Open(options);
    ASSERT_TRUE(e.ok()) << e.status();
    EXPECT_EQ((*e)->StateBytes(), live);
    // The outbox resumes where the host left off.
    ASSERT_EQ((*e)->ReadOutbox(0, 1000).size(), outbox.size());
    EXPECT_EQ((*e)->ReadOutbox(0, 1).front().position(), outbox.front().position());
    EXPECT_EQ((*e)->ReadOutbox(0, 1).front().id(), outbox.front().id());
    if (round == 0) {
      ASSERT_TRUE((*e)->WriteSnapshot().ok());  // round 1 reads it
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(EngineReplayTest, EventsReadBackInOrderWithTheirActors) {
  auto e = NewEngine();
  Drive(*e, 4);
  std::vector<std::string> actors;
  uint64_t position = 0;
  uint64_t request_version = 0;
  ASSERT_TRUE(e->ReadEvents(0, [&](const v1::Event& ev) {
                 EXPECT_GE(ev.position(), position);
                 position = ev.position();
                 if (!ev.has_directory_updated()) {
                   EXPECT_EQ(ev.version(), ++request_version);
                 }
                 actors.push_back(ev.actor_id());
                 return absl::OkStatus();
               }).ok());
  EXPECT_EQ(position, e->LastPosition());
  EXPECT_THAT(actors, ElementsAre("host", kInitiator, kInitiator, kMarketDelegate, kSalesData));
  // After a position: the records after it.
  std::vector<uint64_t> after;
  ASSERT_TRUE(e->ReadEvents(position - 1, [&](const v1::Event& ev) {
                 after.push_back(ev.position());
                 return absl::OkStatus();
               }).ok());
  EXPECT_THAT(after, ElementsAre(position));
}

// Every open due item due at or before `at`, by due time, then request id,
// then key: a scan of every request's record as read from its stream, what
// the indexes and summaries must agree with.
std::vector<v1::DueItem> ScanOpenDues(const Engine& e, absl::Time at) {
  std::vector<v1::DueItem> dues;
  for (const std::string& id : e.RequestIds()) {
    absl::StatusOr<RequestHistory> history = e.ReadRequestHistory(id);
    EXPECT_TRUE(history.ok()) << history.status();
    if (!history.ok()) continue;
    for (const v1::DueItem& d : history->record.open_dues()) {
      if (internal::FromProto(d.due_at()) <= at) dues.push_back(d);
    }
  }
  std::sort(dues.begin(), dues.end(), [](const v1::DueItem& a, const v1::DueItem& b) {
    const absl::Time ta = internal::FromProto(a.due_at());
    const absl::Time tb = internal::FromProto(b.due_at());
    return std::tie(ta, a.request_id(), a.key()) < std::tie(tb, b.request_id(), b.key());
  });
  return dues;
}

// Overdue reads an index of open dues by due time: at every due time (and
// just before it, and at the end of time) it lists exactly what a scan does.
void ExpectOverdueMatchesAScan(const Engine& e, int* nonempty) {
  std::vector<absl::Time> instants = {absl::InfinitePast(), absl::InfiniteFuture()};
  for (const v1::DueItem& d : ScanOpenDues(e, absl::InfiniteFuture())) {
    instants.push_back(internal::FromProto(d.due_at()));
    instants.push_back(internal::FromProto(d.due_at()) - absl::Microseconds(1));
  }
  for (absl::Time at : instants) {
    std::vector<std::string> expected;
    for (const v1::DueItem& d : ScanOpenDues(e, at)) {
      expected.push_back(absl::StrCat(d.request_id(), "/", d.key()));
    }
    std::vector<std::string> got;
    const v1::OverdueList overdue = e.Overdue(at);
    for (const v1::DueItem& d : overdue.items()) {
      got.push_back(absl::StrCat(d.request_id(), "/", d.key()));
    }
    EXPECT_EQ(got, expected) << absl::FormatTime(at);
    *nonempty += got.empty() ? 0 : 1;
  }
}

// MustDo reads a per-person index of open dues kept as requests change; it
// must list exactly what a scan of every open due gives for that person, in
// the same order, at every step and after reopening (the index is rebuilt
// from the replayed state).
void ExpectMustDoMatchesAScan(const Engine& e, int* nonempty) {
  v1::OverdueList all;
  for (v1::DueItem& d : ScanOpenDues(e, absl::InfiniteFuture())) *all.add_items() = d;
  const v1::Directory directory = SeedDirectory();
  for (const v1::Person& p : directory.people()) {
    std::vector<std::string> expected;
    for (const v1::DueItem& d : all.items()) {
      if (std::find(d.owed_by().begin(), d.owed_by().end(), p.id()) != d.owed_by().end()) {
        expected.push_back(d.key());
      }
    }
    const auto list = e.MustDo(p.id(), T(9, 1, 12));
    ASSERT_TRUE(list.ok()) << list.status();
    std::vector<std::string> got;
    for (const v1::MustDoItem& item : list->items()) got.push_back(item.due().key());
    EXPECT_EQ(got, expected) << p.id();
    *nonempty += got.empty() ? 0 : 1;
  }
}

TEST(EngineReplayTest, MustDoAndOverdueIndexesAgreeWithAScanThroughTheSeedAndAfterReopening) {
  const std::string dir = TempDir("engine-mustdo");
  EngineOptions options;
  options.store_dir = dir;
  int nonempty = 0;
  int overdue_nonempty = 0;
  {
    auto e = NewEngine(options);
    for (int step = 1; step <= 8; ++step) {
      Drive(*e, step, step);
      ExpectMustDoMatchesAScan(*e, &nonempty);
      ExpectOverdueMatchesAScan(*e, &overdue_nonempty);
    }
    ASSERT_TRUE(e->Tick(T(9, 8, 12)).ok());  // reminders and escalations change dues
    ExpectMustDoMatchesAScan(*e, &nonempty);
    ExpectOverdueMatchesAScan(*e, &overdue_nonempty);
  }
  auto reopened = Engine::Open(options);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  ExpectMustDoMatchesAScan(**reopened, &nonempty);
  ExpectOverdueMatchesAScan(**reopened, &overdue_nonempty);
  EXPECT_GT(nonempty, 8);  // the comparison saw real lists, not only empty ones
  EXPECT_GT(overdue_nonempty, 8);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace collabflow
