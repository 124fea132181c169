/* The scheduler's views through the C ABI alone (C99 and C11, pedantic): the
 * schedule with its critical path, the ready set in the request view, and the
 * what-if preview of a plan revision, which changes nothing. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "c_check.h"
#include "capi_seed.h"
#include "collabflow.h"

/* T1 (3 days) -> T2 (4 days); the revision makes T1 take 5 days. */
static const char kLongerData[] =
    "{\"actor_id\":\"p-li\",\"time\":\"2026-09-02T02:00:00Z\",\"request_id\":\"REQ-Q3-LAUNCH\","
    "\"revise_plan\":{\"reason\":\"CRM interface problem\",\"changes\":[{\"update_task\":{"
    "\"task_id\":\"T1\",\"duration_days\":5}}]}}";

/* strstr on the JSON with its whitespace removed (the printer may indent). */
static int json_has(const void* json, size_t len, const char* needle) {
  char compact[65536];
  size_t n = 0, i;
  const char* text = (const char*)json;
  for (i = 0; i < len && n + 1 < sizeof compact; ++i) {
    if (text[i] != ' ' && text[i] != '\n') compact[n++] = text[i];
  }
  compact[n] = '\0';
  return strstr(compact, needle) != NULL;
}

static int test_schedule_marks_the_critical_path_and_ready_set(void) {
  cflow_engine* e = NULL;
  uint8_t* out = NULL;
  size_t len = 0;
  CHECK(open_seeded(&e, kSeedPlanned));
  CHECK(cflow_engine_schedule(&out, &len, e, CFLOW_FORMAT_JSON, "REQ-Q3-LAUNCH") == CFLOW_OK);
  CHECK(json_has(out, len, "\"critical_path\":[\"T1\",\"T2\"]"));
  cflow_free(out);
  CHECK(request_has(e, "TASK_STATE_READY")); /* T1: no predecessor */
  cflow_engine_close(e);
  return 1;
}

static int test_preview_shows_the_shift_and_changes_nothing(void) {
  cflow_engine* e = NULL;
  uint8_t* before = NULL;
  uint8_t* after = NULL;
  uint8_t* out = NULL;
  size_t before_len = 0, after_len = 0, len = 0;
  CHECK(open_seeded(&e, kSeedPlanned));
  CHECK(cflow_engine_state(&before, &before_len, e, CFLOW_FORMAT_PROTOBUF) == CFLOW_OK);
  CHECK(cflow_engine_preview_revision(&out, &len, e, CFLOW_FORMAT_JSON, kLongerData,
                                      strlen(kLongerData)) == CFLOW_OK);
  CHECK(json_has(out, len, "\"finish_shift_working_days\":2"));
  CHECK(strstr((const char*)out, "\"before\"") != NULL);
  CHECK(strstr((const char*)out, "\"after\"") != NULL);
  CHECK(strstr((const char*)out, "moved") != NULL);
  cflow_free(out);
  CHECK(cflow_engine_state(&after, &after_len, e, CFLOW_FORMAT_PROTOBUF) == CFLOW_OK);
  CHECK(same_bytes_freed(before, before_len, after, after_len));
  cflow_engine_close(e);
  return 1;
}

static int test_preview_refusals(void) {
  static const char not_owner[] =
      "{\"actor_id\":\"p-ma\",\"time\":\"2026-09-02T02:00:00Z\",\"request_id\":\"REQ-Q3-LAUNCH\","
      "\"revise_plan\":{\"reason\":\"x\",\"changes\":[{\"update_task\":{"
      "\"task_id\":\"T1\",\"duration_days\":5}}]}}";
  static const char unknown_request[] =
      "{\"actor_id\":\"p-li\",\"time\":\"2026-09-02T02:00:00Z\",\"request_id\":\"REQ-NONE\","
      "\"revise_plan\":{\"reason\":\"x\"}}";
  static const char no_time[] =
      "{\"actor_id\":\"p-li\",\"request_id\":\"REQ-Q3-LAUNCH\",\"revise_plan\":{\"reason\":\"x\"}}";
  static const char unknown_task[] =
      "{\"actor_id\":\"p-li\",\"time\":\"2026-09-02T02:00:00Z\",\"request_id\":\"REQ-Q3-LAUNCH\","
      "\"revise_plan\":{\"reason\":\"x\",\"changes\":[{\"update_task\":{"
      "\"task_id\":\"T9\",\"duration_days\":5}}]}}";
  cflow_engine* e = NULL;
  uint8_t* out = NULL;
  size_t len = 0;
  CHECK(open_seeded(&e, kSeedPlanned));
  CHECK(cflow_engine_preview_revision(&out, &len, e, CFLOW_FORMAT_JSON, kSubmit, strlen(kSubmit)) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "revise_plan") != NULL);
  CHECK(cflow_engine_preview_revision(&out, &len, e, CFLOW_FORMAT_JSON, no_time, strlen(no_time)) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "time") != NULL);
  CHECK(cflow_engine_preview_revision(&out, &len, e, CFLOW_FORMAT_JSON, not_owner,
                                      strlen(not_owner)) == CFLOW_PERMISSION_DENIED);
  CHECK(cflow_engine_preview_revision(&out, &len, e, CFLOW_FORMAT_JSON, unknown_request,
                                      strlen(unknown_request)) == CFLOW_NOT_FOUND);
  CHECK(cflow_engine_preview_revision(&out, &len, e, CFLOW_FORMAT_JSON, unknown_task,
                                      strlen(unknown_task)) != CFLOW_OK);
  CHECK(cflow_engine_preview_revision(&out, &len, e, CFLOW_FORMAT_JSON, "{", 1) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_preview_revision(&out, &len, e, 5, kLongerData, strlen(kLongerData)) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_preview_revision(NULL, &len, e, CFLOW_FORMAT_JSON, kLongerData,
                                      strlen(kLongerData)) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_preview_revision(&out, &len, NULL, CFLOW_FORMAT_JSON, kLongerData,
                                      strlen(kLongerData)) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_preview_revision(&out, &len, e, CFLOW_FORMAT_JSON, NULL, 3) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(out == NULL);
  cflow_engine_close(e);
  CHECK(cflow_engine_preview_revision(&out, &len, e, CFLOW_FORMAT_JSON, kLongerData,
                                      strlen(kLongerData)) == CFLOW_INVALID_ARGUMENT);
  return 1;
}

int main(void) {
  RUN(test_schedule_marks_the_critical_path_and_ready_set);
  RUN(test_preview_shows_the_shift_and_changes_nothing);
  RUN(test_preview_refusals);
  return C_CHECK_SUMMARY();
}
