// Every request's summary (engine/state/summary_index.h): ended requests'
// summaries are kept packed and come back byte for byte — read, changed,
// and serialized as protobuf serializes the same map of messages; what the
// packed form cannot give back exactly (a topic or due items left on an
// ended request, a hash longer than 32 bytes, numbers past 32 bits, unknown
// fields) stays a message.
#include "engine/state/summary_index.h"

#include <cstdint>
#include <random>
#include <string>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "wire/proto_io.h"

namespace collabflow::internal {
namespace {

v1::RequestSummary RandomSummary(std::mt19937_64& rng) {
  v1::RequestSummary s;
  const bool ended = rng() % 3 != 0;
  s.set_state(ended ? (rng() % 2 == 0 ? v1::REQUEST_STATE_ARCHIVED : v1::REQUEST_STATE_CANCELLED)
                    : v1::REQUEST_STATE_IN_PROGRESS);
  if (!ended || rng() % 10 == 0) s.set_topic(absl::StrCat("协作 ", rng() % 100));
  if (!ended && rng() % 2 == 0) s.add_open_dues()->set_key("report/T1");
  if (rng() % 20 != 0) {
    v1::StreamHead* h = s.mutable_head();
    h->set_records(rng() % 50);
    h->set_events(rng() % 80);
    h->set_notifications(rng() % 30);
    h->set_position(rng() % 2 == 0 ? rng() : rng() % 1000);
    const size_t hash = rng() % 10 == 0 ? 40 : (rng() % 10 == 0 ? 0 : 32);
    h->set_hash(std::string(hash, static_cast<char>(rng())));
    if (rng() % 15 == 0) h->set_events(uint64_t{1} << 33);
  }
  return s;
}

TEST(SummaryIndexTest, PackedOrNotItReadsAndSerializesAsTheMapOfMessages) {
  std::mt19937_64 rng(42);
  SummaryIndex index;
  v1::EngineState expected;
  for (int i = 0; i < 2000; ++i) {
    const std::string id = absl::StrCat("R", rng() % 1500);
    v1::RequestSummary s = RandomSummary(rng);
    *index.Mutable(id) = s;
    index.Pack(id);
    (*expected.mutable_summaries())[id] = s;
  }
  EXPECT_GT(index.packed(), 300u);
  EXPECT_LT(index.packed(), index.size());
  ASSERT_EQ(index.size(), expected.summaries().size());
  for (const auto& [id, s] : expected.summaries()) {
    ASSERT_TRUE(index.Contains(id));
    ASSERT_EQ(SerializeBinary(*index.Find(id)), SerializeBinary(s)) << id;
  }
  EXPECT_EQ(index.Find("R-none"), nullptr);
  std::string bytes;
  index.AppendSerialized(&bytes);
  EXPECT_EQ(bytes, SerializeBinary(expected));

  // Changed through Mutable, a packed summary is unpacked first.
  for (const auto& [id, s] : expected.summaries()) {
    v1::RequestSummary* changed = index.Mutable(id);
    ASSERT_EQ(SerializeBinary(*changed), SerializeBinary(s));
    changed->mutable_head()->set_records(changed->head().records() + 1);
    index.Pack(id);
  }
  for (auto& [id, s] : *expected.mutable_summaries()) {
    s.mutable_head()->set_records(s.head().records() + 1);
  }
  bytes.clear();
  index.AppendSerialized(&bytes);
  EXPECT_EQ(bytes, SerializeBinary(expected));
}

TEST(SummaryIndexTest, OnlyWhatComesBackExactlyIsPacked) {
  SummaryIndex index;
  v1::RequestSummary ended;
  ended.set_state(v1::REQUEST_STATE_ARCHIVED);
  ended.mutable_head()->set_hash(std::string(32, 'h'));
  ended.mutable_head()->set_records(23);
  *index.Mutable("ended") = ended;
  EXPECT_TRUE(index.Pack("ended"));

  v1::RequestSummary open = ended;
  open.set_state(v1::REQUEST_STATE_IN_PROGRESS);
  *index.Mutable("open") = open;
  EXPECT_FALSE(index.Pack("open"));

  v1::RequestSummary with_topic = ended;
  with_topic.set_topic("left over");
  *index.Mutable("topic") = with_topic;
  EXPECT_FALSE(index.Pack("topic"));

  v1::RequestSummary long_hash = ended;
  long_hash.mutable_head()->set_hash(std::string(33, 'h'));
  *index.Mutable("hash") = long_hash;
  EXPECT_FALSE(index.Pack("hash"));

  v1::RequestSummary no_head;
  no_head.set_state(v1::REQUEST_STATE_CANCELLED);
  *index.Mutable("headless") = no_head;
  EXPECT_FALSE(index.Pack("headless"));

  v1::RequestSummary unknown = ended;
  unknown.GetReflection()->MutableUnknownFields(&unknown)->AddVarint(99, 1);
  *index.Mutable("unknown") = unknown;
  EXPECT_FALSE(index.Pack("unknown"));

  EXPECT_EQ(index.packed(), 1u);
  EXPECT_EQ(index.FindMessage("ended"), nullptr);
  EXPECT_NE(index.FindMessage("open"), nullptr);
  EXPECT_EQ(SerializeBinary(*index.Find("ended")), SerializeBinary(ended));
  EXPECT_EQ(SerializeBinary(*index.Find("unknown")), SerializeBinary(unknown));
}

}  // namespace
}  // namespace collabflow::internal
