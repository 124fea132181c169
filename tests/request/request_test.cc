// The collaboration request's checks (src/request/request_checks.h) on the
// collabflow.v1.CollaborationRequest message: the seed request passes, and
// every refusal path answers with its code and its exact message, naming the
// field.
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "collabflow/limits.h"
#include "collabflow/v1/request.pb.h"
#include "google/protobuf/repeated_ptr_field.h"
#include "gtest/gtest.h"
#include "request/request_checks.h"
#include "support/seed_scenario.h"

namespace collabflow {
namespace {

using internal::ValidateRequest;
using testing::SeedRequestProto;
using testing::SetDate;
using Request = v1::CollaborationRequest;

TEST(RequestChecks, SeedRequestIsValid) { EXPECT_TRUE(ValidateRequest(SeedRequestProto()).ok()); }

// What may be left out or given in any known form is accepted.
TEST(RequestChecks, AcceptsOptionalFieldsLeftOutAndEveryKnownEnumValue) {
  Request r = SeedRequestProto();
  r.clear_background();
  r.clear_owner_id();  // the owner is then the initiator
  r.mutable_resources(1)->clear_provider();
  r.mutable_resources(0)->clear_unit();
  r.set_response_due_working_days(kMaxTimeRuleWorkingDays);
  r.set_plan_due_working_days(0);
  EXPECT_TRUE(ValidateRequest(r).ok()) << ValidateRequest(r);
  for (int p = v1::Priority_MIN; p <= v1::Priority_MAX; ++p) {
    r.set_priority(static_cast<v1::Priority>(p));
    EXPECT_TRUE(ValidateRequest(r).ok()) << "priority " << p;
  }
  for (int c = v1::Complexity_MIN; c <= v1::Complexity_MAX; ++c) {
    r.set_complexity(static_cast<v1::Complexity>(c));
    EXPECT_TRUE(ValidateRequest(r).ok()) << "complexity " << c;
  }
  for (int f = v1::FinalReviewer_MIN; f <= v1::FinalReviewer_MAX; ++f) {
    r.set_final_reviewer(static_cast<v1::FinalReviewer>(f));
    EXPECT_TRUE(ValidateRequest(r).ok()) << "final_reviewer " << f;
  }
  v1::SignGroup* group = r.mutable_receivers(0)->mutable_sign_group();
  group->add_person_ids("p-li");
  group->add_person_ids("p-chen");
  for (int rule = v1::SignRule_MIN; rule <= v1::SignRule_MAX; ++rule) {
    group->set_rule(static_cast<v1::SignRule>(rule));
    EXPECT_TRUE(ValidateRequest(r).ok()) << "sign rule " << rule;
  }
}

// One broken request: what is changed in the seed request, and the answer.
struct Refusal {
  const char* name;
  std::function<void(Request&)> breaks;
  absl::StatusCode code;
  std::string message;
};

// Names the case in test output (instead of its bytes).
void PrintTo(const Refusal& r, std::ostream* os) { *os << r.name; }

// Copies the first entry of `list` until it holds one more than `max`.
template <typename T>
void GrowPast(google::protobuf::RepeatedPtrField<T>* list, size_t max) {
  while (list->size() <= static_cast<int>(max)) *list->Add() = list->Get(0);
}

constexpr absl::StatusCode kInvalid = absl::StatusCode::kInvalidArgument;
constexpr absl::StatusCode kTooMuch = absl::StatusCode::kResourceExhausted;

std::vector<Refusal> Refusals() {
  return {
      // Enum values, dates and receivers' kinds come first (the rest reads them).
      {"ResourceKindUnspecified",
       [](Request& r) { r.mutable_resources(1)->set_kind(v1::RESOURCE_KIND_UNSPECIFIED); },
       kInvalid, "resources[1].kind: unknown or unspecified enum value 0"},
      {"ResourceKindUnknown",
       [](Request& r) { r.mutable_resources(0)->set_kind(static_cast<v1::ResourceKind>(9)); },
       kInvalid, "resources[0].kind: unknown or unspecified enum value 9"},
      {"MilestoneDateThatDoesNotExist",
       [](Request& r) { SetDate(r.mutable_milestones(1)->mutable_date(), 2026, 2, 30); }, kInvalid,
       "milestones[1].date: 2026-02-30 is not a date"},
      {"MilestoneDateBeforeTheSupportedYears",
       [](Request& r) { SetDate(r.mutable_milestones(0)->mutable_date(), 1969, 12, 31); }, kInvalid,
       "milestones[0].date: year 1969 outside the supported range 1970..2199"},
      {"FinalDeadlineThatDoesNotExist",
       [](Request& r) { SetDate(r.mutable_final_deadline(), 2026, 2, 30); }, kInvalid,
       "final_deadline: 2026-02-30 is not a date"},
      {"FinalDeadlineMissing", [](Request& r) { r.clear_final_deadline(); }, kInvalid,
       "final_deadline: year 0 outside the supported range 1970..2199"},
      {"FinalDeadlineAfterTheSupportedYears",
       [](Request& r) { SetDate(r.mutable_final_deadline(), 2200, 1, 1); }, kInvalid,
       "final_deadline: year 2200 outside the supported range 1970..2199"},
      {"ReceiverNamingNobody", [](Request& r) { r.mutable_receivers(0)->clear_who(); }, kInvalid,
       "receivers[0]: names no person, department or sign group"},
      {"SignRuleUnknown",
       [](Request& r) {
         v1::SignGroup* g = r.mutable_receivers(1)->mutable_sign_group();
         g->add_person_ids("p-zhao");
         g->set_rule(static_cast<v1::SignRule>(7));
       },
       kInvalid, "receivers[1].sign_group.rule: unknown or unspecified enum value 7"},
      {"PriorityUnknown", [](Request& r) { r.set_priority(static_cast<v1::Priority>(42)); },
       kInvalid, "priority: unknown or unspecified enum value 42"},
      {"ComplexityUnknown", [](Request& r) { r.set_complexity(static_cast<v1::Complexity>(9)); },
       kInvalid, "complexity: unknown or unspecified enum value 9"},
      {"FinalReviewerUnknown",
       [](Request& r) { r.set_final_reviewer(static_cast<v1::FinalReviewer>(5)); }, kInvalid,
       "final_reviewer: unknown or unspecified enum value 5"},
      // The request itself.
      {"IdEmpty", [](Request& r) { r.clear_id(); }, kInvalid, "id: required id is empty"},
      {"IdWithSpace", [](Request& r) { r.set_id("REQ 1"); }, kInvalid,
       "id: id contains a space or control character"},
      {"IdTooLong", [](Request& r) { r.set_id(std::string(kMaxIdBytes + 1, 'r')); }, kTooMuch,
       "id: id of 129 bytes exceeds the limit of 128"},
      {"IdNotUtf8", [](Request& r) { r.set_id("REQ-\xff"); }, kInvalid,
       "id: id is not valid UTF-8"},
      {"VersionZero", [](Request& r) { r.set_version(0); }, kInvalid,
       "version: must be >= 1, got 0"},
      {"TopicEmpty", [](Request& r) { r.clear_topic(); }, kInvalid,
       "topic: required text is empty"},
      {"TopicTooLong", [](Request& r) { r.set_topic(std::string(kMaxShortTextBytes + 1, 't')); },
       kTooMuch, "topic: text of 513 bytes exceeds the limit of 512"},
      {"TopicNotUtf8", [](Request& r) { r.set_topic("Q3\xc3\x28"); }, kInvalid,
       "topic: text is not valid UTF-8"},
      {"BackgroundTooLong",
       [](Request& r) { r.set_background(std::string(kMaxLongTextBytes + 1, 'b')); }, kTooMuch,
       "background: text of 65537 bytes exceeds the limit of 65536"},
      {"BackgroundNotUtf8", [](Request& r) { r.set_background("\xff"); }, kInvalid,
       "background: text is not valid UTF-8"},
      {"GoalEmpty", [](Request& r) { r.clear_goal(); }, kInvalid, "goal: required text is empty"},
      {"GoalTooLong", [](Request& r) { r.set_goal(std::string(kMaxLongTextBytes + 1, 'g')); },
       kTooMuch, "goal: text of 65537 bytes exceeds the limit of 65536"},
      {"GoalNotUtf8", [](Request& r) { r.set_goal("ok\xC3\x28"); }, kInvalid,
       "goal: text is not valid UTF-8"},
      {"InitiatorMissing", [](Request& r) { r.clear_initiator_id(); }, kInvalid,
       "initiator_id: required id is empty"},
      {"OwnerWithSpace", [](Request& r) { r.set_owner_id("p li"); }, kInvalid,
       "owner_id: id contains a space or control character"},
      {"ResponseDaysNegative", [](Request& r) { r.set_response_due_working_days(-1); }, kInvalid,
       "response_due_working_days: -1 outside 0..250"},
      {"PlanDaysBeyondTheLimit",
       [](Request& r) { r.set_plan_due_working_days(kMaxTimeRuleWorkingDays + 1); }, kInvalid,
       "plan_due_working_days: 251 outside 0..250"},
      // Resources (所需资源).
      {"TooManyResources", [](Request& r) { GrowPast(r.mutable_resources(), kMaxResources); },
       kTooMuch, "resources: 257 entries exceed the limit of 256"},
      {"ResourceIdEmpty", [](Request& r) { r.mutable_resources(0)->clear_id(); }, kInvalid,
       "resources[0].id: required id is empty"},
      {"ResourceIdRepeated", [](Request& r) { r.mutable_resources(1)->set_id("planners"); },
       kInvalid, "resources[1].id: duplicate id \"planners\""},
      {"ResourceDescriptionEmpty", [](Request& r) { r.mutable_resources(0)->clear_description(); },
       kInvalid, "resources[0].description: required text is empty"},
      {"ResourceUnitNotUtf8", [](Request& r) { r.mutable_resources(0)->set_unit("\xc3"); },
       kInvalid, "resources[0].unit: text is not valid UTF-8"},
      {"ResourceQuantityNegative", [](Request& r) { r.mutable_resources(0)->set_quantity(-3); },
       kInvalid, "resources[0].quantity: must be >= 0"},
      {"ProviderPersonEmpty",
       [](Request& r) { r.mutable_resources(0)->mutable_provider()->set_person_id(""); }, kInvalid,
       "resources[0].provider: required id is empty"},
      {"ProviderDepartmentWithSpace",
       [](Request& r) { r.mutable_resources(1)->mutable_provider()->set_department_id("d x"); },
       kInvalid, "resources[1].provider: id contains a space or control character"},
      // Milestones (期望时间节点).
      {"TooManyMilestones", [](Request& r) { GrowPast(r.mutable_milestones(), kMaxMilestones); },
       kTooMuch, "milestones: 257 entries exceed the limit of 256"},
      {"MilestoneIdEmpty", [](Request& r) { r.mutable_milestones(0)->clear_id(); }, kInvalid,
       "milestones[0].id: required id is empty"},
      {"MilestoneIdRepeated", [](Request& r) { r.mutable_milestones(1)->set_id("first-draft"); },
       kInvalid, "milestones[1].id: duplicate id \"first-draft\""},
      {"MilestoneNameEmpty", [](Request& r) { r.mutable_milestones(1)->clear_name(); }, kInvalid,
       "milestones[1].name: required text is empty"},
      {"MilestoneAfterTheFinalDeadline",
       [](Request& r) { SetDate(r.mutable_milestones(0)->mutable_date(), 2026, 9, 21); }, kInvalid,
       "milestones[0].date: 2026-09-21 is after the final deadline 2026-09-20"},
      // Receivers.
      {"NoReceivers", [](Request& r) { r.clear_receivers(); }, kInvalid,
       "receivers: a request needs at least one receiver"},
      {"TooManyReceivers", [](Request& r) { GrowPast(r.mutable_receivers(), kMaxReceivers); },
       kTooMuch, "receivers: 65 entries exceed the limit of 64"},
      {"ReceiverIdEmpty", [](Request& r) { r.mutable_receivers(0)->clear_id(); }, kInvalid,
       "receivers[0].id: required id is empty"},
      {"ReceiverIdRepeated", [](Request& r) { r.mutable_receivers(1)->set_id("market"); }, kInvalid,
       "receivers[1].id: duplicate id \"market\""},
      {"PersonReceiverEmpty", [](Request& r) { r.mutable_receivers(0)->set_person_id(""); },
       kInvalid, "receivers[0].party_id: required id is empty"},
      {"DepartmentReceiverWithControlCharacter",
       [](Request& r) { r.mutable_receivers(1)->set_department_id("d\n"); }, kInvalid,
       "receivers[1].party_id: id contains a space or control character"},
      {"SignGroupNamingNobody", [](Request& r) { r.mutable_receivers(0)->mutable_sign_group(); },
       kInvalid, "receivers[0].sign_group: names no person"},
      {"SignGroupTooLarge",
       [](Request& r) {
         v1::SignGroup* g = r.mutable_receivers(0)->mutable_sign_group();
         for (size_t i = 0; i <= kMaxSigners; ++i) g->add_person_ids("p-" + std::to_string(i));
       },
       kTooMuch, "receivers[0].sign_group: 65 entries exceed the limit of 64"},
      {"SignerWithSpace",
       [](Request& r) {
         v1::SignGroup* g = r.mutable_receivers(0)->mutable_sign_group();
         g->add_person_ids("p-li");
         g->add_person_ids("p x");
       },
       kInvalid, "receivers[0].sign_group.person_ids[1]: id contains a space or control character"},
      {"SignerRepeated",
       [](Request& r) {
         v1::SignGroup* g = r.mutable_receivers(1)->mutable_sign_group();
         for (const char* p : {"p-a", "p-b", "p-a"}) g->add_person_ids(p);
       },
       kInvalid, "receivers[1].sign_group.person_ids[2]: duplicate id \"p-a\""},
  };
}

class RefusesBrokenRequest : public ::testing::TestWithParam<Refusal> {};

TEST_P(RefusesBrokenRequest, WithItsCodeNamingTheField) {
  Request r = SeedRequestProto();
  GetParam().breaks(r);
  const absl::Status s = ValidateRequest(r);
  EXPECT_EQ(s.code(), GetParam().code) << s;
  EXPECT_EQ(s.message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(RequestChecks, RefusesBrokenRequest, ::testing::ValuesIn(Refusals()),
                         [](const ::testing::TestParamInfo<Refusal>& info) {
                           return std::string(info.param.name);
                         });

// A request with several faults is refused for the first in check order:
// enum values and dates before the texts, the texts in field order.
TEST(RequestChecks, ReportsTheFirstFaultInCheckOrder) {
  Request r = SeedRequestProto();
  r.clear_topic();
  r.clear_goal();
  EXPECT_EQ(ValidateRequest(r).message(), "topic: required text is empty");
  r.set_priority(static_cast<v1::Priority>(42));
  EXPECT_EQ(ValidateRequest(r).message(), "priority: unknown or unspecified enum value 42");
}

// Beyond the first 16 ids of a list the check switches from a scan to a
// hash set: a duplicate there is refused the same way, naming the later entry.
TEST(RequestChecks, RefusesDuplicateResourceIdsInLongLists) {
  for (int duplicate_at : {5, 16, 17, 40}) {
    Request r = SeedRequestProto();
    const v1::ResourceNeed model = r.resources(0);
    r.clear_resources();
    for (int i = 0; i < 48; ++i) {
      v1::ResourceNeed* need = r.add_resources();
      *need = model;
      need->set_id("res-" + std::to_string(i));
    }
    ASSERT_TRUE(ValidateRequest(r).ok()) << ValidateRequest(r);
    r.mutable_resources(duplicate_at)->set_id(r.resources(duplicate_at - 3).id());
    const absl::Status s = ValidateRequest(r);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << duplicate_at;
    EXPECT_EQ(s.message(), "resources[" + std::to_string(duplicate_at) +
                               "].id: duplicate id \"res-" + std::to_string(duplicate_at - 3) +
                               "\"");
  }
}

// Limits are inclusive: exactly the maximum is accepted.
TEST(RequestChecks, AcceptsListsAndTextsAtTheirLimits) {
  Request r = SeedRequestProto();
  r.set_topic(std::string(kMaxShortTextBytes, 't'));
  r.set_id(std::string(kMaxIdBytes, 'r'));
  while (r.receivers_size() < static_cast<int>(kMaxReceivers)) {
    v1::Receiver* x = r.add_receivers();
    x->set_id("r-" + std::to_string(r.receivers_size()));
    x->set_person_id("p-" + std::to_string(r.receivers_size()));
  }
  EXPECT_TRUE(ValidateRequest(r).ok()) << ValidateRequest(r);
}

}  // namespace
}  // namespace collabflow
