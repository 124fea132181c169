// The smallest C++ host: builds a request with the C++ API and round-trips it.
#include <collabflow/engine.h>
#include <collabflow/request_codec.h>
#include <collabflow/version.h>

#include <iostream>

int main() {
  collabflow::CollaborationRequest r;
  r.id = "REQ-1";
  r.topic = "Q3新品上市营销方案执行";
  r.goal = "30天内完成营销方案设计并启动推广";
  r.initiator_id = "p-product";
  r.final_deadline = absl::CivilDay(2026, 9, 20);
  collabflow::Receiver market;
  market.id = "market";
  market.kind = collabflow::Receiver::Kind::kDepartment;
  market.party_id = "d-market";
  r.receivers.push_back(market);
  auto bytes = collabflow::EncodeRequest(r);
  if (!bytes.ok()) {
    std::cerr << bytes.status() << "\n";
    return 1;
  }
  auto back = collabflow::DecodeRequest(*bytes);
  if (!back.ok() || !(*back == r)) {
    std::cerr << "round trip changed the request\n";
    return 1;
  }
  // The engine API from the installed headers: an in-memory engine.
  auto engine = collabflow::Engine::Open();
  if (!engine.ok() || (*engine)->LastSequence() != 0) return 1;
  std::cout << "collabflow " << collabflow::RuntimeVersion() << ": " << back->topic << "\n";
  return 0;
}
