/* The typed command helpers through the C ABI alone, compiled as C99 and C11
 * with -Wall -Wextra -pedantic -Werror: the seed request answered, planned,
 * started, reported on, blocked and unblocked, delivered and reviewed with
 * typed commands; the same commands as bytes through cflow_engine_execute()
 * give the same state (one execute path); and every misuse is answered. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_check.h"
#include "capi_seed.h"
#include "collabflow.h"

#define REQ "REQ-Q3-LAUNCH"
/* 2026-08-31T02:00:00Z and later instants of the seed week. */
static const int64_t kAug31At02 = INT64_C(1788141600000000);
static const int64_t kAug31At03 = INT64_C(1788145200000000);
static const int64_t kAug31At04 = INT64_C(1788148800000000);
static const int64_t kSep01At02 = INT64_C(1788228000000000);
static const int64_t kSep02At01 = INT64_C(1788310800000000);
static const int64_t kSep02At02 = INT64_C(1788314400000000);
static const int64_t kSep02At03 = INT64_C(1788318000000000);
static const int64_t kSep03At02 = INT64_C(1788400800000000);
static const int64_t kSep03At06 = INT64_C(1788415200000000);
static const int64_t kSep04At02 = INT64_C(1788487200000000);
static const int64_t kSep04At06 = INT64_C(1788501600000000);
static const int64_t kSep07At02 = INT64_C(1788746400000000);
static const int64_t kSep07At06 = INT64_C(1788760800000000);
static const int64_t kSep08At02 = INT64_C(1788832800000000);
static const char kSha[] = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

/* How a test runs its commands: typed, or as encoded bytes through the
 * generic entry point. */
typedef enum { RUN_TYPED, RUN_AS_BYTES } run_mode;

/* Executes and frees `cmd`; returns the status. */
static cflow_status run(cflow_engine* e, cflow_command* cmd, run_mode mode) {
  void* out = NULL;
  size_t len = 0;
  cflow_status s;
  if (mode == RUN_TYPED) {
    s = cflow_engine_execute_command(&out, &len, e, CFLOW_FORMAT_JSON, cmd);
  } else {
    void* bytes = NULL;
    size_t bytes_len = 0;
    s = cflow_command_encode(&bytes, &bytes_len, cmd, CFLOW_FORMAT_PROTOBUF);
    if (s == CFLOW_OK) {
      s = cflow_engine_execute(&out, &len, e, CFLOW_FORMAT_PROTOBUF, bytes, bytes_len);
    }
    cflow_free(bytes);
  }
  cflow_free(out);
  cflow_command_free(cmd);
  return s;
}

static int has_text(cflow_engine* e, const char* needle) {
  void* out = NULL;
  size_t len = 0;
  int found;
  if (cflow_engine_get_request(&out, &len, e, CFLOW_FORMAT_JSON, REQ) != CFLOW_OK) return 0;
  found = strstr((const char*)out, needle) != NULL;
  cflow_free(out);
  return found;
}

/* The seed request filed (JSON) and then driven with typed commands to a
 * reviewed first task. Returns 1 on success. */
static int drive(cflow_engine* e, run_mode mode) {
  cflow_command* c = NULL;
  CHECK(execute(e, kDirectory) == CFLOW_OK);
  CHECK(execute(e, kCreate) == CFLOW_OK);
  CHECK(cflow_command_submit_request(&c, "p-zhang", kAug31At02, REQ) == CFLOW_OK);
  CHECK(run(e, c, mode) == CFLOW_OK);
  CHECK(cflow_command_respond(&c, "p-li", kAug31At03, REQ, "market", CFLOW_DECISION_ACCEPT,
                              "\xe5\xb8\x82\xe5\x9c\xba\xe9\x83\xa8") == CFLOW_OK);
  CHECK(cflow_command_add_duty(c, "plan writing") == CFLOW_OK);
  CHECK(run(e, c, mode) == CFLOW_OK);
  CHECK(cflow_command_respond(&c, "p-zhao", kAug31At04, REQ, "sales", CFLOW_DECISION_ACCEPT,
                              NULL) == CFLOW_OK);
  CHECK(run(e, c, mode) == CFLOW_OK);
  CHECK(has_text(e, "REQUEST_STATE_CONFIRMED"));

  CHECK(cflow_command_publish_plan(&c, "p-li", kSep01At02, REQ, 0) == CFLOW_OK);
  CHECK(cflow_command_add_task(c, "T1", "data", CFLOW_PARTY_DEPARTMENT, "d-sales", 2) == CFLOW_OK);
  CHECK(cflow_command_add_delivery_item(c, "T1", "all regions") == CFLOW_OK);
  CHECK(cflow_command_add_task(c, "T2", "plan", CFLOW_PARTY_PERSON, "p-li", 4) == CFLOW_OK);
  CHECK(cflow_command_add_predecessor(c, "T2", "T1", CFLOW_DEPENDENCY_FINISH_TO_START, 0) ==
        CFLOW_OK);
  CHECK(cflow_command_add_task_serves(c, "T2", "final") == CFLOW_OK);
  CHECK(cflow_command_add_task_serves(c, "T2", NULL) == CFLOW_OK); /* the goal */
  CHECK(run(e, c, mode) == CFLOW_OK);
  CHECK(has_text(e, "REQUEST_STATE_PLANNED") || has_text(e, "REQUEST_STATE_IN_PROGRESS"));

  CHECK(cflow_command_start_task(&c, "p-zhao", kSep02At01, REQ, "T1") == CFLOW_OK);
  CHECK(run(e, c, mode) == CFLOW_OK);
  CHECK(cflow_command_report_progress(&c, "p-zhao", kSep02At02, REQ, "T1", 40, "north done",
                                      "south", "interface problem", NULL) == CFLOW_OK);
  CHECK(run(e, c, mode) == CFLOW_OK);
  CHECK(has_text(e, "interface problem"));
  CHECK(cflow_command_raise_risk(&c, "p-zhao", kSep02At02, REQ, "T1", CFLOW_RISK_DELAY,
                                 CFLOW_SEVERITY_HIGH, "CRM export broken", 1) == CFLOW_OK);
  CHECK(run(e, c, mode) == CFLOW_OK);
  CHECK(has_text(e, "TASK_STATE_BLOCKED"));
  CHECK(cflow_command_resolve_risk(&c, "p-li", kSep02At03, REQ, "risk-1", "IT fixed it", 0) ==
        CFLOW_OK);
  CHECK(run(e, c, mode) == CFLOW_OK);
  CHECK(!has_text(e, "TASK_STATE_BLOCKED"));

  CHECK(cflow_command_submit_deliverables(&c, "p-zhao", kSep03At02, REQ, "T1", NULL) == CFLOW_OK);
  CHECK(cflow_command_add_deliverable(c, "customer data", "https://files.example/d.xlsx", kSha,
                                      1024) == CFLOW_OK);
  CHECK(run(e, c, mode) == CFLOW_OK);
  CHECK(has_text(e, "TASK_STATE_SUBMITTED"));
  CHECK(cflow_command_review_submission(&c, "p-li", kSep03At06, REQ, "T1", CFLOW_VERDICT_PASS, 1,
                                        NULL) == CFLOW_OK);
  CHECK(cflow_command_add_review_item(c, "all regions", 1) == CFLOW_OK);
  CHECK(run(e, c, mode) == CFLOW_OK);
  CHECK(has_text(e, "TASK_STATE_DONE"));
  CHECK(has_text(e, "TASK_STATE_READY")); /* T2 is now ready: the ready set */

  /* T2 (the owner's own task), then the final acceptance and the archive. */
  CHECK(cflow_command_start_task(&c, "p-li", kSep04At02, REQ, "T2") == CFLOW_OK);
  CHECK(run(e, c, mode) == CFLOW_OK);
  CHECK(cflow_command_submit_deliverables(&c, "p-li", kSep04At06, REQ, "T2", "draft") == CFLOW_OK);
  CHECK(cflow_command_add_deliverable(c, "plan", "https://files.example/plan.docx", kSha, 0) ==
        CFLOW_OK);
  CHECK(run(e, c, mode) == CFLOW_OK);
  CHECK(cflow_command_review_submission(&c, "p-li", kSep07At02, REQ, "T2", CFLOW_VERDICT_PASS, 1,
                                        NULL) == CFLOW_OK);
  CHECK(run(e, c, mode) == CFLOW_OK);
  CHECK(cflow_command_submit_final(&c, "p-li", kSep07At06, REQ, NULL) == CFLOW_OK);
  CHECK(cflow_command_add_deliverable(c, "final plan", "https://files.example/final.pdf", kSha,
                                      4096) == CFLOW_OK);
  CHECK(run(e, c, mode) == CFLOW_OK);
  CHECK(cflow_command_review_final(&c, "p-zhang", kSep08At02, REQ, CFLOW_VERDICT_PASS, "ok") ==
        CFLOW_OK);
  CHECK(run(e, c, mode) == CFLOW_OK);
  CHECK(has_text(e, "REQUEST_STATE_ACCEPTED"));
  CHECK(cflow_command_archive_request(&c, "p-li", kSep08At02 + 3600000000, REQ, NULL) == CFLOW_OK);
  CHECK(run(e, c, mode) == CFLOW_OK);
  CHECK(has_text(e, "REQUEST_STATE_ARCHIVED"));
  return 1;
}

static int test_seed_runs_on_typed_commands(void) {
  cflow_engine* e = NULL;
  CHECK(cflow_engine_open(&e, NULL) == CFLOW_OK);
  CHECK(drive(e, RUN_TYPED));
  cflow_engine_close(e);
  return 1;
}

static int test_typed_and_generic_paths_give_the_same_state(void) {
  cflow_engine* typed = NULL;
  cflow_engine* generic = NULL;
  void* a = NULL;
  void* b = NULL;
  size_t a_len = 0, b_len = 0;
  int same;
  CHECK(cflow_engine_open(&typed, NULL) == CFLOW_OK);
  CHECK(cflow_engine_open(&generic, NULL) == CFLOW_OK);
  CHECK(drive(typed, RUN_TYPED));
  CHECK(drive(generic, RUN_AS_BYTES));
  CHECK(cflow_engine_state(&a, &a_len, typed, CFLOW_FORMAT_PROTOBUF) == CFLOW_OK);
  CHECK(cflow_engine_state(&b, &b_len, generic, CFLOW_FORMAT_PROTOBUF) == CFLOW_OK);
  same = a_len == b_len && a_len > 0 && memcmp(a, b, a_len) == 0;
  cflow_free(a);
  cflow_free(b);
  cflow_engine_close(typed);
  cflow_engine_close(generic);
  CHECK(same);
  return 1;
}

static int test_counter_proposal_and_decline_are_recorded(void) {
  cflow_engine* e = NULL;
  cflow_command* c = NULL;
  cflow_date sep20 = {2026, 9, 20};
  void* json = NULL;
  size_t len = 0;
  CHECK(cflow_engine_open(&e, NULL) == CFLOW_OK);
  CHECK(execute(e, kDirectory) == CFLOW_OK);
  CHECK(execute(e, kCreate) == CFLOW_OK);
  CHECK(execute(e, kSubmit) == CFLOW_OK);
  CHECK(cflow_command_respond(&c, "p-zhao", kAug31At03, REQ, "sales",
                              CFLOW_DECISION_ACCEPT_WITH_CHANGES, NULL) == CFLOW_OK);
  CHECK(cflow_command_add_counter_proposal(c, "final", sep20, "data 2 days earlier") == CFLOW_OK);
  CHECK(cflow_command_encode(&json, &len, c, CFLOW_FORMAT_JSON) == CFLOW_OK);
  CHECK(strstr((const char*)json, "\"counterProposals\"") != NULL ||
        strstr((const char*)json, "\"counter_proposals\"") != NULL);
  CHECK(strstr((const char*)json, "DECISION_ACCEPT_WITH_CHANGES") != NULL);
  cflow_free(json);
  CHECK(run(e, c, RUN_TYPED) == CFLOW_OK);
  CHECK(has_text(e, "data 2 days earlier"));
  CHECK(!has_text(e, "REQUEST_STATE_CONFIRMED"));
  CHECK(cflow_command_respond(&c, "p-li", kAug31At04, REQ, "market", CFLOW_DECISION_DECLINE,
                              "no capacity") == CFLOW_OK);
  CHECK(run(e, c, RUN_TYPED) == CFLOW_OK);
  CHECK(has_text(e, "DECISION_DECLINE"));
  cflow_engine_close(e);
  return 1;
}

static int test_engine_refusals_come_back_through_the_typed_path(void) {
  cflow_engine* e = NULL;
  cflow_command* c = NULL;
  CHECK(cflow_engine_open(&e, NULL) == CFLOW_OK);
  CHECK(execute(e, kDirectory) == CFLOW_OK);
  CHECK(execute(e, kCreate) == CFLOW_OK);
  /* Only the initiator submits. */
  CHECK(cflow_command_submit_request(&c, "p-ma", kAug31At02, REQ) == CFLOW_OK);
  CHECK(run(e, c, RUN_TYPED) == CFLOW_PERMISSION_DENIED);
  /* Unknown request. */
  CHECK(cflow_command_submit_request(&c, "p-zhang", kAug31At02, "REQ-NONE") == CFLOW_OK);
  CHECK(run(e, c, RUN_TYPED) == CFLOW_NOT_FOUND);
  /* A plan before confirmation. */
  CHECK(cflow_command_publish_plan(&c, "p-li", kSep01At02, REQ, 0) == CFLOW_OK);
  CHECK(cflow_command_add_task(c, "T1", "data", CFLOW_PARTY_DEPARTMENT, "d-sales", 2) == CFLOW_OK);
  CHECK(run(e, c, RUN_TYPED) == CFLOW_FAILED_PRECONDITION);
  /* A percent the engine refuses (checked on execution). */
  CHECK(cflow_command_report_progress(&c, "p-zhao", kSep02At02, REQ, "T1", 101, "x", NULL, NULL,
                                      NULL) == CFLOW_OK);
  CHECK(run(e, c, RUN_TYPED) != CFLOW_OK);
  cflow_engine_close(e);
  return 1;
}

static int test_constructor_misuse_is_answered(void) {
  cflow_command* c = NULL;
  CHECK(cflow_command_submit_request(NULL, "p", kAug31At02, REQ) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_submit_request(&c, NULL, kAug31At02, REQ) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "actor_id") != NULL);
  CHECK(cflow_command_submit_request(&c, "", kAug31At02, REQ) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_submit_request(&c, "p\xff", kAug31At02, REQ) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "UTF-8") != NULL);
  CHECK(cflow_command_submit_request(&c, "p", kAug31At02, NULL) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_submit_request(&c, "p", INT64_MAX, REQ) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "time_unix_micros") != NULL);
  CHECK(cflow_command_submit_request(&c, "p", INT64_MIN, REQ) == CFLOW_INVALID_ARGUMENT);
  CHECK(c == NULL); /* failed calls leave out untouched */
  CHECK(cflow_command_respond(&c, "p", kAug31At03, REQ, "r", 0, NULL) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "decision") != NULL);
  CHECK(cflow_command_respond(&c, "p", kAug31At03, REQ, "r", 4, NULL) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_respond(&c, "p", kAug31At03, REQ, "r", -1, NULL) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_respond(&c, "p", kAug31At03, REQ, "r", CFLOW_DECISION_ACCEPT, "\xc3") ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_respond(&c, "p", kAug31At03, REQ, NULL, CFLOW_DECISION_ACCEPT, NULL) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_publish_plan(&c, "p", kSep01At02, REQ, 2) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_raise_risk(&c, "p", kSep02At02, REQ, "T1", 9, CFLOW_SEVERITY_LOW, "d", 0) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_raise_risk(&c, "p", kSep02At02, REQ, "T1", CFLOW_RISK_DELAY, 0, "d", 0) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_raise_risk(&c, "p", kSep02At02, REQ, "T1", CFLOW_RISK_DELAY,
                                 CFLOW_SEVERITY_LOW, "d", 7) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_resolve_risk(&c, "p", kSep02At02, REQ, "R1", "ok", -1) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_review_submission(&c, "p", kSep03At06, REQ, "T1", 3, 1, NULL) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_review_submission(&c, "p", kSep03At06, REQ, "T1", CFLOW_VERDICT_FAIL, -1,
                                        NULL) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_start_task(&c, "p", kSep02At01, REQ, "") == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_review_final(&c, "p", kSep08At02, REQ, 0, NULL) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_submit_final(&c, "p", kSep07At06, REQ, "\xed\xa0\x80") ==
        CFLOW_INVALID_ARGUMENT); /* a UTF-16 surrogate is not UTF-8 */
  CHECK(cflow_command_archive_request(&c, "p", kSep08At02, "", NULL) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_submit_deliverables(&c, "p", kSep03At02, REQ, NULL, NULL) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(c == NULL);
  return 1;
}

static int test_adder_misuse_is_answered(void) {
  cflow_command* respond = NULL;
  cflow_command* plan = NULL;
  cflow_command* review = NULL;
  cflow_date bad = {2026, 2, 30};
  cflow_date early = {1969, 12, 31};
  cflow_engine* e = NULL;
  void* out = NULL;
  size_t len = 0;
  CHECK(cflow_command_respond(&respond, "p", kAug31At03, REQ, "r",
                              CFLOW_DECISION_ACCEPT_WITH_CHANGES, NULL) == CFLOW_OK);
  CHECK(cflow_command_publish_plan(&plan, "p", kSep01At02, REQ, 1) == CFLOW_OK);
  CHECK(cflow_command_review_submission(&review, "p", kSep03At06, REQ, "T1", CFLOW_VERDICT_FAIL, 0,
                                        "wrong totals") == CFLOW_OK);
  /* An adder of another kind names both kinds. */
  CHECK(cflow_command_add_task(respond, "T1", "n", CFLOW_PARTY_PERSON, "p", 1) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "publish_plan") != NULL);
  CHECK(strstr(cflow_last_error(), "respond") != NULL);
  CHECK(cflow_command_add_deliverable(plan, "t", "u", kSha, 1) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "submit_deliverables or submit_final") != NULL);
  CHECK(cflow_command_add_counter_proposal(review, "final", bad, NULL) == CFLOW_INVALID_ARGUMENT);
  /* Dates, enums and references. */
  CHECK(cflow_command_add_counter_proposal(respond, "final", bad, NULL) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "proposed_date") != NULL);
  CHECK(cflow_command_add_counter_proposal(respond, "final", early, NULL) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_add_task(plan, "T1", "n", 0, "p", 1) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_add_task(plan, "T1", "n", CFLOW_PARTY_PERSON, "p", -1) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_add_task(plan, "T1", "n\xff", CFLOW_PARTY_PERSON, "p", 1) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_add_task(plan, "T1", "n", CFLOW_PARTY_PERSON, "p", 1) == CFLOW_OK);
  CHECK(cflow_command_add_predecessor(plan, "T9", "T1", CFLOW_DEPENDENCY_FINISH_TO_START, 0) ==
        CFLOW_NOT_FOUND);
  CHECK(cflow_command_add_predecessor(plan, "T1", "T0", 5, 0) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_add_task_serves(plan, "T9", NULL) == CFLOW_NOT_FOUND);
  CHECK(cflow_command_add_delivery_item(plan, "T1", NULL) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_add_review_item(review, "x", 2) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_add_rectification(review, "add a competitor analysis", INT64_MAX) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_add_rectification(review, "add a competitor analysis", 0) == CFLOW_OK);
  /* Encoding and executing: NULLs, formats, engines. */
  CHECK(cflow_command_encode(NULL, &len, plan, CFLOW_FORMAT_JSON) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_encode(&out, &len, plan, 7) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_encode(&out, &len, NULL, CFLOW_FORMAT_JSON) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_execute_command(&out, &len, NULL, CFLOW_FORMAT_JSON, plan) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_open(&e, NULL) == CFLOW_OK);
  CHECK(cflow_engine_execute_command(&out, &len, e, CFLOW_FORMAT_JSON, NULL) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(out == NULL);
  /* A freed command is refused, and a second free is harmless. */
  cflow_command_free(plan);
  cflow_command_free(plan);
  cflow_command_free(NULL);
  CHECK(cflow_command_add_task(plan, "T2", "n", CFLOW_PARTY_PERSON, "p", 1) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "command") != NULL);
  CHECK(cflow_engine_execute_command(&out, &len, e, CFLOW_FORMAT_JSON, plan) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_command_encode(&out, &len, review, CFLOW_FORMAT_JSON) == CFLOW_OK);
  CHECK(strstr((const char*)out, "add a competitor analysis") != NULL);
  cflow_free(out);
  cflow_engine_close(e);
  cflow_command_free(respond);
  cflow_command_free(review);
  return 1;
}

/* The C enums carry the collabflow.v1 numbers, fixed forever (abidiff cannot
 * see enum constants). */
static int test_enum_values_are_fixed(void) {
  CHECK(CFLOW_DECISION_ACCEPT == 1 && CFLOW_DECISION_ACCEPT_WITH_CHANGES == 2 &&
        CFLOW_DECISION_DECLINE == 3);
  CHECK(CFLOW_PARTY_PERSON == 1 && CFLOW_PARTY_DEPARTMENT == 2);
  CHECK(CFLOW_DEPENDENCY_FINISH_TO_START == 1 && CFLOW_DEPENDENCY_START_TO_START == 2 &&
        CFLOW_DEPENDENCY_FINISH_TO_FINISH == 3 && CFLOW_DEPENDENCY_START_TO_FINISH == 4);
  CHECK(CFLOW_RISK_DELAY == 1 && CFLOW_RISK_RESOURCE_SHORTAGE == 2 &&
        CFLOW_RISK_DISAGREEMENT == 3 && CFLOW_RISK_OTHER == 4);
  CHECK(CFLOW_SEVERITY_LOW == 1 && CFLOW_SEVERITY_MEDIUM == 2 && CFLOW_SEVERITY_HIGH == 3 &&
        CFLOW_SEVERITY_CRITICAL == 4);
  CHECK(CFLOW_VERDICT_PASS == 1 && CFLOW_VERDICT_FAIL == 2);
  CHECK(sizeof(cflow_date) == 3 * sizeof(int32_t));
  return 1;
}

int main(void) {
  RUN(test_enum_values_are_fixed);
  RUN(test_seed_runs_on_typed_commands);
  RUN(test_typed_and_generic_paths_give_the_same_state);
  RUN(test_counter_proposal_and_decline_are_recorded);
  RUN(test_engine_refusals_come_back_through_the_typed_path);
  RUN(test_constructor_misuse_is_answered);
  RUN(test_adder_misuse_is_answered);
  return C_CHECK_SUMMARY();
}
