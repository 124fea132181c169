#include "collabflow/request.h"

#include <string>
#include <utility>
#include <vector>

#include "collabflow/limits.h"
#include "collabflow/request_codec.h"
#include "collabflow/v1/request.pb.h"
#include "gtest/gtest.h"
#include "request/request_proto.h"
#include "support/seed_request.h"

namespace collabflow {
namespace {

using testing::SeedRequest;

TEST(RequestTest, SeedRequestIsValid) { EXPECT_TRUE(ValidateRequest(SeedRequest()).ok()); }

TEST(RequestTest, ProtoRoundTripKeepsEveryField) {
  const CollaborationRequest r = SeedRequest();
  v1::CollaborationRequest m;
  internal::ToProto(r, &m);
  EXPECT_EQ(m.topic(), "Q3新品上市营销方案执行");
  EXPECT_EQ(m.milestones(1).date().day(), 20);
  EXPECT_EQ(m.receivers(1).department_id(), "d-sales");
  auto back = internal::FromProto(m);
  ASSERT_TRUE(back.ok()) << back.status();
  EXPECT_EQ(*back, r);
}

TEST(RequestTest, BytesAndJsonRoundTrip) {
  const CollaborationRequest r = SeedRequest();
  auto bytes = EncodeRequest(r);
  ASSERT_TRUE(bytes.ok()) << bytes.status();
  auto from_bytes = DecodeRequest(*bytes);
  ASSERT_TRUE(from_bytes.ok()) << from_bytes.status();
  EXPECT_EQ(*from_bytes, r);

  auto json = RequestToJson(r);
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_NE(json->find("Q3新品上市营销方案执行"), std::string::npos);
  auto from_json = RequestFromJson(*json);
  ASSERT_TRUE(from_json.ok()) << from_json.status();
  EXPECT_EQ(*from_json, r);
}

TEST(RequestTest, EncodingIsDeterministic) {
  EXPECT_EQ(*EncodeRequest(SeedRequest()), *EncodeRequest(SeedRequest()));
}

TEST(RequestTest, OwnerDefaultsToInitiator) {
  CollaborationRequest r = SeedRequest();
  EXPECT_EQ(r.EffectiveOwner(), "p-li");
  r.owner_id.clear();
  EXPECT_EQ(r.EffectiveOwner(), "p-zhang");
}

TEST(RequestTest, RejectsMissingTopic) {
  CollaborationRequest r = SeedRequest();
  r.topic.clear();
  absl::Status s = ValidateRequest(r);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("topic"), std::string::npos);
}

TEST(RequestTest, RejectsInvalidUtf8) {
  CollaborationRequest r = SeedRequest();
  r.goal = "ok\xC3\x28";
  absl::Status s = ValidateRequest(r);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("goal"), std::string::npos);
}

TEST(RequestTest, RejectsOverlongTopicWithResourceExhausted) {
  CollaborationRequest r = SeedRequest();
  r.topic = std::string(kMaxShortTextBytes + 1, 'x');
  EXPECT_EQ(ValidateRequest(r).code(), absl::StatusCode::kResourceExhausted);
}

TEST(RequestTest, RejectsDuplicateMilestoneIds) {
  CollaborationRequest r = SeedRequest();
  r.milestones[1].id = r.milestones[0].id;
  absl::Status s = ValidateRequest(r);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(s.message().find("milestones[1].id"), std::string::npos);
}

// Beyond the first 16 ids of a list the check switches from a scan to a
// hash set: a duplicate there is refused the same way, naming the later entry.
TEST(RequestTest, RejectsDuplicateResourceIdsInLongLists) {
  for (size_t duplicate_at : {size_t{5}, size_t{16}, size_t{17}, size_t{40}}) {
    CollaborationRequest r = SeedRequest();
    const ResourceNeed model = r.resources[0];
    r.resources.clear();
    for (size_t i = 0; i < 48; ++i) {
      ResourceNeed need = model;
      need.id = "res-" + std::to_string(i);
      r.resources.push_back(need);
    }
    ASSERT_TRUE(ValidateRequest(r).ok()) << ValidateRequest(r);
    r.resources[duplicate_at].id = r.resources[duplicate_at - 3].id;
    absl::Status s = ValidateRequest(r);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << duplicate_at;
    EXPECT_EQ(s.message(), "resources[" + std::to_string(duplicate_at) +
                               "].id: duplicate id \"res-" + std::to_string(duplicate_at - 3) +
                               "\"");
  }
}

TEST(RequestTest, RejectsRepeatedSignerNamingBothIndices) {
  CollaborationRequest r = SeedRequest();
  r.receivers[1].kind = Receiver::Kind::kSignGroup;
  r.receivers[1].signers = {"p-a", "p-b", "p-a"};
  absl::Status s = ValidateRequest(r);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "receivers[1].sign_group.person_ids[2]: duplicate id \"p-a\"");
}

TEST(RequestTest, ErrorNamesTheIndexedField) {
  CollaborationRequest r = SeedRequest();
  r.milestones[1].name.clear();
  absl::Status s = ValidateRequest(r);
  EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), "milestones[1].name: required text is empty");
}

TEST(RequestTest, RejectsMilestoneAfterFinalDeadline) {
  CollaborationRequest r = SeedRequest();
  r.milestones[0].date = absl::CivilDay(2026, 9, 21);
  EXPECT_EQ(ValidateRequest(r).code(), absl::StatusCode::kInvalidArgument);
}

TEST(RequestTest, RejectsRequestWithoutReceivers) {
  CollaborationRequest r = SeedRequest();
  r.receivers.clear();
  EXPECT_EQ(ValidateRequest(r).code(), absl::StatusCode::kInvalidArgument);
}

TEST(RequestTest, RejectsEmptySignGroup) {
  CollaborationRequest r = SeedRequest();
  r.receivers[0].kind = Receiver::Kind::kSignGroup;
  r.receivers[0].signers.clear();
  EXPECT_EQ(ValidateRequest(r).code(), absl::StatusCode::kInvalidArgument);
}

TEST(RequestTest, DecodeRejectsGarbageBytes) {
  auto r = DecodeRequest(std::string("\xff\xff\xff\xff", 4));
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(RequestTest, DecodeRejectsNonexistentDate) {
  v1::CollaborationRequest m;
  internal::ToProto(SeedRequest(), &m);
  m.mutable_final_deadline()->set_month(2);
  m.mutable_final_deadline()->set_day(30);
  auto r = internal::FromProto(m);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("final_deadline"), std::string::npos);
}

TEST(RequestTest, DecodeRejectsUnknownEnumValue) {
  v1::CollaborationRequest m;
  internal::ToProto(SeedRequest(), &m);
  m.set_priority(static_cast<v1::Priority>(42));
  EXPECT_EQ(internal::FromProto(m).status().code(), absl::StatusCode::kInvalidArgument);
}

// The engine checks a command's request message where it stands
// (internal::ValidateRequest on the message); the value type is checked by
// ValidateRequest. Both run the same checks through different views
// (src/request/request_checks.h): each broken request gets the same answer from both.
TEST(RequestTest, MessageAndValueChecksGiveTheSameAnswer) {
  const std::vector<std::pair<const char*, void (*)(CollaborationRequest&)>> breaks = {
      {"valid", [](CollaborationRequest&) {}},
      {"id", [](CollaborationRequest& r) { r.id = "bad id"; }},
      {"version", [](CollaborationRequest& r) { r.version = 0; }},
      {"topic", [](CollaborationRequest& r) { r.topic.clear(); }},
      {"background", [](CollaborationRequest& r) { r.background = "\xff"; }},
      {"goal", [](CollaborationRequest& r) { r.goal.assign(kMaxLongTextBytes + 1, 'g'); }},
      {"initiator", [](CollaborationRequest& r) { r.initiator_id.clear(); }},
      {"owner", [](CollaborationRequest& r) { r.owner_id = "p li"; }},
      {"deadline", [](CollaborationRequest& r) { r.final_deadline = absl::CivilDay(1800, 1, 1); }},
      {"response days", [](CollaborationRequest& r) { r.response_due_working_days = -1; }},
      {"plan days",
       [](CollaborationRequest& r) { r.plan_due_working_days = kMaxTimeRuleWorkingDays + 1; }},
      {"resource id", [](CollaborationRequest& r) { r.resources.back().id = r.resources[0].id; }},
      {"resource text", [](CollaborationRequest& r) { r.resources[0].description.clear(); }},
      {"resource unit", [](CollaborationRequest& r) { r.resources[0].unit = "\xc3"; }},
      {"quantity", [](CollaborationRequest& r) { r.resources[0].quantity = -3; }},
      {"provider", [](CollaborationRequest& r) { r.resources[0].provider = PartyRef::Person(""); }},
      {"provider department",
       [](CollaborationRequest& r) { r.resources[0].provider = PartyRef::Department("d x"); }},
      {"milestone id", [](CollaborationRequest& r) { r.milestones[1].id = r.milestones[0].id; }},
      {"milestone name", [](CollaborationRequest& r) { r.milestones[0].name.clear(); }},
      {"milestone late",
       [](CollaborationRequest& r) { r.milestones[0].date = r.final_deadline + 1; }},
      {"no receivers", [](CollaborationRequest& r) { r.receivers.clear(); }},
      {"receiver id", [](CollaborationRequest& r) { r.receivers[1].id = r.receivers[0].id; }},
      {"person receiver",
       [](CollaborationRequest& r) {
         r.receivers[0].kind = Receiver::Kind::kPerson;
         r.receivers[0].party_id = "";
       }},
      {"department receiver", [](CollaborationRequest& r) { r.receivers[1].party_id = "d\n"; }},
      {"empty sign group",
       [](CollaborationRequest& r) {
         r.receivers[0].kind = Receiver::Kind::kSignGroup;
         r.receivers[0].party_id.clear();
       }},
      {"repeated signer",
       [](CollaborationRequest& r) {
         r.receivers[0].kind = Receiver::Kind::kSignGroup;
         r.receivers[0].party_id.clear();
         r.receivers[0].signers = {"p-li", "p-wang", "p-li"};
       }},
      {"valid sign group",
       [](CollaborationRequest& r) {
         r.receivers[0].kind = Receiver::Kind::kSignGroup;
         r.receivers[0].party_id.clear();
         r.receivers[0].signers = {"p-li", "p-wang"};
         r.receivers[0].sign_rule = SignRule::kAny;
       }},
  };
  for (const auto& [name, brk] : breaks) {
    CollaborationRequest r = SeedRequest();
    brk(r);
    v1::CollaborationRequest m;
    internal::ToProto(r, &m);
    const absl::Status value = ValidateRequest(r);
    const absl::Status message = internal::ValidateRequest(m);
    EXPECT_EQ(value, message) << name;
    EXPECT_EQ(value.ok(), std::string(name).rfind("valid", 0) == 0) << name << ": " << value;
    if (value.ok()) {
      auto back = internal::FromProto(m);
      ASSERT_TRUE(back.ok()) << name << ": " << back.status();
      EXPECT_EQ(*back, r) << name;
    }
  }
}

TEST(RequestTest, JsonRejectsUnknownField) {
  auto r = RequestFromJson(R"({"topic":"x","no_such_field":1})");
  EXPECT_EQ(r.status().code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace collabflow
