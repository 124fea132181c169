/* The whole process through the C ABI alone, with JSON commands (every step
 * of the seed request goes through cflow_engine_execute(): answered,
 * planned, started, reported on, blocked and unblocked, delivered and
 * reviewed, accepted and archived), the same end state after a replay of the
 * store, and refusals of malformed commands naming the field. Compiled as
 * C99 and C11 with -Wall -Wextra -pedantic -Werror. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_check.h"
#include "capi_seed.h"
#include "capi_store.h"
#include "collabflow.h"

#define REQ "\"request_id\":\"REQ-Q3-LAUNCH\","
#define SHA "\"sha256\":\"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08\""

/* Steps 1..5 after kCreate and kSubmit (capi_seed.h), in order. */
static const char* const kProcess[] = {
    /* 1: both receivers accept; market takes on a duty. */
    "{\"actor_id\":\"p-li\",\"time\":\"2026-08-31T03:00:00Z\"," REQ
    "\"respond\":{\"response\":{\"receiver_id\":\"market\",\"duties\":[\"plan writing\"],"
    "\"timing_accepted\":true,\"decision\":\"DECISION_ACCEPT\","
    "\"comment\":\"\xe5\xb8\x82\xe5\x9c\xba\xe9\x83\xa8\"}}}",
    "{\"actor_id\":\"p-zhao\",\"time\":\"2026-08-31T04:00:00Z\"," REQ
    "\"respond\":{\"response\":{\"receiver_id\":\"sales\",\"timing_accepted\":true,"
    "\"decision\":\"DECISION_ACCEPT\"}}}",
    /* 2: the plan: T1 (sales, with a delivery standard), then T2 (the owner). */
    "{\"actor_id\":\"p-li\",\"time\":\"2026-09-01T02:00:00Z\"," REQ
    "\"publish_plan\":{\"plan\":{\"tasks\":["
    "{\"id\":\"T1\",\"name\":\"data\",\"assignee\":{\"department_id\":\"d-sales\"},"
    "\"duration_days\":2,\"delivery_standard\":[\"all regions\"]},"
    "{\"id\":\"T2\",\"name\":\"plan\",\"assignee\":{\"person_id\":\"p-li\"},\"duration_days\":4,"
    "\"predecessors\":[{\"predecessor_id\":\"T1\",\"type\":\"DEPENDENCY_TYPE_FINISH_TO_START\"}],"
    "\"serves\":[{\"milestone_id\":\"final\"},{\"goal\":true}]}]}}}",
    /* 4: T1 started, reported on, blocked and unblocked. */
    "{\"actor_id\":\"p-zhao\",\"time\":\"2026-09-02T01:00:00Z\"," REQ
    "\"start_task\":{\"task_id\":\"T1\"}}",
    "{\"actor_id\":\"p-zhao\",\"time\":\"2026-09-02T02:00:00Z\"," REQ
    "\"report_progress\":{\"report\":{\"task_id\":\"T1\",\"percent_complete\":40,"
    "\"work_done\":\"north done\",\"work_not_done\":\"south\",\"reason\":\"interface problem\"}}}",
    "{\"actor_id\":\"p-zhao\",\"time\":\"2026-09-02T02:00:00Z\"," REQ
    "\"raise_risk\":{\"risk\":{\"task_id\":\"T1\",\"type\":\"RISK_TYPE_DELAY\","
    "\"severity\":\"SEVERITY_HIGH\",\"description\":\"CRM export broken\",\"blocker\":true}}}",
    "{\"actor_id\":\"p-li\",\"time\":\"2026-09-02T03:00:00Z\"," REQ
    "\"resolve_risk\":{\"risk_id\":\"risk-1\",\"resolution\":\"IT fixed it\"}}",
    /* 5: T1 delivered and passed; T2 likewise; the final acceptance. */
    "{\"actor_id\":\"p-zhao\",\"time\":\"2026-09-03T02:00:00Z\"," REQ
    "\"submit_deliverables\":{\"task_id\":\"T1\",\"deliverables\":[{\"title\":\"customer data\","
    "\"uri\":\"https://files.example/d.xlsx\"," SHA ",\"size_bytes\":\"1024\"}]}}",
    "{\"actor_id\":\"p-li\",\"time\":\"2026-09-03T06:00:00Z\"," REQ
    "\"review_submission\":{\"task_id\":\"T1\",\"verdict\":\"VERDICT_PASS\",\"accurate\":true,"
    "\"items_met\":[\"all regions\"]}}",
    "{\"actor_id\":\"p-li\",\"time\":\"2026-09-04T02:00:00Z\"," REQ
    "\"start_task\":{\"task_id\":\"T2\"}}",
    "{\"actor_id\":\"p-li\",\"time\":\"2026-09-04T06:00:00Z\"," REQ
    "\"submit_deliverables\":{\"task_id\":\"T2\",\"note\":\"draft\",\"deliverables\":["
    "{\"title\":\"plan\",\"uri\":\"https://files.example/plan.docx\"," SHA "}]}}",
    "{\"actor_id\":\"p-li\",\"time\":\"2026-09-07T02:00:00Z\"," REQ
    "\"review_submission\":{\"task_id\":\"T2\",\"verdict\":\"VERDICT_PASS\",\"accurate\":true}}",
    "{\"actor_id\":\"p-li\",\"time\":\"2026-09-07T06:00:00Z\"," REQ
    "\"submit_final\":{\"deliverables\":[{\"title\":\"final plan\","
    "\"uri\":\"https://files.example/final.pdf\"," SHA ",\"size_bytes\":\"4096\"}]}}",
    "{\"actor_id\":\"p-zhang\",\"time\":\"2026-09-08T02:00:00Z\"," REQ
    "\"review_final\":{\"verdict\":\"VERDICT_PASS\",\"comment\":\"ok\"}}",
    "{\"actor_id\":\"p-li\",\"time\":\"2026-09-08T03:00:00Z\"," REQ "\"archive_request\":{}}"};

/* What the request view must show after each step of kProcess. */
static const char* const kAfter[] = {"REQUEST_STATE_SUBMITTED", "plan writing",
                                     "REQUEST_STATE_CONFIRMED", "REQUEST_STATE_PLANNED",
                                     "TASK_STATE_IN_PROGRESS",  "interface problem",
                                     "TASK_STATE_BLOCKED",      "IT fixed it",
                                     "TASK_STATE_SUBMITTED",    "TASK_STATE_DONE",
                                     "TASK_STATE_IN_PROGRESS",  "TASK_STATE_SUBMITTED",
                                     "TASK_STATE_DONE",         "\"final_submission\"",
                                     "REQUEST_STATE_ACCEPTED",  "REQUEST_STATE_ARCHIVED"};

/* The directory, the request filed and submitted, then every step of
 * kProcess, checking the request view after each. Returns 1 on success. */
static int drive(cflow_engine* e) {
  size_t i;
  CHECK(sizeof kProcess / sizeof kProcess[0] + 1 == sizeof kAfter / sizeof kAfter[0]);
  CHECK(seed(e, kSeedSubmitted));
  CHECK(request_has(e, kAfter[0]));
  for (i = 0; i < sizeof kProcess / sizeof kProcess[0]; ++i) {
    if (execute(e, kProcess[i]) != CFLOW_OK || !request_has(e, kAfter[i + 1])) {
      fprintf(stderr, "step %d (expecting %s): %s\n", (int)i, kAfter[i + 1], cflow_last_error());
      return 0;
    }
    if (i == 8) CHECK(request_has(e, "TASK_STATE_READY")); /* T2, once T1 is done: the ready set */
  }
  CHECK(!request_has(e, "TASK_STATE_BLOCKED"));
  return 1;
}

static int test_seed_process_runs_to_the_archive_on_json_commands(void) {
  cflow_engine* e = NULL;
  CHECK(cflow_engine_open(&e, NULL) == CFLOW_OK);
  CHECK(drive(e));
  /* Read-only afterwards: a further command is refused. */
  CHECK(execute(e, kProcess[3]) == CFLOW_FAILED_PRECONDITION);
  cflow_engine_close(e);
  return 1;
}

/* The process on a store, closed and opened again (the state replayed from
 * the journal), ends in the very state of the same commands in memory. */
static int test_replayed_process_ends_in_the_same_state(void) {
  char dir[64];
  cflow_options* options = NULL;
  cflow_engine* memory = NULL;
  cflow_engine* stored = NULL;
  uint8_t* a = NULL;
  uint8_t* b = NULL;
  size_t a_len = 0, b_len = 0;
  int same;
  CHECK(new_store(dir, "/tmp/cflow_process_XXXXXX", &options));
  CHECK(cflow_engine_open(&stored, options) == CFLOW_OK);
  CHECK(drive(stored));
  cflow_engine_close(stored);
  CHECK(cflow_engine_open(&stored, options) == CFLOW_OK);
  cflow_options_free(options);
  CHECK(cflow_engine_open(&memory, NULL) == CFLOW_OK);
  CHECK(drive(memory));
  CHECK(cflow_engine_state(&a, &a_len, memory, CFLOW_FORMAT_PROTOBUF) == CFLOW_OK);
  CHECK(cflow_engine_state(&b, &b_len, stored, CFLOW_FORMAT_PROTOBUF) == CFLOW_OK);
  same = same_bytes_freed(a, a_len, b, b_len) && a_len > 0;
  CHECK(cflow_engine_verify_history(stored) == CFLOW_OK);
  cflow_engine_close(memory);
  cflow_engine_close(stored);
  remove_store(dir);
  CHECK(same);
  return 1;
}

static int test_counter_proposal_and_decline_are_recorded(void) {
  static const char counter[] =
      "{\"actor_id\":\"p-zhao\",\"time\":\"2026-08-31T03:00:00Z\"," REQ
      "\"respond\":{\"response\":{\"receiver_id\":\"sales\",\"decision\":"
      "\"DECISION_ACCEPT_WITH_CHANGES\",\"counter_proposals\":[{\"milestone_id\":\"final\","
      "\"proposed_date\":{\"year\":2026,\"month\":9,\"day\":20},"
      "\"condition\":\"data 2 days earlier\"}]}}}";
  static const char decline[] =
      "{\"actor_id\":\"p-li\",\"time\":\"2026-08-31T04:00:00Z\"," REQ
      "\"respond\":{\"response\":{\"receiver_id\":\"market\",\"decision\":\"DECISION_DECLINE\","
      "\"comment\":\"no capacity\"}}}";
  cflow_engine* e = NULL;
  CHECK(open_seeded(&e, kSeedSubmitted));
  CHECK(execute(e, counter) == CFLOW_OK);
  CHECK(request_has(e, "data 2 days earlier"));
  CHECK(!request_has(e, "REQUEST_STATE_CONFIRMED"));
  CHECK(execute(e, decline) == CFLOW_OK);
  CHECK(request_has(e, "DECISION_DECLINE"));
  cflow_engine_close(e);
  return 1;
}

static int test_engine_refusals_carry_their_codes(void) {
  static const char outsider_submits[] =
      "{\"actor_id\":\"p-ma\",\"time\":\"2026-08-31T02:00:00Z\"," REQ "\"submit_request\":{}}";
  static const char unknown_request[] =
      "{\"actor_id\":\"p-zhang\",\"time\":\"2026-08-31T02:00:00Z\","
      "\"request_id\":\"REQ-NONE\",\"submit_request\":{}}";
  static const char percent_101[] =
      "{\"actor_id\":\"p-zhao\",\"time\":\"2026-09-02T02:00:00Z\"," REQ
      "\"report_progress\":{\"report\":{\"task_id\":\"T1\",\"percent_complete\":101,"
      "\"work_done\":\"x\"}}}";
  cflow_engine* e = NULL;
  CHECK(open_seeded(&e, kSeedFiled));
  CHECK(execute(e, outsider_submits) == CFLOW_PERMISSION_DENIED); /* only the initiator */
  CHECK(execute(e, unknown_request) == CFLOW_NOT_FOUND);
  CHECK(execute(e, kProcess[2]) == CFLOW_FAILED_PRECONDITION); /* a plan before confirmation */
  CHECK(execute(e, kSubmit) == CFLOW_OK);
  CHECK(execute(e, kProcess[0]) == CFLOW_OK);
  CHECK(execute(e, kProcess[1]) == CFLOW_OK);
  CHECK(execute(e, kProcess[2]) == CFLOW_OK);
  CHECK(execute(e, kProcess[3]) == CFLOW_OK);
  CHECK(execute(e, percent_101) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "percent_complete") != NULL);
  cflow_engine_close(e);
  return 1;
}

/* What the typed builders used to check as they were called, the JSON path
 * checks on execution: each malformed command is refused, naming its field,
 * and changes nothing. */
static int test_malformed_commands_are_refused_naming_the_field(void) {
  static const struct {
    const char* json;
    cflow_status code;
    const char* names;
  } kBad[] = {
      {"{\"actor_id\":\"\"," REQ "\"submit_request\":{}}", CFLOW_INVALID_ARGUMENT, "actor_id"},
      {"{\"actor_id\":\"p\xff\"," REQ "\"submit_request\":{}}", CFLOW_INVALID_ARGUMENT, "UTF-8"},
      {"{\"actor_id\":\"p-zhang\",\"time\":\"2200-01-01T00:00:00Z\"," REQ "\"submit_request\":{}}",
       CFLOW_INVALID_ARGUMENT, "time"},
      {"{\"actor_id\":\"p-li\"," REQ "\"respond\":{\"response\":{\"receiver_id\":\"market\","
       "\"decision\":4}}}",
       CFLOW_INVALID_ARGUMENT, "decision"},
      {"{\"actor_id\":\"p-li\"," REQ "\"respond\":{\"response\":{\"receiver_id\":\"market\","
       "\"decision\":\"DECISION_UNSPECIFIED\"}}}",
       CFLOW_INVALID_ARGUMENT, "decision"},
      {"{\"actor_id\":\"p-zhao\"," REQ "\"respond\":{\"response\":{\"receiver_id\":\"sales\","
       "\"decision\":\"DECISION_ACCEPT_WITH_CHANGES\",\"counter_proposals\":[{\"milestone_id\":"
       "\"final\",\"proposed_date\":{\"year\":2026,\"month\":2,\"day\":30}}]}}}",
       CFLOW_INVALID_ARGUMENT, "proposed_date"},
      {"{\"actor_id\":\"p-li\"," REQ "\"respond\":{\"response\":{\"receiver_id\":\"market\","
       "\"decision\":\"DECISION_ACCEPT\",\"comment\":\"\xed\xa0\x80\"}}}",
       CFLOW_INVALID_ARGUMENT, "UTF-8"}, /* a UTF-16 surrogate is not UTF-8 */
  };
  cflow_engine* e = NULL;
  size_t i;
  uint8_t* before = NULL;
  uint8_t* after = NULL;
  size_t before_len = 0, after_len = 0;
  CHECK(open_seeded(&e, kSeedSubmitted));
  CHECK(cflow_engine_state(&before, &before_len, e, CFLOW_FORMAT_PROTOBUF) == CFLOW_OK);
  for (i = 0; i < sizeof kBad / sizeof kBad[0]; ++i) {
    const cflow_status s = execute(e, kBad[i].json);
    if (s != kBad[i].code || strstr(cflow_last_error(), kBad[i].names) == NULL) {
      fprintf(stderr, "case %d: %s: %s (wanted %s naming %s)\n", (int)i, cflow_status_name(s),
              cflow_last_error(), cflow_status_name(kBad[i].code), kBad[i].names);
      return 0;
    }
  }
  CHECK(cflow_engine_state(&after, &after_len, e, CFLOW_FORMAT_PROTOBUF) == CFLOW_OK);
  CHECK(same_bytes_freed(before, before_len, after, after_len));
  cflow_engine_close(e);
  return 1;
}

static int test_malformed_plans_are_refused_naming_the_field(void) {
  static const struct {
    const char* tasks;
    const char* names;
  } kBad[] = {
      {"{\"id\":\"T1\",\"name\":\"n\",\"assignee\":{\"person_id\":\"p-li\"},\"duration_days\":-1}",
       "duration"},
      {"{\"id\":\"T1\",\"name\":\"n\",\"duration_days\":1}", "assignee"},
      {"{\"id\":\"T1\",\"name\":\"n\\u0000\xff\",\"assignee\":{\"person_id\":\"p-li\"}}", "UTF-8"},
      {"{\"id\":\"T1\",\"name\":\"n\",\"assignee\":{\"person_id\":\"p-li\"},\"duration_days\":1,"
       "\"predecessors\":[{\"predecessor_id\":\"T9\"}]}",
       "T9"},
      {"{\"id\":\"T1\",\"name\":\"n\",\"assignee\":{\"person_id\":\"p-li\"},\"duration_days\":1,"
       "\"predecessors\":[{\"predecessor_id\":\"T0\",\"type\":5}]}",
       "type"},
  };
  cflow_engine* e = NULL;
  char json[1024];
  size_t i;
  CHECK(open_seeded(&e, kSeedSubmitted));
  CHECK(execute(e, kProcess[0]) == CFLOW_OK);
  CHECK(execute(e, kProcess[1]) == CFLOW_OK);
  for (i = 0; i < sizeof kBad / sizeof kBad[0]; ++i) {
    cflow_status s;
    sprintf(json,
            "{\"actor_id\":\"p-li\",\"time\":\"2026-09-01T02:00:00Z\"," REQ
            "\"publish_plan\":{\"acknowledge_omissions\":true,\"plan\":{\"tasks\":[%s]}}}",
            kBad[i].tasks);
    s = execute(e, json);
    if (s != CFLOW_INVALID_ARGUMENT || strstr(cflow_last_error(), kBad[i].names) == NULL) {
      fprintf(stderr, "case %d: %s: %s (wanted INVALID_ARGUMENT naming %s)\n", (int)i,
              cflow_status_name(s), cflow_last_error(), kBad[i].names);
      return 0;
    }
  }
  CHECK(request_has(e, "REQUEST_STATE_CONFIRMED")); /* nothing was published */
  cflow_engine_close(e);
  return 1;
}

int main(void) {
  RUN(test_seed_process_runs_to_the_archive_on_json_commands);
  RUN(test_replayed_process_ends_in_the_same_state);
  RUN(test_counter_proposal_and_decline_are_recorded);
  RUN(test_engine_refusals_carry_their_codes);
  RUN(test_malformed_commands_are_refused_naming_the_field);
  RUN(test_malformed_plans_are_refused_naming_the_field);
  return C_CHECK_SUMMARY();
}
