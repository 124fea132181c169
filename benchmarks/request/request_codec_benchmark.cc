// Decoding a request from protobuf bytes: our validated DecodeRequest against
// the peer floor, a bare protobuf ParseFromString of the same bytes.
#include <string>

#include "benchmark/benchmark.h"
#include "collabflow/request_codec.h"
#include "collabflow/v1/request.pb.h"
#include "support/seed_request.h"

namespace {

void BM_ProtobufParseOnly(benchmark::State& state) {
  const std::string bytes = *collabflow::EncodeRequest(collabflow::testing::SeedRequest());
  for (auto _ : state) {
    collabflow::v1::CollaborationRequest m;
    benchmark::DoNotOptimize(m.ParseFromString(bytes));
  }
  state.SetBytesProcessed(state.iterations() * bytes.size());
}
BENCHMARK(BM_ProtobufParseOnly);

void BM_DecodeRequestValidated(benchmark::State& state) {
  const std::string bytes = *collabflow::EncodeRequest(collabflow::testing::SeedRequest());
  for (auto _ : state) {
    auto r = collabflow::DecodeRequest(bytes);
    benchmark::DoNotOptimize(r);
  }
  state.SetBytesProcessed(state.iterations() * bytes.size());
}
BENCHMARK(BM_DecodeRequestValidated);

void BM_EncodeRequestValidated(benchmark::State& state) {
  const collabflow::CollaborationRequest r = collabflow::testing::SeedRequest();
  for (auto _ : state) {
    auto bytes = collabflow::EncodeRequest(r);
    benchmark::DoNotOptimize(bytes);
  }
}
BENCHMARK(BM_EncodeRequestValidated);

}  // namespace
