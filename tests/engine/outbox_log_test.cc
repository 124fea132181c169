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

// The notification as the outbox holds it: with its record's position.
v1::Notification At(v1::Notification n, uint64_t position) {
  n.set_position(position);
  return n;
}

// A state with something in every field but the outbox.
v1::EngineState MakeState() {
  v1::EngineState s;
  s.mutable_directory()->add_people()->set_id("p-li");
  v1::RequestRecord& r = (*s.mutable_requests())["R1"];
  r.mutable_request()->set_id("R1");
  r.mutable_request()->set_topic("Q3新品上市营销方案执行");
  (*s.mutable_requests())["R0"].mutable_request()->set_id("R0");
  v1::StreamHead& head = (*s.mutable_streams())["request/R1"];
  head.set_records(3);
  head.set_hash(std::string(32, '\x7f'));
  s.set_last_position(42);
  s.set_acknowledged_position(3);
  return s;
}

TEST(OutboxLogTest, StateBytesEqualProtobufsWithTheOutboxInTheState) {
  for (int count : {0, 1, 5, 700}) {
    OutboxLog log;
    v1::EngineState full = MakeState();
    for (int i = 1; i <= count; ++i) {
      const v1::Notification n = MakeNotification(static_cast<uint64_t>(i));
      const uint64_t position = 100 + static_cast<uint64_t>(i) / 3;  // some records hold three
      log.Append(n, position);
      *full.add_undelivered() = At(n, position);
    }
    EXPECT_EQ(log.SerializeWithOutbox(MakeState()), SerializeBinary(full))
        << count << " notifications";
  }
}

TEST(OutboxLogTest, StateWithUnknownFieldsStillGetsProtobufsBytes) {
  // A newer writer's snapshot: field 99 unknown here, written after every
  // known field, so the outbox cannot simply go last.
  std::string bytes = SerializeBinary(MakeState());
  bytes += std::string("\x9a\x06\x03xyz", 6);  // field 99, length 3
  v1::EngineState bare;
  ASSERT_TRUE(ParseBinary(bytes, &bare).ok());
  ASSERT_FALSE(bare.GetReflection()->GetUnknownFields(bare).empty());
  OutboxLog log;
  v1::EngineState full = bare;
  for (uint64_t id : {4, 5, 6}) {
    log.Append(MakeNotification(id), id);
    *full.add_undelivered() = At(MakeNotification(id), id);
  }
  EXPECT_EQ(log.SerializeWithOutbox(bare), SerializeBinary(full));
}

TEST(OutboxLogTest, FrozenBytesAreTheStateAsOfTheFreezeWhateverFollows) {
  // Bodies of 1 KiB fill several blocks; the first ones acknowledged before
  // the freeze (its first block partly), everything after it.
  OutboxLog log;
  v1::EngineState full = MakeState();
  for (uint64_t id = 1; id <= 300; ++id) {
    log.Append(MakeNotification(id, 1024), id);
    if (id > 70) *full.add_undelivered() = At(MakeNotification(id, 1024), id);
  }
  log.AcknowledgeUpTo(70);
  OutboxLog::Frozen frozen = log.Freeze(MakeState());
  for (uint64_t id = 301; id <= 600; ++id) log.Append(MakeNotification(id, 1024), id);
  log.AcknowledgeUpTo(600);
  EXPECT_EQ(log.size(), 0u);
  EXPECT_EQ(std::move(frozen).Join(), SerializeBinary(full));

  // An empty outbox: the state's bytes alone.
  EXPECT_EQ(log.Freeze(MakeState()).Join(), SerializeBinary(MakeState()));
}

TEST(OutboxLogTest, ReadsAfterAPositionUpToAMaximumAndAcknowledgementsDropAPrefix) {
  OutboxLog log;
  std::vector<v1::Notification> all;
  // Bodies of 1 KiB: the notifications fill several blocks.
  for (uint64_t id = 1; id <= 300; ++id) {
    all.push_back(At(MakeNotification(id, 1024), id));
    log.Append(MakeNotification(id, 1024), id);
  }
  EXPECT_EQ(log.size(), 300u);
  std::vector<v1::Notification> read = log.Read(0, 1000);
  ASSERT_EQ(read.size(), 300u);
  for (size_t i = 0; i < read.size(); ++i) {
    EXPECT_TRUE(MessageDifferencer::Equals(read[i], all[i])) << i;
  }
  read = log.Read(100, 3);
  ASSERT_EQ(read.size(), 3u);
  EXPECT_EQ(read[0].position(), 101u);
  EXPECT_EQ(read[2].position(), 103u);
  EXPECT_TRUE(log.Read(300, 10).empty());

  log.AcknowledgeUpTo(250);
  EXPECT_EQ(log.size(), 50u);
  read = log.Read(0, 1000);
  ASSERT_EQ(read.size(), 50u);
  EXPECT_EQ(read.front().position(), 251u);
  EXPECT_TRUE(MessageDifferencer::Equals(read.back(), all.back()));
  log.AcknowledgeUpTo(100);  // less than before: nothing
  EXPECT_EQ(log.size(), 50u);
  log.AcknowledgeUpTo(300);
  EXPECT_EQ(log.size(), 0u);
  // Appending goes on after everything was acknowledged.
  log.Append(MakeNotification(301), 301);
  read = log.Read(0, 10);
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read[0].position(), 301u);
}

TEST(OutboxLogTest, APageHoldsWholeRecords) {
  OutboxLog log;
  // Records 5 (two notifications), 6 (three) and 9 (one).
  log.Append(MakeNotification(1), 5);
  log.Append(MakeNotification(2), 5);
  for (uint64_t id = 1; id <= 3; ++id) log.Append(MakeNotification(id), 6);
  log.Append(MakeNotification(4), 9);
  auto positions = [](const std::vector<v1::Notification>& page) {
    std::vector<uint64_t> out;
    for (const auto& n : page) out.push_back(n.position());
    return out;
  };
  EXPECT_EQ(positions(log.Read(0, 1)), (std::vector<uint64_t>{5, 5}));
  EXPECT_EQ(positions(log.Read(0, 3)), (std::vector<uint64_t>{5, 5, 6, 6, 6}));
  EXPECT_EQ(positions(log.Read(5, 1)), (std::vector<uint64_t>{6, 6, 6}));
  EXPECT_EQ(positions(log.Read(6, 100)), (std::vector<uint64_t>{9}));
  log.AcknowledgeUpTo(5);
  EXPECT_EQ(positions(log.Read(0, 0)), (std::vector<uint64_t>{6, 6, 6}));  // at least one record
}

TEST(OutboxLogTest, ANotificationLargerThanABlockGetsItsOwn) {
  OutboxLog log;
  log.Append(MakeNotification(1), 1);
  const v1::Notification big = MakeNotification(2, 200 << 10);
  log.Append(big, 2);
  log.Append(MakeNotification(3), 3);
  const std::vector<v1::Notification> read = log.Read(1, 2);
  ASSERT_EQ(read.size(), 2u);
  EXPECT_TRUE(MessageDifferencer::Equals(read[0], At(big, 2)));
  EXPECT_EQ(read[1].id(), 3u);
}

TEST(OutboxLogTest, AnEmptyNotificationStillCounts) {
  OutboxLog log;
  log.Append(v1::Notification(), 1);
  log.Append(MakeNotification(1), 2);
  EXPECT_EQ(log.size(), 2u);
  v1::EngineState full = MakeState();
  *full.add_undelivered() = At(v1::Notification(), 1);
  *full.add_undelivered() = At(MakeNotification(1), 2);
  EXPECT_EQ(log.SerializeWithOutbox(MakeState()), SerializeBinary(full));
}

TEST(OutboxLogTest, TakesAStatesOutboxOnlyWhenItsPositionsAscend) {
  OutboxLog log;
  log.Append(MakeNotification(1), 1);
  v1::EngineState state;
  *state.add_undelivered() = At(MakeNotification(3), 3);
  *state.add_undelivered() = At(MakeNotification(2), 2);  // out of order
  const absl::Status refused = log.TakeFrom(state.mutable_undelivered());
  EXPECT_EQ(refused.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(state.undelivered_size(), 2);  // nothing moved
  EXPECT_EQ(log.size(), 1u);

  state.mutable_undelivered(1)->set_position(4);
  ASSERT_TRUE(log.TakeFrom(state.mutable_undelivered()).ok());
  EXPECT_EQ(state.undelivered_size(), 0);
  const std::vector<v1::Notification> read = log.Read(0, 10);
  ASSERT_EQ(read.size(), 3u);
  EXPECT_EQ(read[1].position(), 3u);
  EXPECT_EQ(read[2].position(), 4u);

  v1::EngineState stale;
  *stale.add_undelivered() = At(MakeNotification(4), 3);  // before the last one taken
  EXPECT_EQ(log.TakeFrom(stale.mutable_undelivered()).code(), absl::StatusCode::kInvalidArgument);
  v1::EngineState unplaced;
  *unplaced.add_undelivered() = MakeNotification(5);  // no position
  EXPECT_EQ(log.TakeFrom(unplaced.mutable_undelivered()).code(),
            absl::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace collabflow::internal
