/* The task graph and scheduler on their own, through the C ABI alone (C99
 * and C11, pedantic): built from columns, an edge list or JSON; edits with
 * the cycle check; the schedule in full and brought up to date; save and
 * load; one graph shared by threads; and every refusal, which changes
 * nothing. */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "c_check.h"
#include "collabflow.h"

/* A -> B -> D, A -> C -> D: durations 2, 3, 1, 4. */
static cflow_task_graph* diamond(void) {
  static const int32_t durations[] = {2, 3, 1, 4};
  static const cflow_task from[] = {0, 0, 1, 2};
  static const cflow_task to[] = {1, 2, 3, 3};
  cflow_task_graph* g = NULL;
  if (cflow_task_graph_build(&g, NULL, durations, 4, from, to, NULL, NULL, 4) != CFLOW_OK)
    return NULL;
  return g;
}

static int test_build_schedule_and_read_the_times(void) {
  cflow_task_graph* g = diamond();
  int32_t finish = -1;
  int32_t es[4], ef[4], ls[4], lf[4], tf[4], ff[4];
  cflow_task path[4], order[4];
  size_t handles = 0, tasks = 0, deps = 0, n = 0;
  CHECK(g != NULL);
  CHECK(cflow_task_graph_size(&handles, &tasks, &deps, g) == CFLOW_OK);
  CHECK(handles == 4 && tasks == 4 && deps == 4);
  CHECK(cflow_task_graph_schedule(&finish, g, 0) == CFLOW_OK);
  CHECK(finish == 9); /* A 0-2, B 2-5, D 5-9 */
  CHECK(cflow_task_graph_times(es, ef, ls, lf, tf, ff, 4, g) == CFLOW_OK);
  CHECK(es[3] == 5 && ef[3] == 9);
  CHECK(tf[2] == 2 && ls[2] == 4 && lf[2] == 5 && ff[2] == 2); /* C has 2 days of float */
  CHECK(tf[1] == 0);
  CHECK(cflow_task_graph_critical_path(path, 4, &n, g) == CFLOW_OK);
  CHECK(n == 3 && path[0] == 0 && path[1] == 1 && path[2] == 3);
  CHECK(cflow_task_graph_order(order, 4, &n, g) == CFLOW_OK);
  CHECK(n == 4 && order[0] == 0 && order[3] == 3);
  cflow_task_graph_free(g);
  return 1;
}

static int test_reschedule_after_an_edit_equals_a_full_schedule(void) {
  cflow_task_graph* g = diamond();
  int32_t finish = 0;
  size_t visited = 0;
  int32_t ef[4];
  CHECK(g != NULL);
  CHECK(cflow_task_graph_schedule(NULL, g, 0) == CFLOW_OK);
  CHECK(cflow_task_graph_set_duration(g, 2, 7) == CFLOW_OK); /* C now drives D */
  CHECK(cflow_task_graph_times(NULL, ef, NULL, NULL, NULL, NULL, 4, g) ==
        CFLOW_FAILED_PRECONDITION);
  CHECK(strstr(cflow_last_error(), "reschedule") != NULL);
  CHECK(cflow_task_graph_reschedule(&finish, &visited, g) == CFLOW_OK);
  CHECK(finish == 13 && visited > 0);
  CHECK(cflow_task_graph_times(NULL, ef, NULL, NULL, NULL, NULL, 4, g) == CFLOW_OK);
  CHECK(ef[2] == 9 && ef[3] == 13);
  CHECK(cflow_task_graph_schedule(&finish, g, 0) == CFLOW_OK);
  CHECK(finish == 13);
  cflow_task_graph_free(g);
  return 1;
}

static int test_insert_refuses_a_cycle_and_changes_nothing(void) {
  cflow_task_graph* g = diamond();
  cflow_task e = 0;
  size_t deps = 0;
  CHECK(g != NULL);
  CHECK(cflow_task_graph_add_dependency(g, 3, 0, CFLOW_LINK_FINISH_TO_START, 0) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "cycle") != NULL);
  CHECK(cflow_task_graph_add_dependency(g, 0, 1, CFLOW_LINK_START_TO_START, 0) ==
        CFLOW_ALREADY_EXISTS);
  CHECK(cflow_task_graph_add_dependency(g, 0, 9, CFLOW_LINK_FINISH_TO_START, 0) == CFLOW_NOT_FOUND);
  CHECK(cflow_task_graph_add_dependency(g, 0, 3, 7, 0) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "type: unknown value 7") != NULL);
  CHECK(cflow_task_graph_size(NULL, NULL, &deps, g) == CFLOW_OK);
  CHECK(deps == 4);
  /* A new task and edges to it, against the order too. */
  CHECK(cflow_task_graph_add_task(&e, g, "E", 2) == CFLOW_OK);
  CHECK(e == 4);
  CHECK(cflow_task_graph_add_dependency(g, e, 0, CFLOW_LINK_FINISH_TO_FINISH, -1) == CFLOW_OK);
  CHECK(cflow_task_graph_add_task(&e, g, "E", 2) == CFLOW_ALREADY_EXISTS);
  CHECK(e == 4); /* untouched */
  CHECK(cflow_task_graph_remove_dependency(g, 4, 0) == CFLOW_OK);
  CHECK(cflow_task_graph_remove_dependency(g, 4, 0) == CFLOW_NOT_FOUND);
  cflow_task_graph_free(g);
  return 1;
}

static int test_edge_list_names_the_line_of_bad_input(void) {
  static const char tasks[] = "id,duration\n客户数据收集,3\n方案初稿,4\n";
  static const char good[] = "from,to,type,lag\n客户数据收集,方案初稿,SS,1\n";
  static const char unknown[] = "客户数据收集,方案初稿\n方案初稿,定稿\n";
  static const char cycle[] = "客户数据收集,方案初稿\n方案初稿,客户数据收集\n";
  cflow_task_graph* g = NULL;
  cflow_task t = 99;
  char* ids = NULL;
  size_t len = 0;
  int32_t finish = 0;
  CHECK(cflow_task_graph_from_edge_list(&g, tasks, strlen(tasks), unknown, strlen(unknown)) ==
        CFLOW_NOT_FOUND);
  CHECK(g == NULL);
  CHECK(strstr(cflow_last_error(), "edges line 2: to: unknown task id \"定稿\"") != NULL);
  CHECK(cflow_task_graph_from_edge_list(&g, tasks, strlen(tasks), cycle, strlen(cycle)) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "(lines 1, 2)") != NULL);
  CHECK(cflow_task_graph_from_edge_list(&g, tasks, strlen(tasks), good, strlen(good)) == CFLOW_OK);
  CHECK(cflow_task_graph_find(&t, g, "方案初稿") == CFLOW_OK);
  CHECK(t == 1);
  CHECK(cflow_task_graph_find(&t, g, "定稿") == CFLOW_NOT_FOUND);
  CHECK(cflow_task_graph_ids(&ids, &len, g) == CFLOW_OK);
  CHECK(len == strlen("客户数据收集") + 1 + strlen("方案初稿") + 1);
  CHECK(strcmp(ids, "客户数据收集") == 0);
  CHECK(strcmp(ids + strlen(ids) + 1, "方案初稿") == 0);
  cflow_free(ids);
  CHECK(cflow_task_graph_schedule(&finish, g, 0) == CFLOW_OK);
  CHECK(finish == 5); /* SS + 1: 方案初稿 runs 1-5 */
  cflow_task_graph_free(g);
  return 1;
}

static int test_json_builds_the_same_graph(void) {
  static const char json[] =
      "{\"tasks\":[{\"id\":\"A\",\"duration\":2},{\"id\":\"B\",\"duration\":3}],"
      "\"dependencies\":[{\"from\":\"A\",\"to\":\"B\",\"lag\":2}]}";
  static const char bad[] = "{\"tasks\":[{\"id\":\"A\",\"duration\":2}],\"dependencies\":[1]}";
  cflow_task_graph* g = NULL;
  int32_t finish = 0;
  CHECK(cflow_task_graph_from_json(&g, bad, strlen(bad)) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "dependencies[0]: not an object") != NULL);
  CHECK(cflow_task_graph_from_json(&g, json, strlen(json)) == CFLOW_OK);
  CHECK(cflow_task_graph_schedule(&finish, g, 0) == CFLOW_OK);
  CHECK(finish == 7);
  cflow_task_graph_free(g);
  return 1;
}

static int test_build_with_ids(void) {
  static const char* const ids[] = {"市场调研", NULL, "定稿"};
  static const char* const twice[] = {"A", "A"};
  static const int32_t durations[] = {2, 1, 3};
  static const cflow_task from[] = {0, 1};
  static const cflow_task to[] = {2, 2};
  static const cflow_link_type types[] = {CFLOW_LINK_FINISH_TO_START, CFLOW_LINK_START_TO_START};
  static const int32_t lags[] = {1, 0};
  cflow_task_graph* g = NULL;
  cflow_task t = 0;
  int32_t finish = 0;
  CHECK(cflow_task_graph_build(&g, twice, durations, 2, NULL, NULL, NULL, NULL, 0) ==
        CFLOW_ALREADY_EXISTS);
  CHECK(cflow_task_graph_build(&g, ids, durations, 3, from, to, types, lags, 2) == CFLOW_OK);
  CHECK(cflow_task_graph_find(&t, g, "定稿") == CFLOW_OK);
  CHECK(t == 2);
  CHECK(cflow_task_graph_schedule(&finish, g, 0) == CFLOW_OK);
  CHECK(finish == 6); /* 市场调研 0-2, FS + 1: 定稿 3-6 */
  cflow_task_graph_free(g);
  return 1;
}

static int test_save_and_load_keep_handles_and_dates(void) {
  cflow_task_graph* g = diamond();
  cflow_task_graph* back = NULL;
  uint8_t* bytes = NULL;
  size_t len = 0, deps = 0;
  int32_t finish = 0;
  CHECK(g != NULL);
  CHECK(cflow_task_graph_save(&bytes, &len, g) == CFLOW_OK);
  CHECK(cflow_task_graph_load(&back, bytes, len) == CFLOW_OK);
  CHECK(cflow_task_graph_load(&g, bytes, len > 3 ? len - 3 : 0) == CFLOW_INVALID_ARGUMENT);
  cflow_free(bytes);
  CHECK(cflow_task_graph_size(NULL, NULL, &deps, back) == CFLOW_OK);
  CHECK(deps == 4);
  CHECK(cflow_task_graph_schedule(&finish, back, 10) == CFLOW_OK);
  CHECK(finish == 19);
  cflow_task_graph_free(back);
  cflow_task_graph_free(g);
  return 1;
}

static int test_misuse_is_refused(void) {
  static const int32_t bad_duration[] = {1, -1};
  static const cflow_task from[] = {0};
  static const cflow_task to[] = {5};
  static const cflow_link_type bad_type[] = {9};
  cflow_task_graph* g = NULL;
  cflow_task out[1];
  size_t n = 0;
  int32_t times[1];
  CHECK(cflow_task_graph_new(NULL) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_task_graph_build(&g, NULL, NULL, 2, NULL, NULL, NULL, NULL, 0) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_task_graph_build(&g, NULL, bad_duration, 2, NULL, NULL, NULL, NULL, 0) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "tasks[1]") != NULL);
  CHECK(cflow_task_graph_build(&g, NULL, bad_duration, 1, from, to, NULL, NULL, 1) ==
        CFLOW_NOT_FOUND);
  CHECK(cflow_task_graph_build(&g, NULL, bad_duration, 1, from, from, bad_type, NULL, 1) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "types[0]: unknown value 9") != NULL);
  CHECK(g == NULL);
  g = diamond();
  CHECK(g != NULL);
  CHECK(cflow_task_graph_reschedule(NULL, NULL, g) == CFLOW_FAILED_PRECONDITION);
  CHECK(cflow_task_graph_times(times, NULL, NULL, NULL, NULL, NULL, 1, g) ==
        CFLOW_FAILED_PRECONDITION);
  CHECK(cflow_task_graph_schedule(NULL, g, -5) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_task_graph_schedule(NULL, g, 0) == CFLOW_OK);
  CHECK(cflow_task_graph_times(times, NULL, NULL, NULL, NULL, NULL, 1, g) == CFLOW_OUT_OF_RANGE);
  CHECK(cflow_task_graph_order(out, 1, &n, g) == CFLOW_OUT_OF_RANGE);
  CHECK(n == 0);
  CHECK(cflow_task_graph_set_duration(g, 0, 100001) == CFLOW_INVALID_ARGUMENT);
  cflow_task_graph_free(g);
  /* A freed handle is refused, never dereferenced; a second free is harmless. */
  CHECK(cflow_task_graph_size(&n, NULL, NULL, g) == CFLOW_INVALID_ARGUMENT);
  cflow_task_graph_free(g);
  cflow_task_graph_free(NULL);
  return 1;
}

/* Each thread adds its own chain of tasks to one shared graph, then
 * reschedules and reads the dates; the calls are serialized inside. */
enum { kThreads = 4, kTasksPerThread = 50 };

static void* edit_and_read(void* arg) {
  cflow_task_graph* g = (cflow_task_graph*)arg;
  cflow_task previous = 0, t = 0;
  int32_t finish = 0;
  int i;
  for (i = 0; i < kTasksPerThread; ++i) {
    if (cflow_task_graph_add_task(&t, g, NULL, 1) != CFLOW_OK) return (void*)1;
    if (i > 0 && cflow_task_graph_add_dependency(g, previous, t, CFLOW_LINK_FINISH_TO_START, 0) !=
                     CFLOW_OK) {
      return (void*)1;
    }
    previous = t;
    if (cflow_task_graph_reschedule(&finish, NULL, g) != CFLOW_OK) return (void*)1;
  }
  return NULL;
}

static int test_threads_share_one_graph(void) {
  cflow_task_graph* g = NULL;
  pthread_t threads[kThreads];
  size_t tasks = 0, deps = 0;
  int32_t finish = 0;
  int i;
  void* failed = NULL;
  CHECK(cflow_task_graph_new(&g) == CFLOW_OK);
  CHECK(cflow_task_graph_schedule(NULL, g, 0) == CFLOW_OK);
  for (i = 0; i < kThreads; ++i) CHECK(pthread_create(&threads[i], NULL, edit_and_read, g) == 0);
  for (i = 0; i < kThreads; ++i) {
    void* result = NULL;
    CHECK(pthread_join(threads[i], &result) == 0);
    if (result != NULL) failed = result;
  }
  CHECK(failed == NULL);
  CHECK(cflow_task_graph_size(NULL, &tasks, &deps, g) == CFLOW_OK);
  CHECK(tasks == kThreads * kTasksPerThread && deps == kThreads * (kTasksPerThread - 1));
  CHECK(cflow_task_graph_reschedule(&finish, NULL, g) == CFLOW_OK);
  CHECK(finish == kTasksPerThread); /* each chain: 50 one-day tasks */
  cflow_task_graph_free(g);
  return 1;
}

int main(void) {
  RUN(test_build_schedule_and_read_the_times);
  RUN(test_reschedule_after_an_edit_equals_a_full_schedule);
  RUN(test_insert_refuses_a_cycle_and_changes_nothing);
  RUN(test_edge_list_names_the_line_of_bad_input);
  RUN(test_json_builds_the_same_graph);
  RUN(test_build_with_ids);
  RUN(test_save_and_load_keep_handles_and_dates);
  RUN(test_misuse_is_refused);
  RUN(test_threads_share_one_graph);
  return C_CHECK_SUMMARY();
}
