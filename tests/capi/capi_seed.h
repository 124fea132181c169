/* The seed example as JSON commands for the C tests: the directory, the
 * request (filed, submitted, accepted by both receivers) and its plan. */
#ifndef COLLABFLOW_TESTS_CAPI_CAPI_SEED_H_
#define COLLABFLOW_TESTS_CAPI_CAPI_SEED_H_

#include <string.h>

#include "collabflow.h"

static const char kDirectory[] =
    "{\"actor_id\":\"host\",\"time\":\"2026-08-28T01:00:00Z\",\"update_directory\":{"
    "\"directory\":{\"people\":["
    "{\"id\":\"p-liu\",\"name\":\"CEO\"},"
    "{\"id\":\"p-zhang\",\"department_id\":\"d-product\",\"superior_id\":\"p-liu\"},"
    "{\"id\":\"p-li\",\"department_id\":\"d-market\",\"superior_id\":\"p-liu\"},"
    "{\"id\":\"p-zhao\",\"department_id\":\"d-sales\",\"superior_id\":\"p-liu\"},"
    "{\"id\":\"p-ma\",\"department_id\":\"d-sales\",\"superior_id\":\"p-zhao\"}],"
    "\"departments\":["
    "{\"id\":\"d-product\",\"head_id\":\"p-zhang\"},"
    "{\"id\":\"d-market\",\"head_id\":\"p-li\"},"
    "{\"id\":\"d-sales\",\"head_id\":\"p-zhao\"}]}}}";

static const char kCreate[] =
    "{\"actor_id\":\"p-zhang\",\"time\":\"2026-08-31T01:30:00Z\","
    "\"request_id\":\"REQ-Q3-LAUNCH\",\"create_request\":{\"request\":{"
    "\"id\":\"REQ-Q3-LAUNCH\","
    "\"topic\":\"Q3\xe6\x96\xb0\xe5\x93\x81\xe4\xb8\x8a\xe5\xb8\x82\","
    "\"goal\":\"launch\","
    "\"milestones\":[{\"id\":\"final\",\"name\":\"final\","
    "\"date\":{\"year\":2026,\"month\":9,\"day\":20}}],"
    "\"final_deadline\":{\"year\":2026,\"month\":9,\"day\":20},"
    "\"receivers\":[{\"id\":\"market\",\"department_id\":\"d-market\"},"
    "{\"id\":\"sales\",\"department_id\":\"d-sales\"}],"
    "\"initiator_id\":\"p-zhang\",\"owner_id\":\"p-li\"}}}";

static const char kSubmit[] =
    "{\"actor_id\":\"p-zhang\",\"time\":\"2026-08-31T02:00:00Z\","
    "\"request_id\":\"REQ-Q3-LAUNCH\",\"submit_request\":{}}";

static const char kMarketAccepts[] =
    "{\"actor_id\":\"p-li\",\"time\":\"2026-08-31T03:00:00Z\",\"request_id\":\"REQ-Q3-LAUNCH\","
    "\"respond\":{\"response\":{\"receiver_id\":\"market\",\"timing_accepted\":true,"
    "\"decision\":\"DECISION_ACCEPT\"}}}";

static const char kSalesAccepts[] =
    "{\"actor_id\":\"p-zhao\",\"time\":\"2026-08-31T04:00:00Z\",\"request_id\":\"REQ-Q3-LAUNCH\","
    "\"respond\":{\"response\":{\"receiver_id\":\"sales\",\"timing_accepted\":true,"
    "\"decision\":\"DECISION_ACCEPT\"}}}";

static const char kPublish[] =
    "{\"actor_id\":\"p-li\",\"time\":\"2026-09-01T02:00:00Z\",\"request_id\":\"REQ-Q3-LAUNCH\","
    "\"publish_plan\":{\"plan\":{\"tasks\":["
    "{\"id\":\"T1\",\"name\":\"data\",\"assignee\":{\"department_id\":\"d-sales\"},"
    "\"duration_days\":3},"
    "{\"id\":\"T2\",\"name\":\"plan\",\"assignee\":{\"department_id\":\"d-market\"},"
    "\"duration_days\":4,\"predecessors\":[{\"predecessor_id\":\"T1\"}],"
    "\"serves\":[{\"milestone_id\":\"final\"},{\"goal\":true}]}]}}}";

static int execute(cflow_engine* e, const char* json) {
  uint8_t* out = NULL;
  size_t len = 0;
  cflow_status s = cflow_engine_execute(&out, &len, e, CFLOW_FORMAT_JSON, json, strlen(json));
  cflow_free(out);
  return s;
}

#endif /* COLLABFLOW_TESTS_CAPI_CAPI_SEED_H_ */
