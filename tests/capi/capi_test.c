/* The C ABI, driven from C alone. Built as C99 and C11 with
 * -Wall -Wextra -pedantic -Werror. Prints "N passed, N failed". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_check.h"

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

static int test_version_check_macro_accepts_this_library(void) {
  CHECK(CFLOW_VERSION_CHECK());
  return 1;
}

/* abidiff cannot see these (they are macros and anonymous enums, not types of
 * a function), so this table is their ABI guard: the values are fixed forever. */
static int test_status_values_and_names_are_fixed(void) {
  static const struct {
    cflow_status code;
    int value;
    const char* name;
  } kFixed[] = {{CFLOW_OK, 0, "OK"},
                {CFLOW_CANCELLED, -1, "CANCELLED"},
                {CFLOW_UNKNOWN, -2, "UNKNOWN"},
                {CFLOW_INVALID_ARGUMENT, -3, "INVALID_ARGUMENT"},
                {CFLOW_DEADLINE_EXCEEDED, -4, "DEADLINE_EXCEEDED"},
                {CFLOW_NOT_FOUND, -5, "NOT_FOUND"},
                {CFLOW_ALREADY_EXISTS, -6, "ALREADY_EXISTS"},
                {CFLOW_PERMISSION_DENIED, -7, "PERMISSION_DENIED"},
                {CFLOW_RESOURCE_EXHAUSTED, -8, "RESOURCE_EXHAUSTED"},
                {CFLOW_FAILED_PRECONDITION, -9, "FAILED_PRECONDITION"},
                {CFLOW_ABORTED, -10, "ABORTED"},
                {CFLOW_OUT_OF_RANGE, -11, "OUT_OF_RANGE"},
                {CFLOW_UNIMPLEMENTED, -12, "UNIMPLEMENTED"},
                {CFLOW_INTERNAL, -13, "INTERNAL"},
                {CFLOW_UNAVAILABLE, -14, "UNAVAILABLE"},
                {CFLOW_DATA_LOSS, -15, "DATA_LOSS"}};
  size_t i;
  for (i = 0; i < sizeof kFixed / sizeof kFixed[0]; ++i) {
    CHECK(kFixed[i].code == kFixed[i].value);
    CHECK(strcmp(cflow_status_name(kFixed[i].code), kFixed[i].name) == 0);
  }
  CHECK(strcmp(cflow_status_name(12345), "UNRECOGNIZED") == 0);
  CHECK(strcmp(cflow_status_name(-16), "UNRECOGNIZED") == 0);
  CHECK(CFLOW_FORMAT_PROTOBUF == 0 && CFLOW_FORMAT_JSON == 1);
  CHECK(CFLOW_DURABILITY_SYNC_EVERY_COMMAND == 0 && CFLOW_DURABILITY_GROUP_COMMIT == 1 &&
        CFLOW_DURABILITY_NO_SYNC == 2);
  CHECK(CFLOW_MAX_INPUT_BYTES == (size_t)1 << 30);
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

/* The bytes are the message's deterministic encoding: the same request gives
 * the same bytes, also after a trip through JSON and back. */
static int test_request_bytes_are_deterministic(void) {
  uint8_t* a = NULL;
  uint8_t* b = NULL;
  char* json = NULL;
  size_t a_len = 0, b_len = 0, json_len = 0;
  CHECK(cflow_request_from_json(&a, &a_len, kSeedJson, strlen(kSeedJson)) == CFLOW_OK);
  CHECK(cflow_request_to_json(&json, &json_len, a, a_len) == CFLOW_OK);
  CHECK(cflow_request_from_json(&b, &b_len, json, json_len) == CFLOW_OK);
  cflow_free(json);
  CHECK(same_bytes_freed(a, a_len, b, b_len));
  return 1;
}

/* Fields this library's schema does not have are refused in either form,
 * as for every entity (collabflow.h, convention 7). */
static int test_unknown_request_fields_are_refused(void) {
  uint8_t* pb = NULL;
  char* json = NULL;
  size_t len = 0;
  char buffer[2048];
  sprintf(buffer, "%.*s,\"colour\":\"red\"}", (int)strlen(kSeedJson) - 1, kSeedJson);
  CHECK(cflow_request_from_json(&pb, &len, buffer, strlen(buffer)) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "colour") != NULL);
  CHECK(cflow_request_from_json(&pb, &len, kSeedJson, strlen(kSeedJson)) == CFLOW_OK);
  {
    /* Field 99 (varint 1) appended to valid bytes. */
    uint8_t* bad = (uint8_t*)malloc(len + 3);
    size_t bad_len = len + 3;
    CHECK(bad != NULL);
    memcpy(bad, pb, len);
    bad[len] = 0x98; /* (99 << 3) | 0, as a two-byte varint */
    bad[len + 1] = 0x06;
    bad[len + 2] = 0x01;
    CHECK(cflow_request_to_json(&json, &len, bad, bad_len) == CFLOW_INVALID_ARGUMENT);
    CHECK(strstr(cflow_last_error(), "99") != NULL);
    free(bad);
  }
  CHECK(json == NULL);
  cflow_free(pb);
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
  size_t json_len = 0;
  CHECK(cflow_request_from_json(NULL, &pb_len, kSeedJson, strlen(kSeedJson)) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_request_from_json(&pb, NULL, kSeedJson, strlen(kSeedJson)) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_request_from_json(&pb, &pb_len, NULL, 5) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_request_to_json(&json, &pb_len, NULL, 3) == CFLOW_INVALID_ARGUMENT);
  CHECK(pb == NULL && json == NULL);
  /* With a valid input, a NULL output is still refused (and nothing leaks). */
  CHECK(cflow_request_from_json(&pb, &pb_len, kSeedJson, strlen(kSeedJson)) == CFLOW_OK);
  CHECK(cflow_request_to_json(NULL, &json_len, pb, pb_len) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_request_to_json(&json, NULL, pb, pb_len) == CFLOW_INVALID_ARGUMENT);
  CHECK(json == NULL);
  cflow_free(pb);
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

static int test_overflowing_lengths_are_refused_before_reading(void) {
  uint8_t* pb = (uint8_t*)0x1;
  char* json = (char*)0x1;
  size_t len = 77;
  /* A 5-byte buffer announced as SIZE_MAX (e.g. a -1 cast by the caller):
   * refused without reading past the 5 bytes (ASan would catch a read). */
  static const char small[] = "{\"a\"";
  CHECK(cflow_request_from_json(&pb, &len, small, SIZE_MAX) == CFLOW_RESOURCE_EXHAUSTED);
  CHECK(strstr(cflow_last_error(), "json") != NULL);
  CHECK(cflow_request_to_json(&json, &len, (const uint8_t*)small, SIZE_MAX) ==
        CFLOW_RESOURCE_EXHAUSTED);
  CHECK(cflow_request_from_json(&pb, &len, small, CFLOW_MAX_INPUT_BYTES + 1) ==
        CFLOW_RESOURCE_EXHAUSTED);
  CHECK(pb == (uint8_t*)0x1 && json == (char*)0x1 && len == 77);
  return 1;
}

static int test_unknown_enum_values_are_refused(void) {
  uint8_t* pb = NULL;
  size_t len = 0;
  char* json = NULL;
  char buffer[2048];
  /* By name: not in the schema. */
  sprintf(buffer, "%.*s,\"priority\":\"PRIORITY_WHENEVER\"}", (int)strlen(kSeedJson) - 1,
          kSeedJson);
  CHECK(cflow_request_from_json(&pb, &len, buffer, strlen(buffer)) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "PRIORITY_WHENEVER") != NULL);
  /* By number: proto3 JSON accepts any int, the library does not. */
  sprintf(buffer, "%.*s,\"priority\":99}", (int)strlen(kSeedJson) - 1, kSeedJson);
  CHECK(cflow_request_from_json(&pb, &len, buffer, strlen(buffer)) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "99") != NULL);
  /* In protobuf bytes: a valid encoding of the seed request with
   * CollaborationRequest.priority (field 10, a varint) = 99 appended. */
  CHECK(cflow_request_from_json(&pb, &len, kSeedJson, strlen(kSeedJson)) == CFLOW_OK);
  {
    uint8_t* bad = (uint8_t*)malloc(len + 2);
    CHECK(bad != NULL);
    memcpy(bad, pb, len);
    bad[len] = (uint8_t)(10 << 3); /* field 10, wire type 0 */
    bad[len + 1] = 99;
    CHECK(cflow_request_to_json(&json, &len, bad, len + 2) == CFLOW_INVALID_ARGUMENT);
    CHECK(json == NULL);
    free(bad);
  }
  cflow_free(pb);
  return 1;
}

static int test_invalid_utf8_in_protobuf_is_refused(void) {
  /* CollaborationRequest{id: "\xc3\x28"}: a string field (1) that is not UTF-8. */
  static const uint8_t bad[] = {0x0a, 0x02, 0xc3, 0x28};
  char* json = NULL;
  size_t len = 0;
  CHECK(cflow_request_to_json(&json, &len, bad, sizeof bad) == CFLOW_INVALID_ARGUMENT);
  CHECK(json == NULL);
  return 1;
}

static int test_empty_input_is_an_answer(void) {
  uint8_t* pb = NULL;
  char* json = NULL;
  size_t len = 0;
  /* NULL with length 0 is an empty input, not a NULL-pointer misuse. */
  CHECK(cflow_request_from_json(&pb, &len, NULL, 0) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "NULL") == NULL);
  /* Empty protobuf bytes are a valid, empty message: an invalid request. */
  CHECK(cflow_request_to_json(&json, &len, NULL, 0) == CFLOW_INVALID_ARGUMENT);
  CHECK(pb == NULL && json == NULL);
  return 1;
}

static int test_last_error_survives_a_successful_call(void) {
  uint8_t* pb = NULL;
  size_t len = 0;
  CHECK(cflow_request_from_json(&pb, &len, "{", 1) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_request_from_json(&pb, &len, kSeedJson, strlen(kSeedJson)) == CFLOW_OK);
  CHECK(cflow_last_error_code() == CFLOW_INVALID_ARGUMENT);
  CHECK(strlen(cflow_last_error()) > 0);
  cflow_free(pb);
  return 1;
}

static int test_free_accepts_null(void) {
  cflow_free(NULL);
  return 1;
}

int main(void) {
  RUN(test_version_matches_header);
  RUN(test_version_check_macro_accepts_this_library);
  RUN(test_status_values_and_names_are_fixed);
  RUN(test_request_round_trips_through_protobuf);
  RUN(test_request_bytes_are_deterministic);
  RUN(test_unknown_request_fields_are_refused);
  RUN(test_invalid_json_sets_last_error_and_leaves_outputs);
  RUN(test_invalid_request_names_the_field);
  RUN(test_null_pointers_are_refused);
  RUN(test_invalid_utf8_is_refused);
  RUN(test_garbage_protobuf_is_refused);
  RUN(test_overflowing_lengths_are_refused_before_reading);
  RUN(test_unknown_enum_values_are_refused);
  RUN(test_invalid_utf8_in_protobuf_is_refused);
  RUN(test_empty_input_is_an_answer);
  RUN(test_last_error_survives_a_successful_call);
  RUN(test_free_accepts_null);
  return C_CHECK_SUMMARY();
}
