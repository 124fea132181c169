/* The engine through the C ABI alone, from C: steps 1 and 2 of the seed
 * scenario, and misuse answered rather than crashed on. Built as C99 and C11
 * with -Wall -Wextra -pedantic -Werror. Prints "N passed, N failed". */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_check.h"
#include "capi_seed.h"

static int test_seed_scenario_through_plan(void) {
  cflow_engine* e = NULL;
  uint8_t* out = NULL;
  size_t len = 0;
  size_t events = -1;
  CHECK(open_seeded(&e, kSeedSubmitted));
  CHECK(request_has(e, "REQUEST_STATE_SUBMITTED"));
  CHECK(execute(e, kMarketAccepts) == CFLOW_OK);
  CHECK(execute(e, kSalesAccepts) == CFLOW_OK);
  CHECK(request_has(e, "REQUEST_STATE_CONFIRMED"));
  CHECK(execute(e, kPublish) == CFLOW_OK);
  CHECK(request_has(e, "REQUEST_STATE_PLANNED"));
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
  CHECK(open_seeded(&e, kSeedDirectory));
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
  uint8_t* out = NULL;
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

/* The number of events in the journal, or -1. */
static int event_count(cflow_engine* e) {
  uint8_t* out = NULL;
  size_t len = 0;
  int n = 0;
  const char* p;
  if (cflow_engine_events(&out, &len, e, CFLOW_FORMAT_JSON, 0, 1000) != CFLOW_OK) return -1;
  for (p = (const char*)out; (p = strstr(p, "\"hash\"")) != NULL; ++p) ++n;
  cflow_free(out);
  return n;
}

static int test_closed_handle_is_refused_by_every_function(void) {
  cflow_engine* e = NULL;
  uint8_t* out = (uint8_t*)0x1;
  size_t len = 77;
  size_t events = 77;
  CHECK(cflow_engine_open(&e, NULL) == CFLOW_OK);
  cflow_engine_close(e);
  CHECK(cflow_engine_execute(&out, &len, e, CFLOW_FORMAT_JSON, kSubmit, strlen(kSubmit)) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_get_request(&out, &len, e, CFLOW_FORMAT_JSON, "R") == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_schedule(&out, &len, e, CFLOW_FORMAT_JSON, "R") == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_must_do(&out, &len, e, CFLOW_FORMAT_JSON, "p-li", 0) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_overdue(&out, &len, e, CFLOW_FORMAT_JSON, 0) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_tick(&events, e, 1789000000000000LL) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_outbox_read(&out, &len, e, CFLOW_FORMAT_JSON, 0, 10) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_outbox_ack(e, 0) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_events(&out, &len, e, CFLOW_FORMAT_JSON, 0, 10) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_state(&out, &len, e, CFLOW_FORMAT_JSON) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "closed") != NULL);
  /* A pointer that never was an engine (here: an options handle) likewise. */
  {
    cflow_options* options = NULL;
    CHECK(cflow_options_new(&options) == CFLOW_OK);
    CHECK(cflow_engine_state(&out, &len, (cflow_engine*)options, CFLOW_FORMAT_JSON) ==
          CFLOW_INVALID_ARGUMENT);
    cflow_engine_close((cflow_engine*)options); /* ignored: not an engine */
    CHECK(cflow_options_set_host_actor(options, "admin") == CFLOW_OK);
    cflow_options_free(options);
  }
  CHECK(out == (uint8_t*)0x1 && len == 77 && events == 77);
  return 1;
}

static int test_null_arguments_are_refused_by_every_query(void) {
  cflow_engine* e = NULL;
  uint8_t* out = NULL;
  size_t len = 0;
  CHECK(open_seeded(&e, kSeedDirectory));
  CHECK(cflow_engine_execute(&out, NULL, e, CFLOW_FORMAT_JSON, kCreate, strlen(kCreate)) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(!request_has(e, "REQ")); /* refused before executing: not created */
  CHECK(cflow_engine_get_request(NULL, &len, e, CFLOW_FORMAT_JSON, "R") == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_schedule(&out, &len, e, CFLOW_FORMAT_JSON, NULL) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_must_do(&out, &len, e, CFLOW_FORMAT_JSON, NULL, 0) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_overdue(&out, NULL, e, CFLOW_FORMAT_JSON, 0) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_outbox_read(NULL, &len, e, CFLOW_FORMAT_JSON, 0, 10) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_events(&out, NULL, e, CFLOW_FORMAT_JSON, 0, 10) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_state(NULL, NULL, e, CFLOW_FORMAT_JSON) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_tick(NULL, NULL, 0) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_tick(NULL, e, 1789000000000000LL) == CFLOW_OK); /* out_events is optional */
  CHECK(out == NULL);
  cflow_engine_close(e);
  return 1;
}

static int test_unknown_format_is_refused_by_every_query(void) {
  cflow_engine* e = NULL;
  uint8_t* out = NULL;
  size_t len = 0;
  CHECK(open_seeded(&e, kSeedDirectory));
  CHECK(cflow_engine_execute(&out, &len, e, -1, kCreate, strlen(kCreate)) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(execute(e, kCreate) == CFLOW_OK);
  CHECK(cflow_engine_get_request(&out, &len, e, 2, "REQ-Q3-LAUNCH") == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "format") != NULL);
  CHECK(cflow_engine_schedule(&out, &len, e, 7, "REQ-Q3-LAUNCH") == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_must_do(&out, &len, e, 7, "p-li", 0) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_overdue(&out, &len, e, 7, 0) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_outbox_read(&out, &len, e, 7, 0, 10) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_events(&out, &len, e, 7, 0, 10) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_state(&out, &len, e, 7) == CFLOW_INVALID_ARGUMENT);
  CHECK(out == NULL);
  cflow_engine_close(e);
  return 1;
}

static int test_unknown_enum_values_in_commands_are_refused(void) {
  cflow_engine* e = NULL;
  uint8_t* out = NULL;
  size_t len = 0;
  static const char by_number[] =
      "{\"actor_id\":\"p-li\",\"request_id\":\"REQ-Q3-LAUNCH\",\"respond\":{\"response\":{"
      "\"receiver_id\":\"market\",\"decision\":99}}}";
  static const char by_name[] =
      "{\"actor_id\":\"p-li\",\"request_id\":\"REQ-Q3-LAUNCH\",\"respond\":{\"response\":{"
      "\"receiver_id\":\"market\",\"decision\":\"DECISION_MAYBE\"}}}";
  /* Command{respond: {response: {decision: 99}}} as protobuf: field 13
   * (RespondToRequest) > field 1 (ReceiverResponse) > field 8 = 99. */
  static const unsigned char pb[] = {0x6a, 0x04, 0x0a, 0x02, 0x40, 0x63};
  CHECK(open_seeded(&e, kSeedSubmitted));
  CHECK(execute(e, by_number) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "decision") != NULL);
  CHECK(strstr(cflow_last_error(), "99") != NULL);
  CHECK(execute(e, by_name) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_execute(&out, &len, e, CFLOW_FORMAT_PROTOBUF, pb, sizeof pb) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "decision") != NULL);
  CHECK(out == NULL);
  CHECK(!request_has(e, "DECISION_")); /* nothing was recorded */
  cflow_engine_close(e);
  return 1;
}

static int test_malformed_protobuf_commands_are_refused(void) {
  cflow_engine* e = NULL;
  uint8_t* out = NULL;
  size_t len = 0;
  /* Command{actor_id: "\xc3\x28"}: a string that is not UTF-8. */
  static const unsigned char bad_utf8[] = {0x0a, 0x02, 0xc3, 0x28};
  /* Field 999 (varint 1): not in this library's schema. */
  static const unsigned char unknown_field[] = {0xb8, 0x3e, 0x01};
  /* A length-delimited field that claims more bytes than there are. */
  static const unsigned char truncated[] = {0x0a, 0x7f, 'p'};
  CHECK(open_seeded(&e, kSeedDirectory));
  CHECK(cflow_engine_execute(&out, &len, e, CFLOW_FORMAT_PROTOBUF, bad_utf8, sizeof bad_utf8) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_execute(&out, &len, e, CFLOW_FORMAT_PROTOBUF, unknown_field,
                             sizeof unknown_field) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "999") != NULL);
  CHECK(cflow_engine_execute(&out, &len, e, CFLOW_FORMAT_PROTOBUF, truncated, sizeof truncated) ==
        CFLOW_INVALID_ARGUMENT);
  /* An empty command (no actor, no payload) is an answer too. */
  CHECK(cflow_engine_execute(&out, &len, e, CFLOW_FORMAT_PROTOBUF, NULL, 0) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_execute(&out, &len, e, CFLOW_FORMAT_JSON, "{}", 2) == CFLOW_INVALID_ARGUMENT);
  CHECK(out == NULL);
  CHECK(event_count(e) == 1);
  cflow_engine_close(e);
  return 1;
}

static int test_invalid_json_commands_are_refused(void) {
  cflow_engine* e = NULL;
  static const char unknown_field[] =
      "{\"actor_id\":\"p-zhang\",\"request_id\":\"R\",\"submit_request\":{},\"colour\":1}";
  static const char wrong_type[] =
      "{\"actor_id\":\"p-zhang\",\"request_id\":\"R\",\"submit_request\":[]}";
  static const char two_payloads[] =
      "{\"actor_id\":\"p-zhang\",\"request_id\":\"R\",\"submit_request\":{},\"cancel\":{}}";
  static const char bad_time[] =
      "{\"actor_id\":\"p-zhang\",\"time\":\"yesterday\",\"request_id\":\"R\","
      "\"submit_request\":{}}";
  static const char far_future[] =
      "{\"actor_id\":\"p-zhang\",\"time\":\"9999-12-31T00:00:00Z\",\"request_id\":\"R\","
      "\"submit_request\":{}}";
  static const char nul_inside[] = "{\"actor_id\":\"p-z\0hang\"}";
  CHECK(open_seeded(&e, kSeedDirectory));
  CHECK(execute(e, unknown_field) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "colour") != NULL);
  CHECK(execute(e, wrong_type) == CFLOW_INVALID_ARGUMENT);
  CHECK(execute(e, two_payloads) == CFLOW_INVALID_ARGUMENT);
  CHECK(execute(e, bad_time) == CFLOW_INVALID_ARGUMENT);
  CHECK(execute(e, far_future) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "time") != NULL);
  {
    uint8_t* out = NULL;
    size_t len = 0;
    CHECK(cflow_engine_execute(&out, &len, e, CFLOW_FORMAT_JSON, nul_inside,
                               sizeof nul_inside - 1) == CFLOW_INVALID_ARGUMENT);
  }
  CHECK(event_count(e) == 1);
  cflow_engine_close(e);
  return 1;
}

static int test_overflowing_lengths_are_refused(void) {
  cflow_engine* e = NULL;
  uint8_t* out = (uint8_t*)0x1;
  size_t len = 77;
  CHECK(open_seeded(&e, kSeedDirectory));
  /* kSubmit is short; SIZE_MAX must be refused before anything is read. */
  CHECK(cflow_engine_execute(&out, &len, e, CFLOW_FORMAT_JSON, kSubmit, SIZE_MAX) ==
        CFLOW_RESOURCE_EXHAUSTED);
  CHECK(cflow_engine_execute(&out, &len, e, CFLOW_FORMAT_PROTOBUF, kSubmit, SIZE_MAX) ==
        CFLOW_RESOURCE_EXHAUSTED);
  CHECK(cflow_engine_execute(&out, &len, e, CFLOW_FORMAT_JSON, kSubmit,
                             CFLOW_MAX_INPUT_BYTES + 1) == CFLOW_RESOURCE_EXHAUSTED);
  CHECK(strstr(cflow_last_error(), "limit") != NULL);
  CHECK(out == (uint8_t*)0x1 && len == 77);
  /* Huge counts are clamped by the data, not trusted. */
  CHECK(cflow_engine_events(&out, &len, e, CFLOW_FORMAT_JSON, 0, SIZE_MAX) == CFLOW_OK);
  cflow_free(out);
  CHECK(cflow_engine_outbox_read(&out, &len, e, CFLOW_FORMAT_JSON, UINT64_MAX, SIZE_MAX) ==
        CFLOW_OK);
  CHECK(strcmp((const char*)out, "{}") == 0);
  cflow_free(out);
  CHECK(cflow_engine_outbox_ack(e, UINT64_MAX) == CFLOW_OUT_OF_RANGE);
  /* One engine writes this store: nothing to catch up on, and no position
   * beyond its last to wait for. */
  CHECK(cflow_engine_catch_up(e, 0) == CFLOW_OK);
  CHECK(cflow_engine_catch_up(e, UINT64_MAX) == CFLOW_OUT_OF_RANGE);
  CHECK(strstr(cflow_last_error(), "beyond the last") != NULL);
  CHECK(cflow_engine_catch_up(NULL, 0) == CFLOW_INVALID_ARGUMENT);
  cflow_engine_close(e);
  return 1;
}

static int test_times_outside_the_supported_years_are_refused(void) {
  cflow_engine* e = NULL;
  uint8_t* out = NULL;
  size_t len = 0;
  size_t events = 77;
  int before;
  CHECK(open_seeded(&e, kSeedSubmitted));
  before = event_count(e);
  CHECK(before > 0);
  CHECK(cflow_engine_tick(&events, e, INT64_MAX) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "now_unix_micros") != NULL);
  CHECK(cflow_engine_tick(&events, e, INT64_MIN) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_tick(&events, e, -1) == CFLOW_INVALID_ARGUMENT); /* 1969 */
  CHECK(events == 77 && event_count(e) == before);
  /* Queries at any instant are harmless: nothing is stored. */
  CHECK(cflow_engine_overdue(&out, &len, e, CFLOW_FORMAT_JSON, INT64_MAX) == CFLOW_OK);
  CHECK(strstr((const char*)out, "REQ-Q3-LAUNCH") != NULL);
  cflow_free(out);
  CHECK(cflow_engine_must_do(&out, &len, e, CFLOW_FORMAT_PROTOBUF, "p-li", INT64_MIN) == CFLOW_OK);
  cflow_free(out);
  cflow_engine_close(e);
  return 1;
}

static int test_invalid_utf8_text_arguments_are_refused(void) {
  cflow_engine* e = NULL;
  cflow_options* options = NULL;
  uint8_t* out = NULL;
  size_t len = 0;
  static const char bad[] = "p-\xc3\x28";
  CHECK(open_seeded(&e, kSeedDirectory));
  CHECK(cflow_engine_get_request(&out, &len, e, CFLOW_FORMAT_JSON, bad) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "UTF-8") != NULL);
  CHECK(cflow_engine_schedule(&out, &len, e, CFLOW_FORMAT_JSON, bad) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_must_do(&out, &len, e, CFLOW_FORMAT_JSON, bad, 0) == CFLOW_INVALID_ARGUMENT);
  /* Well-formed but unknown is NOT_FOUND, which is a different answer. */
  CHECK(cflow_engine_must_do(&out, &len, e, CFLOW_FORMAT_JSON, "p-nobody", 0) == CFLOW_NOT_FOUND);
  CHECK(cflow_engine_get_request(&out, &len, e, CFLOW_FORMAT_JSON, "REQ-NONE") == CFLOW_NOT_FOUND);
  CHECK(out == NULL);
  CHECK(cflow_options_new(&options) == CFLOW_OK);
  CHECK(cflow_options_set_store_dir(options, "/tmp/\xff") == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_options_set_host_actor(options, bad) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_options_set_host_actor(options, "") == CFLOW_INVALID_ARGUMENT);
  cflow_options_free(options);
  cflow_engine_close(e);
  return 1;
}

static int test_freed_options_are_refused(void) {
  cflow_options* options = NULL;
  cflow_engine* e = (cflow_engine*)0x1;
  CHECK(cflow_options_new(NULL) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_options_new(&options) == CFLOW_OK);
  cflow_options_free(options);
  CHECK(cflow_options_set_store_dir(options, NULL) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "options") != NULL);
  CHECK(cflow_options_set_durability(options, CFLOW_DURABILITY_NO_SYNC) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_options_set_host_actor(options, "admin") == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_options_set_request_cache_bytes(options, 1) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_open(&e, options) == CFLOW_INVALID_ARGUMENT);
  CHECK(e == (cflow_engine*)0x1);
  cflow_options_free(options); /* a second free is ignored */
  CHECK(cflow_options_set_durability(NULL, CFLOW_DURABILITY_NO_SYNC) == CFLOW_INVALID_ARGUMENT);
  return 1;
}

static int test_commands_dated_back_beyond_the_clock_tolerance_are_refused(void) {
  /* kSalesAccepts is dated 04:00Z; the market's answer an hour earlier. */
  static const char market_an_hour_before[] =
      "{\"actor_id\":\"p-li\",\"time\":\"2026-08-31T03:00:00Z\",\"request_id\":\"REQ-Q3-LAUNCH\","
      "\"respond\":{\"response\":{\"receiver_id\":\"market\",\"timing_accepted\":true,"
      "\"decision\":\"DECISION_ACCEPT\"}}}";
  cflow_options* options = NULL;
  cflow_engine* e = NULL;
  int i;
  CHECK(cflow_options_new(&options) == CFLOW_OK);
  CHECK(cflow_options_set_clock_tolerance(options, -1) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_options_set_clock_tolerance(NULL, 0) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_options_set_clock_tolerance(options, 3600000000LL) == CFLOW_OK); /* an hour */
  CHECK(cflow_engine_open(&e, options) == CFLOW_OK);
  for (i = 0; i < kSeedSubmitted; ++i) CHECK(execute(e, kSeedSteps[i]) == CFLOW_OK);
  CHECK(execute(e, kSalesAccepts) == CFLOW_OK);
  CHECK(execute(e, market_an_hour_before) == CFLOW_OK); /* within the hour */
  cflow_engine_close(e);
  /* The default, 5 minutes: an hour back is refused, naming both times. */
  CHECK(cflow_engine_open(&e, NULL) == CFLOW_OK);
  for (i = 0; i < kSeedSubmitted; ++i) CHECK(execute(e, kSeedSteps[i]) == CFLOW_OK);
  CHECK(execute(e, kSalesAccepts) == CFLOW_OK);
  CHECK(execute(e, market_an_hour_before) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "2026-08-31 11:00:00 +08:00") != NULL);
  CHECK(strstr(cflow_last_error(), "2026-08-31 12:00:00 +08:00") != NULL);
  cflow_engine_close(e);
  cflow_options_free(options);
  return 1;
}

static int test_store_directory_problems_are_answered(void) {
  cflow_options* options = NULL;
  cflow_engine* e = NULL;
  cflow_engine* second = NULL;
  char file[64];
  char dir[64];
  FILE* f;
  cflow_status s;
  /* Per C standard: the C99 and C11 builds of this test may run in parallel. */
  sprintf(file, "capi_engine_test_%ld.not_a_dir", (long)__STDC_VERSION__);
  sprintf(dir, "capi_engine_test_%ld.store", (long)__STDC_VERSION__);
  f = fopen(file, "w"); /* a regular file where the store directory should be */
  CHECK(f != NULL);
  fputs("not a store", f);
  fclose(f);
  CHECK(cflow_options_new(&options) == CFLOW_OK);
  CHECK(cflow_options_set_durability(options, CFLOW_DURABILITY_NO_SYNC) == CFLOW_OK);
  CHECK(cflow_options_set_store_dir(options, file) == CFLOW_OK);
  s = cflow_engine_open(&e, options);
  CHECK(s != CFLOW_OK && s != CFLOW_INTERNAL && s != CFLOW_UNKNOWN);
  CHECK(e == NULL && strlen(cflow_last_error()) > 0);
  remove(file);
  /* A store belongs to one engine at a time: a second open is refused until
   * the first is closed. */
  CHECK(cflow_options_set_store_dir(options, dir) == CFLOW_OK);
  CHECK(cflow_engine_open(&e, options) == CFLOW_OK);
  CHECK(cflow_engine_open(&second, options) == CFLOW_FAILED_PRECONDITION);
  CHECK(second == NULL);
  cflow_engine_close(e);
  CHECK(cflow_engine_open(&second, options) == CFLOW_OK);
  cflow_engine_close(second);
  cflow_options_free(options);
  return 1;
}

/* A PostgreSQL store: the URI is checked here; the open loads the module
 * from beside the library and, with no server on that socket, is refused at
 * once with CFLOW_UNAVAILABLE naming where it looked. */
static int test_postgres_store_uri_is_checked_and_reaches_the_module(void) {
  cflow_options* options = NULL;
  cflow_engine* e = NULL;
  CHECK(cflow_options_new(&options) == CFLOW_OK);
  CHECK(cflow_options_set_store_uri(options, NULL) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_options_set_store_uri(options, "/var/lib/collabflow") == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "PostgreSQL URI") != NULL);
  CHECK(cflow_options_set_store_uri(NULL, "postgresql:///db") == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_options_set_store_timeouts(options, 0, 1000) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_options_set_store_timeouts(options, 2, 0) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_options_set_store_timeouts(NULL, 2, 500) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_options_set_store_timeouts(options, 2, 500) == CFLOW_OK);
  CHECK(cflow_options_set_store_uri(options, "postgresql:///db?host=/nonexistent-cflow-sockets") ==
        CFLOW_OK);
  CHECK(cflow_engine_open(&e, options) == CFLOW_UNAVAILABLE);
  CHECK(e == NULL);
  CHECK(strstr(cflow_last_error(), "/nonexistent-cflow-sockets") != NULL);
  cflow_options_free(options);
  return 1;
}

int main(void) {
  RUN(test_seed_scenario_through_plan);
  RUN(test_refusals_carry_codes_and_messages);
  RUN(test_misuse_is_answered_not_crashed_on);
  RUN(test_closed_handle_is_refused_by_every_function);
  RUN(test_null_arguments_are_refused_by_every_query);
  RUN(test_unknown_format_is_refused_by_every_query);
  RUN(test_unknown_enum_values_in_commands_are_refused);
  RUN(test_malformed_protobuf_commands_are_refused);
  RUN(test_invalid_json_commands_are_refused);
  RUN(test_overflowing_lengths_are_refused);
  RUN(test_times_outside_the_supported_years_are_refused);
  RUN(test_invalid_utf8_text_arguments_are_refused);
  RUN(test_freed_options_are_refused);
  RUN(test_store_directory_problems_are_answered);
  RUN(test_commands_dated_back_beyond_the_clock_tolerance_are_refused);
  RUN(test_postgres_store_uri_is_checked_and_reaches_the_module);
  return C_CHECK_SUMMARY();
}
