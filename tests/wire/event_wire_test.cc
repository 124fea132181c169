// The generated event writer (src/wire/event_wire.h) against protobuf's
// own serializer: random events of every kind, each field type at its edges
// (zero, negative, empty, oneof members and `optional` fields set to their
// defaults), and the fallback for unknown fields.
#include "wire/event_wire.h"

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "collabflow/v1/event.pb.h"
#include "engine/journal/hash_chain.h"
#include "engine/journal/sealed_batch.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/reflection.h"
#include "gtest/gtest.h"

namespace collabflow::internal {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

class RandomFiller {
 public:
  explicit RandomFiller(uint32_t seed) : rng_(seed) {}

  void Fill(Message* m, int depth) {
    const google::protobuf::Descriptor* d = m->GetDescriptor();
    for (int i = 0; i < d->oneof_decl_count(); ++i) {
      const google::protobuf::OneofDescriptor* o = d->oneof_decl(i);
      if (o->is_synthetic()) continue;  // a proto3 `optional`: handled as a field
      const int pick = Below(o->field_count() + 1);
      if (pick < o->field_count()) SetOne(m, o->field(pick), depth);
    }
    for (int i = 0; i < d->field_count(); ++i) {
      const FieldDescriptor* f = d->field(i);
      const google::protobuf::OneofDescriptor* o = f->containing_oneof();
      if (o != nullptr && !o->is_synthetic()) continue;
      if (f->is_repeated()) {
        const int n = depth > 3 ? 0 : Below(4);
        for (int k = 0; k < n; ++k) AddOne(m, f, depth);
      } else if (Below(4) != 0) {  // a quarter stay unset
        SetOne(m, f, depth);
      }
    }
  }

 private:
  int Below(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng_); }

  int64_t Integer() {
    switch (Below(6)) {
      case 0:
        return 0;
      case 1:
        return -1 - Below(1000);
      case 2:
        return INT64_MIN + Below(10);
      case 3:
        return INT64_MAX - Below(10);
      default:
        return Below(1 << 20);
    }
  }

  std::string Text() {
    static const std::vector<std::string> kTexts = {"",
                                                    "a",
                                                    "p-zhang",
                                                    "Q3新品上市营销方案执行",
                                                    std::string(300, 'x'),
                                                    "销售部先提供区域客户数据",
                                                    std::string("\0bin", 4)};
    return kTexts[Below(static_cast<int>(kTexts.size()))];
  }

  int EnumValue(const FieldDescriptor* f) {
    const google::protobuf::EnumDescriptor* e = f->enum_type();
    if (Below(5) == 0) return 1000 + Below(5);  // open enums keep unknown numbers
    return e->value(Below(e->value_count()))->number();
  }

  void SetOne(Message* m, const FieldDescriptor* f, int depth) {
    const Reflection* r = m->GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_INT32:
        r->SetInt32(m, f, static_cast<int32_t>(Integer()));
        break;
      case FieldDescriptor::CPPTYPE_INT64:
        r->SetInt64(m, f, Integer());
        break;
      case FieldDescriptor::CPPTYPE_UINT32:
        r->SetUInt32(m, f, static_cast<uint32_t>(Integer()));
        break;
      case FieldDescriptor::CPPTYPE_UINT64:
        r->SetUInt64(m, f, static_cast<uint64_t>(Integer()));
        break;
      case FieldDescriptor::CPPTYPE_BOOL:
        r->SetBool(m, f, Below(2) == 1);
        break;
      case FieldDescriptor::CPPTYPE_ENUM:
        r->SetEnumValue(m, f, Below(3) == 0 ? 0 : EnumValue(f));
        break;
      case FieldDescriptor::CPPTYPE_STRING:
        r->SetString(m, f, Text());
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE: {
        Message* sub = r->MutableMessage(m, f);
        if (depth < 5) Fill(sub, depth + 1);
        break;
      }
      default:
        ADD_FAILURE() << f->full_name() << ": a field type this test does not fill";
    }
  }

  void AddOne(Message* m, const FieldDescriptor* f, int depth) {
    const Reflection* r = m->GetReflection();
    switch (f->cpp_type()) {
      case FieldDescriptor::CPPTYPE_STRING:
        r->AddString(m, f, Text());
        break;
      case FieldDescriptor::CPPTYPE_MESSAGE:
        Fill(r->AddMessage(m, f), depth + 1);
        break;
      default:
        ADD_FAILURE() << f->full_name() << ": a repeated field type this test does not fill";
    }
  }

  std::mt19937 rng_;
};

// WriteEventWire's bytes, or "" with a failure if they do not end where
// ByteSizeLong says.
std::string Written(const v1::Event& e) {
  const size_t size = e.ByteSizeLong();
  std::string out(size, '\0');
  auto* begin = reinterpret_cast<uint8_t*>(out.data());
  const uint8_t* end = WriteEventWire(e, begin);
  EXPECT_EQ(end - begin, static_cast<ptrdiff_t>(size));
  return out;
}

std::string Serialized(const v1::Event& e) {
  std::string out;
  EXPECT_TRUE(e.SerializeToString(&out));
  return out;
}

TEST(EventWireTest, RandomEventsOfEveryKindMatchProtobufsBytes) {
  RandomFiller filler(20261128);
  const google::protobuf::OneofDescriptor* payload =
      v1::Event::descriptor()->FindOneofByName("payload");
  ASSERT_NE(payload, nullptr);
  int checked = 0;
  for (int round = 0; round < 40; ++round) {
    for (int k = 0; k < payload->field_count(); ++k) {
      v1::Event e;
      filler.Fill(&e, 0);
      // Every payload kind, whatever the filler picked for the oneof.
      e.GetReflection()->MutableMessage(&e, payload->field(k));
      filler.Fill(e.GetReflection()->MutableMessage(&e, payload->field(k)), 1);
      ASSERT_EQ(Written(e), Serialized(e)) << e.DebugString();
      ++checked;
    }
  }
  EXPECT_EQ(checked, 40 * payload->field_count());
}

TEST(EventWireTest, EdgesOfEachFieldKind) {
  v1::Event e;
  e.set_sequence(UINT64_MAX);
  e.mutable_time()->set_seconds(-62135596800);  // negative int64: ten bytes
  e.mutable_time()->set_nanos(-1);              // negative int32: sign-extended
  v1::PlanRevised* revised = e.mutable_plan_revised();
  v1::PlanRevision* revision = revised->mutable_revision();
  v1::TaskUpdate* update = revision->add_changes()->mutable_update_task();
  update->set_duration_days(0);  // `optional`, set to its default: still written
  update->set_name("");
  revision->add_changes()->set_cancel_task_id("");  // a oneof member set to "": written
  revised->mutable_plan()->add_tasks()->mutable_assignee()->set_person_id("");
  ASSERT_TRUE(update->has_duration_days());
  EXPECT_EQ(Written(e), Serialized(e));
}

TEST(EventWireTest, UnknownFieldsEndShortAndSealingFallsBackToProtobuf) {
  v1::Event e;
  e.set_sequence(7);
  e.set_actor_id("p-zhang");
  v1::CollaborationRequest* request = e.mutable_request_created()->mutable_request();
  request->set_topic("协作主题");
  // A field a newer writer added, parsed by this version into unknown fields.
  request->GetReflection()->MutableUnknownFields(request)->AddVarint(999, 42);
  const size_t size = e.ByteSizeLong();
  std::string buffer(size, '\0');
  auto* begin = reinterpret_cast<uint8_t*>(buffer.data());
  EXPECT_LT(WriteEventWire(e, begin) - begin, static_cast<ptrdiff_t>(size));

  SealedBatchWriter writer(GenesisHash());
  v1::Event sealed = e;
  writer.Seal(&sealed);
  v1::EventBatch batch;
  ASSERT_TRUE(batch.ParseFromString(writer.wire()));
  ASSERT_EQ(batch.events_size(), 1);
  EXPECT_EQ(batch.events(0).hash(), ChainHash(GenesisHash(), e));
  EXPECT_EQ(batch.events(0)
                .request_created()
                .request()
                .GetReflection()
                ->GetUnknownFields(batch.events(0).request_created().request())
                .field_count(),
            1);
}

}  // namespace
}  // namespace collabflow::internal
