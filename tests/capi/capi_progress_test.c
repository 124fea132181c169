/* Progress of long work through the C ABI (C99 and C11, pedantic): replaying
 * a store on open, verifying its history and exporting an archive report
 * (done, total) to the callback at a bounded rate, growing to done == total;
 * a callback that asks to stop cancels the call, which changes nothing; a
 * snapshot, written on request or in the background, leaves the replay the
 * records after it. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_check.h"
#include "capi_seed.h"
#include "capi_store.h"
#include "collabflow.h"

enum { kExtraRecords = 500 };

typedef struct {
  int calls;
  int monotonic;
  size_t first_done, last_done, total;
  int stop_after; /* > 0: ask to stop at that call */
} tally;

static int on_progress(size_t done, size_t total, void* payload) {
  tally* t = (tally*)payload;
  if (t->calls == 0) {
    t->first_done = done;
    t->total = total;
  } else if (done < t->last_done || total != t->total) {
    t->monotonic = 0;
  }
  t->last_done = done;
  ++t->calls;
  return t->stop_after > 0 && t->calls >= t->stop_after;
}

static void reset(tally* t, int stop_after) {
  memset(t, 0, sizeof *t);
  t->monotonic = 1;
  t->stop_after = stop_after;
}

static char g_dir[64];

/* A store with the seed request and kExtraRecords more journal records. */
static int make_store(void) {
  cflow_options* options = NULL;
  cflow_engine* e = NULL;
  int i;
  CHECK(new_store(g_dir, "/tmp/cflow_progress_XXXXXX", &options));
  CHECK(cflow_engine_open(&e, options) == CFLOW_OK);
  CHECK(seed(e, kSeedSubmitted));
  for (i = 0; i < kExtraRecords; ++i) CHECK(execute(e, kDirectory) == CFLOW_OK);
  cflow_engine_close(e);
  cflow_options_free(options);
  return 1;
}

static int open_with(cflow_engine** e, tally* t) {
  cflow_options* options = NULL;
  cflow_status s;
  CHECK(cflow_options_new(&options) == CFLOW_OK);
  CHECK(cflow_options_set_store_dir(options, g_dir) == CFLOW_OK);
  CHECK(cflow_options_set_progress(options, t == NULL ? NULL : on_progress, t) == CFLOW_OK);
  s = cflow_engine_open(e, options);
  cflow_options_free(options);
  return s;
}

static int test_replay_reports_progress_at_a_bounded_rate(void) {
  const size_t records = 3 + kExtraRecords;
  cflow_engine* e = NULL;
  tally t;
  reset(&t, 0);
  CHECK(open_with(&e, &t) == CFLOW_OK);
  CHECK(t.calls >= 3 && t.calls <= 110);
  CHECK(t.monotonic);
  CHECK(t.first_done >= 1 && t.total == records && t.last_done == records);
  /* Verifying the history reads the journal again, with reports. */
  reset(&t, 0);
  CHECK(cflow_engine_verify_history(e) == CFLOW_OK);
  CHECK(t.calls >= 3 && t.calls <= 110 && t.monotonic);
  CHECK(t.last_done == t.total && t.total == records);
  cflow_engine_close(e);
  return 1;
}

static int test_archive_export_reads_one_request_unreported(void) {
  cflow_engine* e = NULL;
  uint8_t* bundle = NULL;
  size_t len = 0;
  tally t;
  reset(&t, 0);
  CHECK(open_with(&e, &t) == CFLOW_OK);
  reset(&t, 0);
  /* The request's own stream, not a pass over the journal. */
  CHECK(cflow_engine_export_archive(&bundle, &len, e, "REQ-Q3-LAUNCH") == CFLOW_OK);
  CHECK(t.calls == 0);
  CHECK(cflow_archive_verify(NULL, NULL, CFLOW_FORMAT_JSON, bundle, len) == CFLOW_OK);
  cflow_free(bundle);
  cflow_engine_close(e);
  return 1;
}

static int test_stopping_cancels_and_changes_nothing(void) {
  cflow_engine* e = NULL;
  uint8_t* bundle = NULL;
  size_t len = 0;
  tally t;
  reset(&t, 2);
  CHECK(open_with(&e, &t) == CFLOW_CANCELLED);
  CHECK(e == NULL && t.calls == 2);
  CHECK(strstr(cflow_last_error(), "cancelled") != NULL);
  /* The store was not touched (nor left locked): it opens, complete. */
  reset(&t, 0);
  CHECK(open_with(&e, &t) == CFLOW_OK);
  CHECK(t.total == 3 + kExtraRecords);
  t.stop_after = t.calls + 1; /* stop at the next report */
  CHECK(cflow_engine_events(&bundle, &len, e, CFLOW_FORMAT_JSON, 0, 1000) == CFLOW_CANCELLED);
  CHECK(bundle == NULL);
  t.stop_after = 0;
  CHECK(cflow_engine_verify_history(e) == CFLOW_OK);
  cflow_engine_close(e);
  return 1;
}

static int test_without_callback_and_misuse(void) {
  cflow_engine* e = NULL;
  cflow_options* options = NULL;
  tally t;
  reset(&t, 0);
  CHECK(open_with(&e, NULL) == CFLOW_OK); /* NULL fn: no reports */
  cflow_engine_close(e);
  CHECK(cflow_options_set_progress(NULL, on_progress, &t) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_options_new(&options) == CFLOW_OK);
  cflow_options_free(options);
  CHECK(cflow_options_set_progress(options, on_progress, &t) == CFLOW_INVALID_ARGUMENT);
  /* An in-memory engine has nothing to replay: no call. */
  CHECK(cflow_options_new(&options) == CFLOW_OK);
  CHECK(cflow_options_set_progress(options, on_progress, &t) == CFLOW_OK);
  CHECK(cflow_engine_open(&e, options) == CFLOW_OK);
  CHECK(t.calls == 0);
  cflow_engine_close(e);
  cflow_options_free(options);
  return 1;
}

/* A snapshot shortens the next replay to the records after it: one written
 * on request, and those the engine writes in the background every so many
 * records (the last one at most that many records before the close). */
static int test_snapshots_shorten_the_replay(void) {
  cflow_engine* e = NULL;
  cflow_options* options = NULL;
  tally t;
  int i;
  CHECK(open_with(&e, NULL) == CFLOW_OK);
  CHECK(cflow_engine_write_snapshot(e) == CFLOW_OK);
  CHECK(cflow_engine_write_snapshot(e) == CFLOW_OK); /* nothing new: nothing written */
  for (i = 0; i < 7; ++i) CHECK(execute(e, kDirectory) == CFLOW_OK);
  cflow_engine_close(e);
  reset(&t, 0);
  CHECK(open_with(&e, &t) == CFLOW_OK);
  CHECK(t.total == 7 && t.last_done == 7);
  cflow_engine_close(e);

  CHECK(cflow_options_new(&options) == CFLOW_OK);
  CHECK(cflow_options_set_store_dir(options, g_dir) == CFLOW_OK);
  CHECK(cflow_options_set_snapshot_every_records(options, 10) == CFLOW_OK);
  CHECK(cflow_engine_open(&e, options) == CFLOW_OK);
  for (i = 0; i < 95; ++i) CHECK(execute(e, kDirectory) == CFLOW_OK);
  cflow_engine_close(e);
  cflow_options_free(options);
  reset(&t, 0);
  CHECK(open_with(&e, &t) == CFLOW_OK);
  CHECK(t.total < 10);
  CHECK(cflow_engine_verify_history(e) == CFLOW_OK);
  cflow_engine_close(e);
  CHECK(cflow_engine_write_snapshot(NULL) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_options_set_snapshot_every_records(NULL, 1) == CFLOW_INVALID_ARGUMENT);
  return 1;
}

int main(void) {
  int status;
  if (!make_store()) return 1;
  RUN(test_replay_reports_progress_at_a_bounded_rate);
  RUN(test_archive_export_reads_one_request_unreported);
  RUN(test_stopping_cancels_and_changes_nothing);
  RUN(test_without_callback_and_misuse);
  RUN(test_snapshots_shorten_the_replay);
  status = C_CHECK_SUMMARY();
  remove_store(g_dir);
  return status;
}
