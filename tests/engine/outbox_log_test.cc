#include "engine/state/outbox_log.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "wire/proto_io.h"

namespace collabflow::internal {
namespace {

using google::protobuf::util::MessageDifferencer;

v1::Notification MakeNotification(uint64_t id, size_t body_bytes = 40) {
  v1::Notification n;
  n.set_id(id);
  n.set_kind(v1::NOTIFICATION_KIND_RESPONSE_RECORDED);
  n.set_request_id("R1");
  n.add_recipient_ids("p-li");
  n.add_recipient_ids("p-zhang");
  n.set_subject(absl::StrCat("接收方 sales 已答复(ACCEPT):", id));
  n.set_body(std::string(body_bytes, 'b'));
  if (id % 2 == 0) n.set_due_key("plan");
  return n;
}

// A state with something in every field but the outbox.
v1::EngineState MakeState(bool with_head) {
  v1::EngineState s;
  s.mutable_directory()->add_people()->set_id("p-li");
  v1::RequestRecord& r = (*s.mutable_requests())["R1"];
  r.mutable_request()->set_id("R1");
  r.mutable_request()->set_topic("Q3新品上市营销方案执行");
  (*s.mutable_requests())["R0"].mutable_request()->set_id("R0");
  s.set_last_sequence(42);
  s.set_last_notification_id(9);
  s.set_acknowledged_notification_id(3);
  if (with_head) s.set_head_hash(std::string(32, '\x7f'));
  return s;
}

TEST(OutboxLogTest, StateBytesEqualProtobufsWithTheOutboxInTheState) {
  for (bool with_head : {true, false}) {
    for (int count : {0, 1, 5, 700}) {
      OutboxLog log;
      v1::EngineState full = MakeState(with_head);
      for (int i = 1; i <= count; ++i) {
        const v1::Notification n = MakeNotification(static_cast<uint64_t>(i));
        log.Append(n);
        *full.add_outbox() = n;
      }
      const v1::EngineState bare = MakeState(with_head);
      EXPECT_EQ(log.SerializeWithOutbox(bare), SerializeBinary(full))
          << "head " << with_head << ", " << count << " notifications";
    }
  }
}

TEST(OutboxLogTest, StateWithUnknownFieldsStillGetsProtobufsBytes) {
  // A newer writer's snapshot: field 99 unknown here, written after every
  // known field, so the outbox cannot go just before head_hash's bytes.
  std::string bytes = SerializeBinary(MakeState(true));
  bytes += std::string("\x9a\x06\x03xyz", 6);  // field 99, length 3
  v1::EngineState bare;
  ASSERT_TRUE(ParseBinary(bytes, &bare).ok());
  ASSERT_FALSE(bare.GetReflection()->GetUnknownFields(bare).empty());
  OutboxLog log;
  v1::EngineState full = bare;
  for (uint64_t id : {4, 5, 6}) {
    log.Append(MakeNotification(id));
    *full.add_outbox() = MakeNotification(id);
  }
  EXPECT_EQ(log.SerializeWithOutbox(bare), SerializeBinary(full));
}

TEST(OutboxLogTest, ReadsAfterAnIdUpToAMaximumAndAcknowledgementsDropAPrefix) {
  OutboxLog log;
  std::vector<v1::Notification> all;
  // Bodies of 1 KiB: the notifications fill several blocks.
  for (uint64_t id = 1; id <= 300; ++id) {
    all.push_back(MakeNotification(id, 1024));
    log.Append(all.back());
  }
  EXPECT_EQ(log.size(), 300u);
  std::vector<v1::Notification> read = log.Read(0, 1000);
  ASSERT_EQ(read.size(), 300u);
  for (size_t i = 0; i < read.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(read[i], all[i])) << i;
  }
  read = log.Read(100, 3);
  ASSERT_EQ(read.size(), 3u);
  EXPECT_EQ(read[0].id(), 101u);
  EXPECT_EQ(read[2].id(), 103u);
  EXPECT_TRUE(log.Read(300, 10).empty());

  log.AcknowledgeUpTo(250);
  EXPECT_EQ(log.size(), 50u);
  read = log.Read(0, 1000);
  ASSERT_EQ(read.size(), 50u);
  EXPECT_EQ(read.front().id(), 251u);
  EXPECT_TRUE(MessageDifferencer::Equals(read.back(), all.back()));
  log.AcknowledgeUpTo(100);  // less than before: nothing
  EXPECT_EQ(log.size(), 50u);
  log.AcknowledgeUpTo(300);
  EXPECT_EQ(log.size(), 0u);
  // Appending goes on after everything was acknowledged.
  log.Append(MakeNotification(301));
  read = log.Read(0, 10);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].id(), 301u);
}

TEST(OutboxLogTest, ANotificationLargerThanABlockGetsItsOwn) {
  OutboxLog log;
  log.Append(MakeNotification(1));
  const v1::Notification big = MakeNotification(2, 200 << 10);
  log.Append(big);
  log.Append(MakeNotification(3));
  const std::vector<v1::Notification> read = log.Read(1, 10);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_TRUE(MessageDifferencer::Equals(read[0], big));
  EXPECT_EQ(read[1].id(), 3u);
}

TEST(OutboxLogTest, AnEmptyNotificationTakesNoBytesAndStillCounts) {
  // All fields at their defaults: zero bytes, first in an empty log.
  OutboxLog log;
  log.Append(v1::Notification());
  log.Append(MakeNotification(1));
  EXPECT_EQ(log.size(), 2u);
  v1::EngineState full = MakeState(true);
  full.add_outbox();
  *full.add_outbox() = MakeNotification(1);
  EXPECT_EQ(log.SerializeWithOutbox(MakeState(true)), SerializeBinary(full));
}

TEST(OutboxLogTest, TakesAStatesOutboxOnlyWhenItsIdsAscend) {
  OutboxLog log;
  log.Append(MakeNotification(1));
  v1::EngineState state;
  *state.add_outbox() = MakeNotification(3);
  *state.add_outbox() = MakeNotification(2);  // out of order
  const absl::Status refused = log.TakeFrom(state.mutable_outbox());
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(state.outbox_size(), 2);  // nothing moved
  EXPECT_EQ(log.size(), 1u);

  state.mutable_outbox(1)->set_id(4);
  ASSERT_TRUE(log.TakeFrom(state.mutable_outbox()).ok());
  EXPECT_EQ(state.outbox_size(), 0);
  const std::vector<v1::Notification> read = log.Read(0, 10);
  ASSERT_EQ(read.size(), 3u);
  EXPECT_EQ(read[1].id(), 3u);
  EXPECT_EQ(read[2].id(), 4u);

  v1::EngineState stale;
  *stale.add_outbox() = MakeNotification(4);  // not after the last one taken
  EXPECT_EQ(log.TakeFrom(stale.mutable_outbox()).code(), absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace collabflow::internal
