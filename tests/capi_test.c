/* The C ABI, driven from C alone. Built as C99 and C11 with
 * -Wall -Wextra -pedantic -Werror. Prints "N passed, N failed". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "collabflow.h"

static int g_passed, g_failed;

#define CHECK(cond)                                                            \
  do {                                                                         \
    if (!(cond)) {                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      return 0;                                                                \
    }                                                                          \
  } while (0)

#define RUN(test)                                                        \
  do {                                                                   \
    if (test()) {                                                        \
      ++g_passed;                                                        \
      printf("[ OK ] %s\n", #test);                                      \
    } else {                                                             \
      ++g_failed;                                                        \
      printf("[FAIL] %s (last error: %s)\n", #test, cflow_last_error()); \
    }                                                                    \
  } while (0)

static const char kSeedJson[] =
    "{\"id\":\"REQ-Q3-LAUNCH\",\"version\":1,"
    "\"topic\":\"Q3\xe6\x96\xb0\xe5\x93\x81\xe4\xb8\x8a\xe5\xb8\x82\xe8\x90\xa5\xe9\x94\x80"
    "\xe6\x96\xb9\xe6\xa1\x88\xe6\x89\xa7\xe8\xa1\x8c\"," /* Q3新品上市营销方案执行 */
    "\"goal\":\"30 days to a launched marketing plan\","
    "\"milestones\":[{\"id\":\"first-draft\",\"name\":\"draft\","
    "\"date\":{\"year\":2026,\"month\":9,\"day\":10}}],"
    "\"final_deadline\":{\"year\":2026,\"month\":9,\"day\":20},"
    "\"receivers\":[{\"id\":\"market\",\"department_id\":\"d-market\"},"
    "{\"id\":\"sales\",\"department_id\":\"d-sales\"}],"
    "\"initiator_id\":\"p-zhang\"}";

static int test_version_matches_header(void) {
  CHECK(strcmp(cflow_version(), CFLOW_VERSION) == 0);
  CHECK(cflow_version_number() == CFLOW_VERSION_NUMBER);
  CHECK(cflow_abi_version() == CFLOW_ABI_VERSION);
  CHECK(CFLOW_VERSION_NUMBER ==
        CFLOW_VERSION_MAJOR * 1000000 + CFLOW_VERSION_MINOR * 1000 + CFLOW_VERSION_PATCH);
  return 1;
}

static int test_status_names_are_fixed(void) {
  CHECK(strcmp(cflow_status_name(CFLOW_OK), "OK") == 0);
  CHECK(strcmp(cflow_status_name(CFLOW_INVALID_ARGUMENT), "INVALID_ARGUMENT") == 0);
  CHECK(strcmp(cflow_status_name(CFLOW_DATA_LOSS), "DATA_LOSS") == 0);
  CHECK(strcmp(cflow_status_name(12345), "UNRECOGNIZED") == 0);
  CHECK(CFLOW_PERMISSION_DENIED == -7 && CFLOW_FAILED_PRECONDITION == -9);
  return 1;
}

static int test_request_round_trips_through_protobuf(void) {
  uint8_t* pb = NULL;
  size_t pb_len = 0;
  char* json = NULL;
  size_t json_len = 0;
  CHECK(cflow_request_from_json(&pb, &pb_len, kSeedJson, strlen(kSeedJson)) == CFLOW_OK);
  CHECK(pb != NULL && pb_len > 0);
  CHECK(cflow_request_to_json(&json, &json_len, pb, pb_len) == CFLOW_OK);
  CHECK(json != NULL && strlen(json) == json_len);
  /* The Chinese topic survives both conversions byte for byte. */
  CHECK(strstr(json, "Q3\xe6\x96\xb0\xe5\x93\x81") != NULL);
  CHECK(strstr(json, "d-sales") != NULL);
  cflow_free(pb);
  cflow_free(json);
  return 1;
}

static int test_invalid_json_sets_last_error_and_leaves_outputs(void) {
  uint8_t* pb = (uint8_t*)0x1; /* must stay untouched on failure */
  size_t pb_len = 77;
  static const char bad[] = "{\"topic\": ";
  CHECK(cflow_request_from_json(&pb, &pb_len, bad, strlen(bad)) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_last_error_code() == CFLOW_INVALID_ARGUMENT);
  CHECK(strlen(cflow_last_error()) > 0);
  CHECK(pb == (uint8_t*)0x1 && pb_len == 77);
  return 1;
}

static int test_invalid_request_names_the_field(void) {
  uint8_t* pb = NULL;
  size_t pb_len = 0;
  static const char no_receivers[] =
      "{\"id\":\"R\",\"version\":1,\"topic\":\"t\",\"goal\":\"g\",\"initiator_id\":\"p\","
      "\"final_deadline\":{\"year\":2026,\"month\":9,\"day\":20}}";
  CHECK(cflow_request_from_json(&pb, &pb_len, no_receivers, strlen(no_receivers)) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "receivers") != NULL);
  return 1;
}

static int test_null_pointers_are_refused(void) {
  uint8_t* pb = NULL;
  size_t pb_len = 0;
  char* json = NULL;
  CHECK(cflow_request_from_json(NULL, &pb_len, kSeedJson, strlen(kSeedJson)) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_request_from_json(&pb, NULL, kSeedJson, strlen(kSeedJson)) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_request_from_json(&pb, &pb_len, NULL, 5) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_request_to_json(&json, &pb_len, NULL, 3) == CFLOW_INVALID_ARGUMENT);
  CHECK(pb == NULL && json == NULL);
  return 1;
}

static int test_invalid_utf8_is_refused(void) {
  uint8_t* pb = NULL;
  size_t pb_len = 0;
  static const char bad[] = "{\"topic\":\"\xc3\x28\"}";
  CHECK(cflow_request_from_json(&pb, &pb_len, bad, strlen(bad)) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "UTF-8") != NULL);
  return 1;
}

static int test_garbage_protobuf_is_refused(void) {
  char* json = NULL;
  size_t len = 0;
  static const uint8_t garbage[] = {0xff, 0xff, 0xff, 0xff, 0x0f};
  CHECK(cflow_request_to_json(&json, &len, garbage, sizeof garbage) == CFLOW_INVALID_ARGUMENT);
  CHECK(json == NULL);
  return 1;
}

static int test_free_accepts_null(void) {
  cflow_free(NULL);
  return 1;
}

int main(void) {
  RUN(test_version_matches_header);
  RUN(test_status_names_are_fixed);
  RUN(test_request_round_trips_through_protobuf);
  RUN(test_invalid_json_sets_last_error_and_leaves_outputs);
  RUN(test_invalid_request_names_the_field);
  RUN(test_null_pointers_are_refused);
  RUN(test_invalid_utf8_is_refused);
  RUN(test_garbage_protobuf_is_refused);
  RUN(test_free_accepts_null);
  printf("%d passed, %d failed\n", g_passed, g_failed);
  return g_failed == 0 ? 0 : 1;
}
