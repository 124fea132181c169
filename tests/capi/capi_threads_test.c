/* Handles used from many threads through the C ABI alone (C99 and C11,
 * pedantic, POSIX threads): calls on live handles from several threads all
 * succeed, a close waits for the call in flight (and leaves the store free to
 * open again at once), and released handles are refused on every thread.
 * Runs under ThreadSanitizer too (`cmake --preset tsan`). */
#define _POSIX_C_SOURCE 200809L /* mkdtemp, nanosleep */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "c_check.h"
#include "capi_seed.h"
#include "capi_store.h"
#include "collabflow.h"

enum { kThreads = 4, kCalls = 2000 };

typedef struct {
  cflow_calendar* own;    /* this thread's calendar */
  cflow_calendar* shared; /* every thread's */
  cflow_engine* engine;   /* every thread's */
  int failures;
} worker;

static void* work(void* arg) {
  worker* w = (worker*)arg;
  cflow_date sep20 = {2026, 9, 20};
  int i;
  for (i = 0; i < kCalls; ++i) {
    int working = -1;
    if (cflow_calendar_is_working_day(&working, w->own, sep20) != CFLOW_OK || working != 1) {
      ++w->failures;
    }
    if (cflow_calendar_is_working_day(&working, w->shared, sep20) != CFLOW_OK || working != 1) {
      ++w->failures;
    }
    if (i % 50 == 0) {
      uint8_t* out = NULL;
      size_t len = 0;
      if (cflow_engine_get_request(&out, &len, w->engine, CFLOW_FORMAT_PROTOBUF, "REQ-Q3-LAUNCH") !=
          CFLOW_OK) {
        ++w->failures;
      }
      cflow_free(out);
    }
  }
  return NULL;
}

static int test_calls_on_live_handles_from_many_threads(void) {
  pthread_t threads[kThreads];
  worker workers[kThreads];
  cflow_calendar* shared = NULL;
  cflow_engine* e = NULL;
  int i;
  CHECK(cflow_calendar_china_mainland(&shared) == CFLOW_OK);
  CHECK(open_seeded(&e, kSeedFiled));
  for (i = 0; i < kThreads; ++i) {
    memset(&workers[i], 0, sizeof workers[i]);
    CHECK(cflow_calendar_china_mainland(&workers[i].own) == CFLOW_OK);
    workers[i].shared = shared;
    workers[i].engine = e;
    CHECK(pthread_create(&threads[i], NULL, work, &workers[i]) == 0);
  }
  for (i = 0; i < kThreads; ++i) {
    CHECK(pthread_join(threads[i], NULL) == 0);
    CHECK(workers[i].failures == 0);
    cflow_calendar_free(workers[i].own);
  }
  cflow_calendar_free(shared);
  cflow_engine_close(e);
  return 1;
}

/* A call that stays inside the engine: history verification whose progress
 * callback waits until the main thread has asked to close. */
typedef struct {
  cflow_engine* engine;
  pthread_mutex_t mu;
  int inside; /* the callback runs: the call is in flight */
  int callback_done;
  cflow_status status;
} slow_call;

static slow_call g_slow = {NULL, PTHREAD_MUTEX_INITIALIZER, 0, 0, CFLOW_OK};

static int slow_progress(size_t done, size_t total, void* payload) {
  struct timespec pause = {0, 20 * 1000 * 1000};
  (void)done;
  (void)total;
  (void)payload;
  pthread_mutex_lock(&g_slow.mu);
  g_slow.inside = 1;
  pthread_mutex_unlock(&g_slow.mu);
  nanosleep(&pause, NULL); /* while the close is waiting */
  pthread_mutex_lock(&g_slow.mu);
  g_slow.callback_done = 1;
  pthread_mutex_unlock(&g_slow.mu);
  return 0;
}

static void* verify(void* arg) {
  (void)arg;
  g_slow.status = cflow_engine_verify_history(g_slow.engine);
  return NULL;
}

static int test_close_waits_for_the_call_in_flight(void) {
  char dir[64];
  cflow_options* options = NULL;
  cflow_engine* again = NULL;
  pthread_t thread;
  int inside = 0, done;
  struct timespec poll = {0, 1000 * 1000};
  CHECK(new_store(dir, "/tmp/cflow_threads_XXXXXX", &options));
  CHECK(cflow_engine_open(&g_slow.engine, options) == CFLOW_OK);
  CHECK(execute(g_slow.engine, kDirectory) == CFLOW_OK);
  cflow_engine_close(g_slow.engine);
  CHECK(cflow_options_set_progress(options, slow_progress, NULL) == CFLOW_OK);
  CHECK(cflow_engine_open(&g_slow.engine, options) == CFLOW_OK); /* the replay calls it too */
  pthread_mutex_lock(&g_slow.mu);
  g_slow.inside = g_slow.callback_done = 0;
  pthread_mutex_unlock(&g_slow.mu);
  CHECK(pthread_create(&thread, NULL, verify, NULL) == 0);
  while (!inside) {
    nanosleep(&poll, NULL);
    pthread_mutex_lock(&g_slow.mu);
    inside = g_slow.inside;
    pthread_mutex_unlock(&g_slow.mu);
  }
  cflow_engine_close(g_slow.engine); /* waits for verify() to leave the engine */
  pthread_mutex_lock(&g_slow.mu);
  done = g_slow.callback_done;
  pthread_mutex_unlock(&g_slow.mu);
  CHECK(done == 1);
  /* The store is free at once: the closed engine let go of its lock. */
  CHECK(cflow_engine_open(&again, options) == CFLOW_OK);
  cflow_engine_close(again);
  CHECK(pthread_join(thread, NULL) == 0);
  CHECK(g_slow.status == CFLOW_OK);
  /* The closed handle is refused on every thread, and closing again is a no-op. */
  CHECK(cflow_engine_verify_history(g_slow.engine) == CFLOW_INVALID_ARGUMENT);
  cflow_engine_close(g_slow.engine);
  cflow_options_free(options);
  remove_store(dir);
  return 1;
}

static void* use_freed(void* arg) {
  cflow_calendar* freed = (cflow_calendar*)arg;
  cflow_date day = {2026, 9, 20};
  int working = -1;
  return cflow_calendar_is_working_day(&working, freed, day) == CFLOW_INVALID_ARGUMENT &&
                 working == -1
             ? arg
             : NULL;
}

/* A handle released on one thread is refused on another, also once a new
 * object took its place in the table. */
static int test_released_handles_are_refused_on_every_thread(void) {
  cflow_calendar* old = NULL;
  cflow_calendar* reused = NULL;
  pthread_t thread;
  void* result = NULL;
  int working = -1;
  cflow_date day = {2026, 9, 20};
  CHECK(cflow_calendar_china_mainland(&old) == CFLOW_OK);
  cflow_calendar_free(old);
  CHECK(cflow_calendar_china_mainland(&reused) == CFLOW_OK);
  CHECK(reused != old);
  CHECK(pthread_create(&thread, NULL, use_freed, old) == 0);
  CHECK(pthread_join(thread, &result) == 0);
  CHECK(result == old);
  CHECK(cflow_calendar_is_working_day(&working, old, day) == CFLOW_INVALID_ARGUMENT);
  cflow_calendar_free(old); /* ignored: it must not release the new calendar */
  CHECK(cflow_calendar_is_working_day(&working, reused, day) == CFLOW_OK && working == 1);
  cflow_calendar_free(reused);
  return 1;
}

int main(void) {
  RUN(test_calls_on_live_handles_from_many_threads);
  RUN(test_close_waits_for_the_call_in_flight);
  RUN(test_released_handles_are_refused_on_every_thread);
  return C_CHECK_SUMMARY();
}
