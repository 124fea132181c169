/* Records through the C ABI alone, from C: history verification, the process
 * record table, archive export and verification, reports; and misuse. Built as C99 and C11
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

static cflow_engine* seeded(void) {
  cflow_engine* e = NULL;
  if (cflow_engine_open(&e, NULL) != CFLOW_OK) return NULL;
  if (execute(e, kDirectory) != CFLOW_OK || execute(e, kCreate) != CFLOW_OK ||
      execute(e, kSubmit) != CFLOW_OK || execute(e, kMarketAccepts) != CFLOW_OK ||
      execute(e, kSalesAccepts) != CFLOW_OK || execute(e, kPublish) != CFLOW_OK) {
    cflow_engine_close(e);
    return NULL;
  }
  return e;
}

/* 2026-09-02 12:00 Asia/Shanghai. */
static const int64_t kNow = 1788321600000000LL;

static int test_history_record_archive_and_report(void) {
  cflow_engine* e = seeded();
  void* out = NULL;
  uint8_t* bundle = NULL;
  char* text = NULL;
  size_t len = 0, bundle_len = 0;
  CHECK(e != NULL);
  CHECK(cflow_engine_verify_history(e) == CFLOW_OK);
  CHECK(cflow_engine_process_record(&out, &len, e, CFLOW_FORMAT_JSON, "REQ-Q3-LAUNCH") == CFLOW_OK);
  CHECK(strstr((const char*)out, "\"step\":5") != NULL);
  CHECK(strstr((const char*)out, "MET_YES") != NULL);
  cflow_free(out);
  CHECK(cflow_engine_export_archive(&bundle, &bundle_len, e, "REQ-Q3-LAUNCH") == CFLOW_OK);
  CHECK(bundle_len > 100);
  CHECK(cflow_archive_verify(NULL, NULL, CFLOW_FORMAT_PROTOBUF, bundle, bundle_len) == CFLOW_OK);
  CHECK(cflow_archive_verify(&out, &len, CFLOW_FORMAT_JSON, bundle, bundle_len) == CFLOW_OK);
  CHECK(strstr((const char*)out, "\"manifest\"") != NULL);
  cflow_free(out);
  /* A changed byte inside the bundle is refused (a digest, a hash or the
   * encoding itself no longer agrees). */
  bundle[bundle_len / 2] ^= 0x5a;
  CHECK(cflow_archive_verify(NULL, NULL, CFLOW_FORMAT_PROTOBUF, bundle, bundle_len) ==
        CFLOW_DATA_LOSS);
  CHECK(strstr(cflow_last_error(), "archive") != NULL);
  cflow_free(bundle);
  CHECK(cflow_engine_report(&text, &len, e, "REQ-Q3-LAUNCH", CFLOW_REPORT_HTML,
                            CFLOW_LANGUAGE_CHINESE, kNow) == CFLOW_OK);
  CHECK(strncmp(text, "<!DOCTYPE html>", 15) == 0);
  CHECK(strstr(text, "<svg") != NULL);
  CHECK(strlen(text) == len);
  cflow_free(text);
  CHECK(cflow_engine_report(&text, &len, e, "REQ-Q3-LAUNCH", CFLOW_REPORT_MARKDOWN,
                            CFLOW_LANGUAGE_ENGLISH, kNow) == CFLOW_OK);
  CHECK(strstr(text, "## Process record table") != NULL);
  cflow_free(text);
  CHECK(cflow_engine_report(&text, &len, e, "REQ-Q3-LAUNCH", CFLOW_REPORT_GANTT_SVG,
                            CFLOW_LANGUAGE_CHINESE, kNow) == CFLOW_OK);
  CHECK(strncmp(text, "<svg", 4) == 0);
  cflow_free(text);
  cflow_engine_close(e);
  return 1;
}

static int test_misuse_is_refused_with_codes(void) {
  cflow_engine* e = seeded();
  void* out = NULL;
  uint8_t* bundle = NULL;
  char* text = NULL;
  size_t len = 0;
  CHECK(e != NULL);
  CHECK(cflow_engine_process_record(&out, &len, e, CFLOW_FORMAT_JSON, "REQ-NONE") ==
        CFLOW_NOT_FOUND);
  CHECK(cflow_engine_process_record(&out, &len, e, CFLOW_FORMAT_JSON, NULL) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_export_archive(NULL, &len, e, "REQ-Q3-LAUNCH") == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_export_archive(&bundle, &len, e, "REQ-NONE") == CFLOW_NOT_FOUND);
  CHECK(bundle == NULL);
  CHECK(cflow_engine_report(&text, &len, e, "REQ-Q3-LAUNCH", 7, CFLOW_LANGUAGE_CHINESE, kNow) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "format") != NULL);
  CHECK(cflow_engine_report(&text, &len, e, "REQ-Q3-LAUNCH", CFLOW_REPORT_HTML, 9, kNow) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(text == NULL);
  CHECK(cflow_archive_verify(&out, NULL, CFLOW_FORMAT_JSON, NULL, 0) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_archive_verify(NULL, NULL, CFLOW_FORMAT_JSON, NULL, 5) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_archive_verify(NULL, NULL, CFLOW_FORMAT_JSON, NULL, 0) != CFLOW_OK);
  cflow_engine_close(e);
  CHECK(cflow_engine_verify_history(e) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_verify_history(NULL) == CFLOW_INVALID_ARGUMENT);
  return 1;
}

int main(void) {
  RUN(test_history_record_archive_and_report);
  RUN(test_misuse_is_refused_with_codes);
  printf("%d passed, %d failed\n", g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}
