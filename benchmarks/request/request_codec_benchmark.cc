// The C ABI's request conversions (cflow_request_from_json,
// cflow_request_to_json) against their floor in the same binary: protobuf
// parsing the same input into the same generated message, and nothing else.
// What the entry points add on top is the UTF-8 and known-value checks, the
// request's own checks (request_checks.h), the encoding of the other form and
// the copy into a caller-owned buffer.
//
// The benchmark links only libcollabflow.so (as a host does) and the shared
// libprotobuf: the floor takes the collabflow.v1.CollaborationRequest class
// that the library registered in protobuf's generated pool, so both sides
// parse with the very same generated code. Input: the seed example's request
// (2 resources, 2 milestones, 2 receivers, Chinese text): 1,098 bytes of
// JSON, 427 bytes of protobuf.
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include "benchmark/benchmark.h"
#include "collabflow.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"
#include "google/protobuf/util/json_util.h"

namespace {

constexpr char kSeedRequestJson[] = R"({
  "id": "REQ-Q3-LAUNCH", "version": 1,
  "topic": "Q3新品上市营销方案执行",
  "background": "新品研发完成,需市场部配合制定推广计划",
  "goal": "30天内完成营销方案设计并启动推广",
  "resources": [
    {"id": "planners", "kind": "RESOURCE_KIND_PEOPLE", "description": "市场部2名策划专员",
     "quantity": "2", "unit": "人", "provider": {"department_id": "d-market"}},
    {"id": "customer-data", "kind": "RESOURCE_KIND_DATA", "description": "销售部提供区域客户数据",
     "provider": {"department_id": "d-sales"}}],
  "milestones": [
    {"id": "first-draft", "name": "方案初稿", "date": {"year": 2026, "month": 9, "day": 10}},
    {"id": "final", "name": "定稿并启动推广", "date": {"year": 2026, "month": 9, "day": 20}}],
  "final_deadline": {"year": 2026, "month": 9, "day": 20},
  "receivers": [{"id": "market", "department_id": "d-market"},
                {"id": "sales", "department_id": "d-sales"}],
  "priority": "PRIORITY_HIGH", "complexity": "COMPLEXITY_COMPLEX",
  "initiator_id": "p-zhang", "owner_id": "p-li"
})";

// A new, empty collabflow.v1.CollaborationRequest of the library's own
// generated class (registered when libcollabflow.so was loaded).
std::unique_ptr<google::protobuf::Message> NewRequestMessage() {
  const google::protobuf::Descriptor* d =
      google::protobuf::DescriptorPool::generated_pool()->FindMessageTypeByName(
          "collabflow.v1.CollaborationRequest");
  if (d == nullptr) std::abort();  // the library did not register its schema
  return std::unique_ptr<google::protobuf::Message>(
      google::protobuf::MessageFactory::generated_factory()->GetPrototype(d)->New());
}

// The seed request's canonical protobuf bytes, from the library itself.
std::string SeedRequestBytes() {
  uint8_t* out = nullptr;
  size_t len = 0;
  if (cflow_request_from_json(&out, &len, kSeedRequestJson, std::strlen(kSeedRequestJson)) !=
      CFLOW_OK) {
    std::abort();
  }
  std::string bytes(reinterpret_cast<const char*>(out), len);
  cflow_free(out);
  return bytes;
}

void BM_JsonParseOnly(benchmark::State& state) {
  const std::string json = kSeedRequestJson;
  auto message = NewRequestMessage();
  for (auto _ : state) {
    message->Clear();
    benchmark::DoNotOptimize(google::protobuf::util::JsonStringToMessage(json, message.get()));
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(json.size()));
}
BENCHMARK(BM_JsonParseOnly);

void BM_RequestFromJson(benchmark::State& state) {
  const std::string json = kSeedRequestJson;
  for (auto _ : state) {
    uint8_t* out = nullptr;
    size_t len = 0;
    if (cflow_request_from_json(&out, &len, json.data(), json.size()) != CFLOW_OK) {
      state.SkipWithError(cflow_last_error());
      break;
    }
    cflow_free(out);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(json.size()));
}
BENCHMARK(BM_RequestFromJson);

void BM_ProtobufParseOnly(benchmark::State& state) {
  const std::string bytes = SeedRequestBytes();
  auto message = NewRequestMessage();
  for (auto _ : state) {
    benchmark::DoNotOptimize(message->ParseFromString(bytes));
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes.size()));
}
BENCHMARK(BM_ProtobufParseOnly);

// The other direction's floor: the same parse, then protobuf's JSON printer
// (with the options the library prints with).
void BM_ProtobufParseAndPrintJson(benchmark::State& state) {
  const std::string bytes = SeedRequestBytes();
  auto message = NewRequestMessage();
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  for (auto _ : state) {
    std::string json;
    benchmark::DoNotOptimize(message->ParseFromString(bytes));
    benchmark::DoNotOptimize(google::protobuf::util::MessageToJsonString(*message, &json, options));
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes.size()));
}
BENCHMARK(BM_ProtobufParseAndPrintJson);

void BM_RequestToJson(benchmark::State& state) {
  const std::string bytes = SeedRequestBytes();
  for (auto _ : state) {
    char* out = nullptr;
    size_t len = 0;
    if (cflow_request_to_json(&out, &len, reinterpret_cast<const uint8_t*>(bytes.data()),
                              bytes.size()) != CFLOW_OK) {
      state.SkipWithError(cflow_last_error());
      break;
    }
    cflow_free(out);
  }
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(bytes.size()));
}
BENCHMARK(BM_RequestToJson);

}  // namespace
