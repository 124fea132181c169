// The smallest C++ host: files a request, as a collabflow.v1 message, with
// the C++ engine API from the installed headers, and reads it back.
#include <collabflow/engine.h>
#include <collabflow/v1/command.pb.h>
#include <collabflow/version.h>

#include <iostream>

int main() {
  auto engine = collabflow::Engine::Open();  // in memory
  if (!engine.ok()) {
    std::cerr << engine.status() << "\n";
    return 1;
  }
  collabflow::v1::Command directory;
  directory.set_actor_id("host");
  auto* people = directory.mutable_update_directory()->mutable_directory();
  people->add_people()->set_id("p-product");
  auto* market = people->add_departments();
  market->set_id("d-market");
  market->set_head_id("p-product");

  collabflow::v1::Command create;
  create.set_actor_id("p-product");
  create.set_request_id("REQ-1");
  collabflow::v1::CollaborationRequest* r = create.mutable_create_request()->mutable_request();
  r->set_id("REQ-1");
  r->set_version(1);
  r->set_topic("Q3新品上市营销方案执行");
  r->set_goal("30天内完成营销方案设计并启动推广");
  r->set_initiator_id("p-product");
  r->mutable_final_deadline()->set_year(2026);
  r->mutable_final_deadline()->set_month(9);
  r->mutable_final_deadline()->set_day(20);
  collabflow::v1::Receiver* receiver = r->add_receivers();
  receiver->set_id("market");
  receiver->set_department_id("d-market");

  for (collabflow::v1::Command* command : {&directory, &create}) {
    auto result = (*engine)->Execute(*command);
    if (!result.ok()) {
      std::cerr << result.status() << "\n";
      return 1;
    }
  }
  auto view = (*engine)->GetRequest("REQ-1");
  if (!view.ok() || view->record().request().topic() != r->topic()) {
    std::cerr << "the request did not come back as filed\n";
    return 1;
  }
  std::cout << "collabflow " << collabflow::RuntimeVersion() << ": "
            << view->record().request().topic() << "\n";
  return 0;
}
