/* The engine through the C ABI alone, from C: steps 1 and 2 of the seed
 * scenario, and misuse answered rather than crashed on. Built as C99 and C11
 * with -Wall -Wextra -pedantic -Werror. Prints "N passed, N failed". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collabflow.h"

static int g_passed, g_failed;

#define CHECK(cond)                                                                            \
  do {                                                                                         \
    if (!(cond)) {                                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s (last error: %s)\n", __FILE__, __LINE__, #cond, \
              cflow_last_error());                                                             \
      return 0;                                                                                \
    }                                                                                          \
  } while (0)

#define RUN(test)                   \
  do {                              \
    if (test()) {                   \
      ++g_passed;                   \
      printf("[ OK ] %s\n", #test); \
    } else {                        \
      ++g_failed;                   \
      printf("[FAIL] %s\n", #test); \
    }                               \
  } while (0)

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
  void* out = NULL;
  size_t len = 0;
  cflow_status s = cflow_engine_execute(&out, &len, e, CFLOW_FORMAT_JSON, json, strlen(json));
  cflow_free(out);
  return s;
}

static int contains(cflow_engine* e, const char* request_id, const char* needle) {
  void* out = NULL;
  size_t len = 0;
  int found;
  if (cflow_engine_get_request(&out, &len, e, CFLOW_FORMAT_JSON, request_id) != CFLOW_OK) {
    return 0;
  }
  found = strstr((const char*)out, needle) != NULL;
  cflow_free(out);
  return found;
}

static int test_seed_scenario_through_plan(void) {
  cflow_engine* e = NULL;
  void* out = NULL;
  size_t len = 0;
  int events = -1;
  CHECK(cflow_engine_open(&e, NULL) == CFLOW_OK);
  CHECK(execute(e, kDirectory) == CFLOW_OK);
  CHECK(execute(e, kCreate) == CFLOW_OK);
  CHECK(execute(e, kSubmit) == CFLOW_OK);
  CHECK(contains(e, "REQ-Q3-LAUNCH", "REQUEST_STATE_SUBMITTED"));
  CHECK(execute(e, kMarketAccepts) == CFLOW_OK);
  CHECK(execute(e, kSalesAccepts) == CFLOW_OK);
  CHECK(contains(e, "REQ-Q3-LAUNCH", "REQUEST_STATE_CONFIRMED"));
  CHECK(execute(e, kPublish) == CFLOW_OK);
  CHECK(contains(e, "REQ-Q3-LAUNCH", "REQUEST_STATE_PLANNED"));
  /* The schedule: T1 then T2 on the critical path. */
  CHECK(cflow_engine_schedule(&out, &len, e, CFLOW_FORMAT_JSON, "REQ-Q3-LAUNCH") == CFLOW_OK);
  CHECK(strstr((const char*)out, "\"critical_path\":[\"T1\",\"T2\"]") != NULL);
  cflow_free(out);
  /* The outbox has notifications; an empty page past the end is still OK. */
  CHECK(cflow_engine_outbox_read(&out, &len, e, CFLOW_FORMAT_JSON, 0, 10) == CFLOW_OK);
  CHECK(strstr((const char*)out, "NOTIFICATION_KIND_REQUEST_SUBMITTED") != NULL);
  cflow_free(out);
  CHECK(cflow_engine_outbox_read(&out, &len, e, CFLOW_FORMAT_JSON, 100000, 10) == CFLOW_OK);
  CHECK(strcmp((const char*)out, "{}") == 0);
  cflow_free(out);
  CHECK(cflow_engine_outbox_ack(e, 2) == CFLOW_OK);
  CHECK(cflow_engine_tick(&events, e, 1789000000000000LL) == CFLOW_OK);
  CHECK(events == 0);
  cflow_engine_close(e);
  return 1;
}

static int test_refusals_carry_codes_and_messages(void) {
  cflow_engine* e = NULL;
  CHECK(cflow_engine_open(&e, NULL) == CFLOW_OK);
  CHECK(execute(e, kDirectory) == CFLOW_OK);
  CHECK(execute(e, kSubmit) == CFLOW_NOT_FOUND);
  CHECK(execute(e, kCreate) == CFLOW_OK);
  CHECK(execute(e, kCreate) == CFLOW_ALREADY_EXISTS);
  CHECK(execute(e, kPublish) == CFLOW_FAILED_PRECONDITION);
  CHECK(strstr(cflow_last_error(), "DRAFT") != NULL);
  CHECK(execute(e, kSubmit) == CFLOW_OK);
  CHECK(execute(e, kSalesAccepts) == CFLOW_OK);
  /* p-ma may not answer for the market department. */
  {
    static const char wrong_actor[] =
        "{\"actor_id\":\"p-ma\",\"request_id\":\"REQ-Q3-LAUNCH\",\"respond\":{\"response\":{"
        "\"receiver_id\":\"market\",\"timing_accepted\":true,\"decision\":\"DECISION_ACCEPT\"}}}";
    CHECK(execute(e, wrong_actor) == CFLOW_PERMISSION_DENIED);
    CHECK(cflow_last_error_code() == CFLOW_PERMISSION_DENIED);
  }
  cflow_engine_close(e);
  return 1;
}

static int test_misuse_is_answered_not_crashed_on(void) {
  cflow_engine* e = NULL;
  void* out = NULL;
  size_t len = 0;
  static const unsigned char garbage[] = {0xff, 0xff, 0xff, 0xff, 0x0f};
  static const char bad_utf8[] = "{\"actor_id\":\"\xc3\x28\"}";
  cflow_options* options = NULL;
  CHECK(cflow_engine_open(NULL, NULL) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_open(&e, NULL) == CFLOW_OK);
  CHECK(cflow_engine_execute(NULL, &len, e, CFLOW_FORMAT_JSON, "{}", 2) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_execute(&out, &len, NULL, CFLOW_FORMAT_JSON, "{}", 2) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_execute(&out, &len, e, CFLOW_FORMAT_JSON, NULL, 2) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_execute(&out, &len, e, 42, "{}", 2) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "format") != NULL);
  CHECK(cflow_engine_execute(&out, &len, e, CFLOW_FORMAT_JSON, "{", 1) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_execute(&out, &len, e, CFLOW_FORMAT_JSON, bad_utf8, strlen(bad_utf8)) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_execute(&out, &len, e, CFLOW_FORMAT_PROTOBUF, garbage, sizeof garbage) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_get_request(&out, &len, e, CFLOW_FORMAT_JSON, NULL) == CFLOW_INVALID_ARGUMENT);
  CHECK(out == NULL);
  cflow_engine_close(e);
  /* A closed handle is refused, not dereferenced; closing twice is harmless. */
  CHECK(cflow_engine_get_request(&out, &len, e, CFLOW_FORMAT_JSON, "x") == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "closed") != NULL);
  cflow_engine_close(e);
  cflow_engine_close(NULL);
  CHECK(cflow_options_new(&options) == CFLOW_OK);
  CHECK(cflow_options_set_durability(options, 99) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_options_set_host_actor(options, NULL) == CFLOW_INVALID_ARGUMENT);
  cflow_options_free(options);
  cflow_options_free(NULL);
  return 1;
}

int main(void) {
  RUN(test_seed_scenario_through_plan);
  RUN(test_refusals_carry_codes_and_messages);
  RUN(test_misuse_is_answered_not_crashed_on);
  printf("%d passed, %d failed\n", g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}
