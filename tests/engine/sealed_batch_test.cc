// The one-pass journal record writer: its bytes parse as the EventBatch of
// the sealed events, and every hash is the chain's definition.
#include "engine/journal/sealed_batch.h"

#include <set>
#include <string>

#include "base/sha256.h"
#include "engine/journal/hash_chain.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/util/message_differencer.h"
#include "gtest/gtest.h"
#include "wire/proto_io.h"

namespace collabflow {
namespace {

std::vector<v1::Event> SampleEvents() {
  std::vector<v1::Event> events(3);
  events[0].set_version(7);
  events[0].set_request_id("R-1");
  events[0].set_actor_id("u-lin");
  events[0].mutable_response_recorded()->mutable_response()->set_comment(
      "9-20 可以,数据需提前两天");
  events[1].set_version(8);
  events[1].set_request_id("R-1");
  events[1].mutable_request_confirmed();
  v1::Notification* n = events[1].add_notifications();
  n->set_id(3);
  n->set_subject(std::string(300, 'x'));  // a multi-byte length prefix
  events[2].set_version(9);
  events[2].set_request_id("R-1");
  events[2].mutable_request_cancelled()->set_reason("预算取消");
  return events;
}

TEST(SealedBatchTest, WireParsesAsTheBatchOfTheSealedEvents) {
  std::vector<v1::Event> events = SampleEvents();
  internal::SealedBatchWriter writer(internal::GenesisHash());
  for (v1::Event& e : events) writer.Seal(&e);
  v1::EventBatch parsed;
  ASSERT_TRUE(parsed.ParseFromString(writer.wire()));
  ASSERT_EQ(parsed.events_size(), 3);
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(google::protobuf::util::MessageDifferencer::Equals(parsed.events(i), events[i]))
        << i;
  }
  EXPECT_EQ(writer.head(), events.back().hash());
}

TEST(SealedBatchTest, HashesFollowTheChainDefinition) {
  std::vector<v1::Event> events = SampleEvents();
  const std::string start(32, '\x5a');
  internal::SealedBatchWriter writer(start);
  std::string prev = start;
  for (v1::Event& e : events) {
    v1::Event bare = e;  // before sealing: no hash
    writer.Seal(&e);
    EXPECT_EQ(e.hash(), internal::Sha256Bytes(prev + internal::SerializeBinary(bare)));
    EXPECT_EQ(e.hash(), internal::ChainHash(prev, e));  // what verification recomputes
    prev = e.hash();
  }
  EXPECT_TRUE(internal::VerifyChain(events, prev, 9, start, 7).ok());
}

TEST(SealedBatchTest, ARecordIsReadBackWithoutParsing) {
  std::vector<v1::Event> events = SampleEvents();
  internal::SealedBatchWriter writer(internal::GenesisHash());
  for (v1::Event& e : events) writer.Seal(&e);
  std::vector<absl::string_view> entries;
  ASSERT_TRUE(internal::SplitBatch(writer.wire(), &entries));
  ASSERT_EQ(entries.size(), events.size());
  std::string prev = internal::GenesisHash();
  for (size_t i = 0; i < events.size(); ++i) {
    internal::SealedEvent read;
    ASSERT_TRUE(internal::ReadSealedEvent(entries[i], &read)) << i;
    EXPECT_EQ(read.version, events[i].version());
    EXPECT_EQ(read.request_id, events[i].request_id());
    EXPECT_EQ(read.payload, static_cast<uint32_t>(events[i].payload_case()));
    EXPECT_EQ(read.hash, events[i].hash());
    EXPECT_EQ(internal::Sha256Bytes(prev + std::string(read.hashed)), events[i].hash());
    prev = events[i].hash();
  }
  // Laid out otherwise (protobuf's own order puts the hash before the
  // version and the payload), an entry is parsed instead.
  internal::SealedEvent read;
  EXPECT_FALSE(internal::ReadSealedEvent(internal::SerializeBinary(events[0]), &read));
  EXPECT_FALSE(internal::ReadSealedEvent("", &read));
  EXPECT_FALSE(internal::SplitBatch("\x10\x01", &entries));  // not an events entry
}

// The engine hands the previous record's buffer back in: its bytes must not
// leak into the next record.
TEST(SealedBatchTest, AGivenBufferIsWrittenOverNotAppendedTo) {
  std::vector<v1::Event> fresh_events = SampleEvents();
  internal::SealedBatchWriter fresh(internal::GenesisHash());
  for (v1::Event& e : fresh_events) fresh.Seal(&e);
  std::vector<v1::Event> events = SampleEvents();
  std::string old(4096, '\x7f');
  internal::SealedBatchWriter reused(internal::GenesisHash(), std::move(old));
  for (v1::Event& e : events) reused.Seal(&e);
  EXPECT_EQ(reused.wire(), fresh.wire());
  EXPECT_EQ(reused.head(), fresh.head());
}

TEST(SealedBatchTest, NoWriterKeepsAnEmptyRecordAndTheGivenHead) {
  internal::SealedBatchWriter writer("head");
  EXPECT_EQ(writer.head(), "head");
  EXPECT_TRUE(writer.wire().empty());
}

// The writer hashes the bytes it serialized; verification re-serializes the
// parsed event. Both agree only while no message under Event has a map
// field (maps are the one non-deterministic part of protobuf's encoding).
void CollectMapFields(const google::protobuf::Descriptor* d, std::set<std::string>* seen,
                      std::vector<std::string>* maps) {
  if (!seen->insert(d->full_name()).second) return;
  for (int i = 0; i < d->field_count(); ++i) {
    const google::protobuf::FieldDescriptor* f = d->field(i);
    if (f->is_map()) maps->push_back(f->full_name());
    if (f->message_type() != nullptr) CollectMapFields(f->message_type(), seen, maps);
  }
}

TEST(SealedBatchTest, EventsHoldNoMapFields) {
  std::set<std::string> seen;
  std::vector<std::string> maps;
  CollectMapFields(v1::Event::descriptor(), &seen, &maps);
  EXPECT_TRUE(maps.empty()) << maps.front();
  EXPECT_GT(seen.size(), 20u);  // the walk reached the payload messages
}

}  // namespace
}  // namespace collabflow
