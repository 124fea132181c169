// Records: our SHA-256 (libcrypto through a fetched EVP_MD and reused
// contexts, src/base/sha256.h) against OpenSSL's one-shot SHA256() on the
// same buffers (430 bytes is a typical sealed event), and the hash-chain
// check of a history of N events against the same loop with the one-shot
// SHA256() (the peer fixes the serialization cost, so the gap is the hash
// alone). Sizes are in the benchmark names.
#include <openssl/sha.h>

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "benchmark/benchmark.h"
#include "collabflow/v1/event.pb.h"
#include "engine/journal/hash_chain.h"
#include "wire/proto_io.h"

namespace collabflow {
namespace {

std::string Buffer(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((i * 131 + 7) & 0xff);
  return s;
}

void BM_Sha256_Collabflow(benchmark::State& state) {
  const std::string data = Buffer(static_cast<size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(internal::Sha256Of(data));
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Sha256_Collabflow)->Arg(64)->Arg(430)->Arg(1 << 10)->Arg(64 << 10)->Arg(1 << 20);

// A history like the seed's: responses with Chinese text and a notification.
std::vector<v1::Event> History(int n) {
  std::vector<v1::Event> events;
  std::string prev = internal::GenesisHash();
  for (int i = 1; i <= n; ++i) {
    v1::Event e;
    e.set_version(static_cast<uint64_t>(i));
    e.mutable_time()->set_seconds(1788000000 + i);
    e.set_actor_id("p-zhao");
    e.set_request_id(absl::StrCat("REQ-", i % 50));
    v1::ReceiverResponse* r = e.mutable_response_recorded()->mutable_response();
    r->set_receiver_id("sales");
    r->set_request_version(1);
    r->add_duties("销售部负责客户画像分析");
    r->set_comment("9月20日定稿可行,但需提前2天提供客户数据");
    v1::Notification* note = e.add_notifications();
    note->set_id(static_cast<uint64_t>(i));
    note->add_recipient_ids("p-zhang");
    note->set_subject("销售部已反馈:Q3新品上市营销方案执行");
    e.set_hash(internal::ChainHash(prev, e));
    prev = e.hash();
    events.push_back(std::move(e));
  }
  return events;
}

void BM_VerifyChain_Collabflow(benchmark::State& state) {
  const std::vector<v1::Event> events = History(static_cast<int>(state.range(0)));
  const std::string head = events.back().hash();
  for (auto _ : state) {
    absl::Status s = internal::VerifyChain(events, head, events.back().version());
    if (!s.ok()) state.SkipWithError("chain does not verify");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_VerifyChain_Collabflow)->Arg(1000)->Arg(10000);

void BM_Sha256_OpenSSL(benchmark::State& state) {
  const std::string data = Buffer(static_cast<size_t>(state.range(0)));
  unsigned char out[SHA256_DIGEST_LENGTH];
  for (auto _ : state) {
    SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_Sha256_OpenSSL)->Arg(64)->Arg(430)->Arg(1 << 10)->Arg(64 << 10)->Arg(1 << 20);

// The same check (version, hash of prev || event without hash, head) with
// OpenSSL's one-shot SHA256().
void BM_VerifyChain_OpenSSL(benchmark::State& state) {
  const std::vector<v1::Event> events = History(static_cast<int>(state.range(0)));
  const std::string head = events.back().hash();
  for (auto _ : state) {
    std::string prev = internal::GenesisHash();
    uint64_t next = 1;
    bool ok = true;
    for (const v1::Event& e : events) {
      v1::Event copy = e;
      copy.clear_hash();
      const std::string bytes = prev + internal::SerializeBinary(copy);
      unsigned char out[SHA256_DIGEST_LENGTH];
      SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), out);
      ok = ok && e.version() == next++ &&
           e.hash() == std::string(reinterpret_cast<const char*>(out), sizeof out);
      prev = e.hash();
    }
    if (!ok || prev != head) state.SkipWithError("chain does not verify");
  }
  state.SetItemsProcessed(static_cast<int64_t>(state.iterations()) * state.range(0));
}
BENCHMARK(BM_VerifyChain_OpenSSL)->Arg(1000)->Arg(10000);

}  // namespace
}  // namespace collabflow
