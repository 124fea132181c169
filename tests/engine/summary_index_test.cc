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
#include <vector>

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

// PutSerialized reads a packed summary straight from its bytes: whatever
// the bytes (as protobuf writes them, or fields out of order, zeros written
// out, long varints, unknown or repeated fields, a hash too long), the index
// ends as Put of the parsed message leaves it; bytes that do not parse
// change nothing.
TEST(SummaryIndexTest, PutSerializedIsPutOfTheParsedMessage) {
  using namespace std::string_literals;  // NOLINT: bytes with zeros
  std::mt19937_64 rng(7);
  auto varint = [](uint64_t v, std::string* out) {
    while (v >= 0x80) {
      out->push_back(static_cast<char>(v | 0x80));
      v >>= 7;
    }
    out->push_back(static_cast<char>(v));
  };
  std::vector<std::string> inputs;
  for (int i = 0; i < 3000; ++i) inputs.push_back(SerializeBinary(RandomSummary(rng)));
  // Hand-written heads of an archived request (state 5 here is whatever
  // REQUEST_STATE_ARCHIVED is: the state field is written the same way).
  const std::string state = std::string("\x08") + static_cast<char>(v1::REQUEST_STATE_ARCHIVED);
  auto with_head = [&](const std::string& head, const std::string& before = "") {
    std::string out = before.empty() ? state : before;
    out.push_back('\x22');
    varint(head.size(), &out);
    return out + head;
  };
  const std::string hash = std::string("\x1a\x20") + std::string(32, 'h');
  inputs.push_back(with_head("\x08\x17\x10\x2e"s + hash + "\x20\x03\x28\x90\x4e"));
  inputs.push_back(with_head("\x28\x90\x4e\x08\x17"s + hash));                  // out of order
  inputs.push_back(with_head("\x08\x00\x10\x2e"s + hash));                      // a zero written
  inputs.push_back(with_head("\x08\x97\x80\x00"s + hash));                      // a long varint
  inputs.push_back(with_head("\x08\x17\x08\x18"s + hash));                      // a field twice
  inputs.push_back(with_head("\x08\x17"s + hash + "\x30\x01"));                 // an unknown field
  inputs.push_back(with_head(std::string("\x1a\x21") + std::string(33, 'h')));  // hash too long
  inputs.push_back(with_head("\x08\x17"s, state + state));                      // state twice
  inputs.push_back(with_head("\x08\x17"s) + "\x22\x02\x10\x01"s);               // a second head
  inputs.push_back(with_head("\x08\x17"s, "\x08\x01"));                         // not ended
  inputs.push_back(with_head("\x08\x17"s, "\x08\x00"s));                        // state 0 written
  inputs.push_back(with_head("\x08\x80\x80\x80\x80\x10"s));                     // past 32 bits
  inputs.push_back(with_head(""s));
  inputs.push_back(state);  // no head

  SummaryIndex read;
  SummaryIndex put;
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string id = absl::StrCat("R", i % 2500);
    v1::RequestSummary parsed;
    ASSERT_TRUE(parsed.ParseFromString(inputs[i])) << i;
    ASSERT_TRUE(read.PutSerialized(id, inputs[i]).ok()) << i;
    put.Put(id, &parsed);
    ASSERT_EQ(read.packed(), put.packed()) << i;
  }
  EXPECT_GT(read.packed(), 1000u);
  std::string read_bytes;
  std::string put_bytes;
  read.AppendSerialized(&read_bytes);
  put.AppendSerialized(&put_bytes);
  EXPECT_EQ(read_bytes, put_bytes);

  for (const std::string& bad : {std::string("\x22\x05\x08"), std::string("\x08"),
                                 with_head("\x1a\x40"s + std::string(3, 'h'))}) {
    const absl::Status s = read.PutSerialized("R0", bad);
    EXPECT_EQ(s.code(), absl::StatusCode::kInvalidArgument) << s;
  }
  read_bytes.clear();
  read.AppendSerialized(&read_bytes);
  EXPECT_EQ(read_bytes, put_bytes);
}

}  // namespace
}  // namespace collabflow::internal
