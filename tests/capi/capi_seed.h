/* The seed example as JSON commands for the C tests: the directory, the
 * request (filed, submitted, accepted by both receivers) and its plan; and
 * an engine brought to any of those stages. seed(), open_seeded() and
 * request_has() are static inline so that a test using only some of them
 * compiles without warnings. */
#ifndef COLLABFLOW_TESTS_CAPI_CAPI_SEED_H_
#define COLLABFLOW_TESTS_CAPI_CAPI_SEED_H_

#include <stdio.h>
#include <string.h>

#include "c_check.h"
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

/* The seed's commands in order, and how many of them bring the request to
 * each stage: seed(e, kSeedSubmitted) runs kDirectory, kCreate, kSubmit. */
static const char* const kSeedSteps[] = {kDirectory,     kCreate,       kSubmit,
                                         kMarketAccepts, kSalesAccepts, kPublish};
enum {
  kSeedDirectory = 1,
  kSeedFiled,
  kSeedSubmitted,
  kSeedMarketAccepted,
  kSeedConfirmed,
  kSeedPlanned
};

/* Executes the first `steps` of kSeedSteps on `e`. Returns 1 on success, 0
 * (naming the step) at the first refusal. */
static inline int seed(cflow_engine* e, int steps) {
  int i;
  for (i = 0; i < steps; ++i) {
    if (execute(e, kSeedSteps[i]) != CFLOW_OK) {
      fprintf(stderr, "seed step %d: %s\n", i + 1, cflow_last_error());
      return 0;
    }
  }
  return 1;
}

/* Opens an in-memory engine in *e (the caller closes it) and seeds it with
 * the first `steps` commands. Returns 1 on success. */
static inline int open_seeded(cflow_engine** e, int steps) {
  CHECK(cflow_engine_open(e, NULL) == CFLOW_OK);
  return seed(*e, steps);
}

/* Whether the seed request's view, as JSON, contains `needle` (0 also when
 * the view cannot be read). */
static inline int request_has(cflow_engine* e, const char* needle) {
  uint8_t* out = NULL;
  size_t len = 0;
  int found;
  if (cflow_engine_get_request(&out, &len, e, CFLOW_FORMAT_JSON, "REQ-Q3-LAUNCH") != CFLOW_OK) {
    return 0;
  }
  found = strstr((const char*)out, needle) != NULL;
  cflow_free(out);
  return found;
}

#endif /* COLLABFLOW_TESTS_CAPI_CAPI_SEED_H_ */
