// Step 5 of the process on the seed example: submissions, reviews on the
// three criteria with a failed first review and a resubmission, timeliness on
// both sides of a holiday, the final acceptance and the archive (read-only).
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collabflow/engine.h"
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

v1::Command Cmd(const char* actor, absl::Time t, const char* request = kRequestId) {
  v1::Command c;
  c.set_actor_id(actor);
  c.set_request_id(request);
  internal::ToProto(t, c.mutable_time());
  return c;
}

absl::Status Start(Engine& e, const char* actor, const char* task, absl::Time t,
                   const char* request = kRequestId) {
  v1::Command c = Cmd(actor, t, request);
  c.mutable_start_task()->set_task_id(task);
  return e.Execute(c).status();
}

v1::Deliverable Doc(const char* title) {
  v1::Deliverable d;
  d.set_title(title);
  d.set_uri(absl::StrCat("https://docs.example.com/", title));
  d.set_sha256(std::string(64, 'a'));
  d.set_size_bytes(1024);
  d.set_media_type("application/pdf");
  return d;
}

absl::Status Submit(Engine& e, const char* actor, const char* task, absl::Time t,
                    const char* request = kRequestId) {
  v1::Command c = Cmd(actor, t, request);
  c.mutable_submit_deliverables()->set_task_id(task);
  *c.mutable_submit_deliverables()->add_deliverables() = Doc(task);
  return e.Execute(c).status();
}

absl::StatusOr<v1::CommandResult> Review(Engine& e, const char* task, absl::Time t,
                                         std::vector<std::string> met,
                                         std::vector<std::string> missing, v1::Verdict verdict,
                                         std::vector<std::string> rectification = {},
                                         bool waive = false, const char* request = kRequestId) {
  v1::Command c = Cmd(kOwner, t, request);
  v1::ReviewSubmission* r = c.mutable_review_submission();
  r->set_task_id(task);
  for (auto& m : met) r->add_items_met(m);
  for (auto& m : missing) r->add_items_missing(m);
  r->set_accurate(true);
  r->set_verdict(verdict);
  for (auto& x : rectification) r->add_rectification()->set_description(x);
  if (waive) {
    r->set_waive_timeliness(true);
    r->set_waiver_reason("受中秋假期影响,同意豁免");
  }
  return e.Execute(c);
}

v1::TaskState StateOf(const Engine& e, const std::string& task, const char* request = kRequestId) {
  const auto view = e.GetRequest(request);  // keep it alive while iterating
  for (const v1::TaskExecution& x : view->record().executions()) {
    if (x.task_id() == task) return x.state();
  }
  return v1::TASK_STATE_UNSPECIFIED;
}

class AcceptanceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto e = Engine::Open();
    ASSERT_TRUE(e.ok());
    e_ = std::move(*e);
    ASSERT_TRUE(e_->Execute(UpdateDirectoryCommand(SeedDirectory(), T(8, 28, 9))).ok());
    ASSERT_TRUE(DriveSeed(*e_, 8).ok());
  }
  std::unique_ptr<Engine> e_;
};

TEST_F(AcceptanceTest, SeedFromPlanToArchiveWithOneFailedReview) {
  // T1: the customer data, on time for its milestone (9-04).
  ASSERT_TRUE(Start(*e_, kSalesData, "T1", T(9, 3, 9, 30)).ok());
  ASSERT_TRUE(Submit(*e_, kSalesData, "T1", T(9, 4, 16)).ok());
  EXPECT_EQ(StateOf(*e_, "T1"), v1::TASK_STATE_SUBMITTED);
  auto passed = Review(*e_, "T1", T(9, 4, 17), {"覆盖全部销售区域"}, {}, v1::VERDICT_PASS);
  ASSERT_TRUE(passed.ok()) << passed.status();
  EXPECT_EQ(StateOf(*e_, "T1"), v1::TASK_STATE_DONE);
  EXPECT_EQ(StateOf(*e_, "T2"), v1::TASK_STATE_READY);
  EXPECT_TRUE(e_->GetRequest(kRequestId)->record().reviews(0).on_time());

  // T2: the first draft fails review — "方案需补充竞品分析部分,2个工作日内提交修订版".
  ASSERT_TRUE(Start(*e_, kMarketDelegate, "T2", T(9, 7, 9)).ok());
  ASSERT_TRUE(Submit(*e_, kMarketDelegate, "T2", T(9, 10, 10)).ok());
  auto failed = Review(*e_, "T2", T(9, 10, 11), {"包含推广渠道", "包含预算分配"}, {"包含执行步骤"},
                       v1::VERDICT_FAIL, {"方案需补充竞品分析部分"});
  ASSERT_TRUE(failed.ok()) << failed.status();
  EXPECT_EQ(StateOf(*e_, "T2"), v1::TASK_STATE_REWORK);
  auto view = e_->GetRequest(kRequestId);
  const v1::Review& review = view->record().reviews(1);
  ASSERT_EQ(review.rectification_size(), 1);
  // Thursday 11:00 + 2 working days = Monday 11:00.
  EXPECT_EQ(internal::FromProto(review.rectification(0).due()), T(9, 14, 11));
  auto todo = e_->MustDo(kMarketDelegate, T(9, 10, 12));
  ASSERT_EQ(todo->items_size(), 1);
  EXPECT_EQ(todo->items(0).due().key(), "rework/T2");
  // The resubmission passes (round 2, on time against the rectification deadline).
  ASSERT_TRUE(Submit(*e_, kMarketDelegate, "T2", T(9, 11, 15)).ok());
  EXPECT_EQ(e_->GetRequest(kRequestId)->record().submissions(2).round(), 2);
  ASSERT_TRUE(Review(*e_, "T2", T(9, 11, 16), {"包含推广渠道", "包含预算分配", "包含执行步骤"}, {},
                     v1::VERDICT_PASS)
                  .ok());
  EXPECT_EQ(e_->GetRequest(kRequestId)->record().executions(1).review_rounds(), 1);

  // T3, then the final submission, acceptance by the initiator, the archive.
  ASSERT_TRUE(Start(*e_, kMarketDelegate, "T3", T(9, 14, 9)).ok());
  v1::Command early_final = Cmd(kOwner, T(9, 14, 10));
  *early_final.mutable_submit_final()->add_deliverables() = Doc("final");
  EXPECT_EQ(e_->Execute(early_final).status().code(), absl::StatusCode::kFailedPrecondition);
  ASSERT_TRUE(Submit(*e_, kMarketDelegate, "T3", T(9, 16, 15)).ok());
  ASSERT_TRUE(Review(*e_, "T3", T(9, 16, 16), {}, {}, v1::VERDICT_PASS).ok());
  v1::Command final_submission = Cmd(kOwner, T(9, 17, 10));
  *final_submission.mutable_submit_final()->add_deliverables() = Doc("营销方案定稿");
  ASSERT_TRUE(e_->Execute(final_submission).ok());
  v1::Command not_reviewer = Cmd(kOwner, T(9, 17, 11));
  not_reviewer.mutable_review_final()->set_verdict(v1::VERDICT_PASS);
  EXPECT_EQ(e_->Execute(not_reviewer).status().code(), absl::StatusCode::kPermissionDenied);
  v1::Command accept = Cmd(kInitiator, T(9, 17, 14));
  accept.mutable_review_final()->set_verdict(v1::VERDICT_PASS);
  accept.mutable_review_final()->set_comment("方案完整,准予启动推广");
  ASSERT_TRUE(e_->Execute(accept).ok());
  EXPECT_EQ(e_->GetRequest(kRequestId)->record().state(), v1::REQUEST_STATE_ACCEPTED);
  v1::Command archive = Cmd(kOwner, T(9, 18, 10));
  archive.mutable_archive_request();
  auto archived = e_->Execute(archive);
  ASSERT_TRUE(archived.ok()) << archived.status();
  view = e_->GetRequest(kRequestId);
  EXPECT_EQ(view->record().state(), v1::REQUEST_STATE_ARCHIVED);
  EXPECT_EQ(view->record().archive().archived_by(), kOwner);
  // It seals the request's stream before it: the event before the archive's.
  EXPECT_EQ(view->record().archive().last_version(), archived->first_version() - 1);
  auto history = e_->ReadRequestHistory(kRequestId);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(view->record().archive().head_hash(), history->prev_hashes.back());
  EXPECT_TRUE(e_->VerifyHistory().ok());

  // Archived means read-only: every command is refused, nothing changes.
  const std::string before = e_->StateBytes();
  EXPECT_EQ(Start(*e_, kMarketDelegate, "T3", T(9, 18, 11)).code(),
            absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(
      e_->Execute(CancelRequestCommand(kInitiator, T(9, 18, 11), kRequestId, "x")).status().code(),
      absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(e_->Execute(archive).status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_EQ(e_->StateBytes(), before);
}

TEST_F(AcceptanceTest, ReviewsCheckCompletenessAndRefuseInconsistentVerdicts) {
  ASSERT_TRUE(Start(*e_, kSalesData, "T1", T(9, 3, 9, 30)).ok());
  v1::Command bad_hash = Cmd(kSalesData, T(9, 4, 15));
  bad_hash.mutable_submit_deliverables()->set_task_id("T1");
  *bad_hash.mutable_submit_deliverables()->add_deliverables() = Doc("x");
  bad_hash.mutable_submit_deliverables()->mutable_deliverables(0)->set_sha256("ABC");
  EXPECT_EQ(e_->Execute(bad_hash).status().code(), absl::StatusCode::kInvalidArgument);
  ASSERT_TRUE(Submit(*e_, kSalesData, "T1", T(9, 4, 16)).ok());
  const std::string before = e_->StateBytes();
  EXPECT_EQ(Review(*e_, "T1", T(9, 4, 17), {}, {}, v1::VERDICT_PASS).status().code(),
            absl::StatusCode::kInvalidArgument);  // the item is not checked off
  EXPECT_EQ(
      Review(*e_, "T1", T(9, 4, 17), {}, {"覆盖全部销售区域"}, v1::VERDICT_PASS).status().code(),
      absl::StatusCode::kInvalidArgument);  // PASS with an item missing
  EXPECT_EQ(Review(*e_, "T1", T(9, 4, 17), {"别的"}, {}, v1::VERDICT_PASS).status().code(),
            absl::StatusCode::kInvalidArgument);  // not in the standard
  EXPECT_EQ(
      Review(*e_, "T1", T(9, 4, 17), {"覆盖全部销售区域"}, {}, v1::VERDICT_FAIL).status().code(),
      absl::StatusCode::kInvalidArgument);  // FAIL without rectification
  v1::Command by_other = Cmd(kSalesHead, T(9, 4, 17));
  by_other.mutable_review_submission()->set_task_id("T1");
  EXPECT_EQ(e_->Execute(by_other).status().code(), absl::StatusCode::kPermissionDenied);
  EXPECT_EQ(Submit(*e_, kSalesHead, "T2", T(9, 4, 17)).code(),
            absl::StatusCode::kPermissionDenied);  // T2 belongs to the market department
  EXPECT_EQ(Submit(*e_, kMarketDelegate, "T2", T(9, 4, 17)).code(),
            absl::StatusCode::kFailedPrecondition);  // T2 has not started
  EXPECT_EQ(e_->StateBytes(), before);
}

// Request `id` to the market department alone, filed, confirmed and planned
// on 9-14 with one two-day task "A" serving the goal (no milestones or
// resources; final deadline 10-30); `bound` is A's finish_no_later_than, if any.
void PlanOneTaskRequest(Engine& e, const char* id, std::optional<absl::CivilDay> bound) {
  v1::CollaborationRequest r = SeedRequestProto();
  r.set_id(id);
  r.clear_milestones();
  r.clear_resources();
  r.mutable_receivers()->RemoveLast();  // the market department only
  SetDate(r.mutable_final_deadline(), 2026, 10, 30);
  ASSERT_TRUE(e.Execute(CreateRequestCommand(kInitiator, T(9, 14, 9), r)).ok());
  ASSERT_TRUE(e.Execute(SubmitRequestCommand(kInitiator, T(9, 14, 10), id)).ok());
  ASSERT_TRUE(e.Execute(RespondCommand(kOwner, T(9, 14, 11), id, Accept("market", "x"))).ok());
  v1::Plan plan;
  v1::Task* t = plan.add_tasks();
  t->set_id("A");
  t->set_name("一项任务");
  t->mutable_assignee()->set_department_id("d-market");
  t->set_duration_days(2);
  if (bound.has_value()) {
    SetDate(t->mutable_finish_no_later_than(), static_cast<int>(bound->year()), bound->month(),
            bound->day());
  }
  t->add_serves()->set_goal(true);
  ASSERT_TRUE(e.Execute(PublishPlanCommand(kOwner, T(9, 14, 12), id, plan)).ok());
}

// A one-task request whose deliverable is due Thursday 9-24, the day before
// the Mid-Autumn holiday (9-25..27).
class HolidayTimelinessTest : public AcceptanceTest {
 protected:
  void SetUp() override {
    AcceptanceTest::SetUp();
    PlanOneTaskRequest(*e_, "R-HOLIDAY", absl::CivilDay(2026, 9, 24));
    ASSERT_TRUE(Start(*e_, kMarketDelegate, "A", T(9, 21, 9), "R-HOLIDAY").ok());
  }
};

TEST_F(HolidayTimelinessTest, OnTimeBeforeTheHoliday) {
  ASSERT_TRUE(Submit(*e_, kMarketDelegate, "A", T(9, 24, 17), "R-HOLIDAY").ok());
  ASSERT_TRUE(
      Review(*e_, "A", T(9, 24, 17, 30), {}, {}, v1::VERDICT_PASS, {}, false, "R-HOLIDAY").ok());
  const v1::Review r = e_->GetRequest("R-HOLIDAY")->record().reviews(0);
  EXPECT_TRUE(r.on_time());
  EXPECT_EQ(r.late_by_working_minutes(), 0);
}

TEST_F(HolidayTimelinessTest, LateAfterTheHolidayByWorkingTimeOnly) {
  // Due Thursday 18:00, in on Monday 10:00: one working hour late, not four days.
  ASSERT_TRUE(Submit(*e_, kMarketDelegate, "A", T(9, 28, 10), "R-HOLIDAY").ok());
  auto refused = Review(*e_, "A", T(9, 28, 11), {}, {}, v1::VERDICT_PASS, {}, false, "R-HOLIDAY");
  EXPECT_EQ(refused.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(refused.status().message()), HasSubstr("late by 1h"));
  ASSERT_TRUE(
      Review(*e_, "A", T(9, 28, 11), {}, {}, v1::VERDICT_PASS, {}, /*waive=*/true, "R-HOLIDAY")
          .ok());
  const v1::Review r = e_->GetRequest("R-HOLIDAY")->record().reviews(0);
  EXPECT_FALSE(r.on_time());
  EXPECT_EQ(r.late_by_working_minutes(), 60);
  EXPECT_TRUE(r.timeliness_waived());
}

// Without a date bound, a task is due at its planned finish counted from its
// actual start: planned 9-15..9-16, started late on Monday 9-21, so due 9-22
// (read from the engine's kept schedule, which must see the actual start).
TEST_F(AcceptanceTest, UnboundTaskIsDueAtItsFinishCountedFromItsActualStart) {
  PlanOneTaskRequest(*e_, "R-LATE-START", std::nullopt);
  ASSERT_TRUE(Start(*e_, kMarketDelegate, "A", T(9, 21, 9), "R-LATE-START").ok());
  ASSERT_TRUE(Submit(*e_, kMarketDelegate, "A", T(9, 22, 17), "R-LATE-START").ok());
  auto reviewed =
      Review(*e_, "A", T(9, 22, 17, 30), {}, {}, v1::VERDICT_PASS, {}, false, "R-LATE-START");
  ASSERT_TRUE(reviewed.ok()) << reviewed.status();
  const v1::Review review = e_->GetRequest("R-LATE-START")->record().reviews(0);
  EXPECT_TRUE(review.on_time());
}

TEST_F(AcceptanceTest, TheThirdFailedRoundEscalatesToTheOwnersSuperior) {
  ASSERT_TRUE(Start(*e_, kSalesData, "T1", T(9, 3, 9, 30)).ok());
  for (int round = 1; round <= 3; ++round) {
    ASSERT_TRUE(Submit(*e_, kSalesData, "T1", T(9, 3 + round, 10)).ok());
    auto r = Review(*e_, "T1", T(9, 3 + round, 11), {}, {"覆盖全部销售区域"}, v1::VERDICT_FAIL,
                    {absl::StrCat("第", round, "轮整改")});
    ASSERT_TRUE(r.ok()) << r.status();
  }
  bool escalated = false;
  for (const v1::Notification& n : e_->ReadOutbox(0, 1000)) {
    if (n.kind() == v1::NOTIFICATION_KIND_ESCALATION && n.task_ids_size() == 1 &&
        n.task_ids(0) == "T1") {
      EXPECT_THAT(n.recipient_ids(), ElementsAre(kCeo));
      escalated = true;
    }
  }
  EXPECT_TRUE(escalated);
  EXPECT_EQ(e_->GetRequest(kRequestId)->record().executions(0).review_rounds(), 3);
}

}  // namespace
}  // namespace collabflow
