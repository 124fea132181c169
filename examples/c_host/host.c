/* A minimal collabflow host in C: copy it to start your own.
 *
 * It opens an engine (showing the replay's progress on a store), then runs a
 * whole collaboration from a file of commands, one JSON
 * collabflow.v1.Command a line, as a host would pass on what its users do:
 * the seed example "Q3新品上市营销方案执行" (examples/q3-launch/scenario.jsonl)
 * goes from the request through negotiation, the plan, tracking, a failed
 * review and rework to acceptance and the archive. Every step is one call,
 * cflow_engine_execute(); time rules (reminders, escalations) run through
 * cflow_engine_tick(). It then delivers the notifications the engine wants
 * sent (the outbox) and acknowledges them, prints the request's state, shows
 * that a refusal is an answer, and asks the shipped mainland-China calendar
 * a question. It uses only collabflow.h and speaks JSON (CFLOW_FORMAT_JSON),
 * so it needs no protobuf library; a host that has one passes
 * CFLOW_FORMAT_PROTOBUF and the same calls take and return protobuf bytes.
 *
 *   host DIRECTORY_JSON SCENARIO_JSONL [STORE_DIR]
 *
 * DIRECTORY_JSON is a collabflow.v1.Directory (examples/q3-launch/
 * directory.json). SCENARIO_JSONL holds one command a line, or a
 * {"tick": TIME} line; '#' starts a comment line. Times without an offset
 * ("2026-08-31T09:30") are read in Asia/Shanghai (UTC+8, no daylight
 * saving). Without STORE_DIR the engine lives in memory; with it,
 * everything is journaled there (use a fresh directory: a request id can be
 * filed only once).
 *
 * Build: cc -std=c99 host.c $(pkg-config --cflags --libs collabflow)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collabflow.h"

#define REQUEST_ID "REQ-Q3-LAUNCH"

/* Every cflow_* call that can fail returns a cflow_status; the details are in
 * the calling thread's last error. One helper prints both. */
static int report(cflow_status status, const char* what) {
  if (status != CFLOW_OK) {
    fprintf(stderr, "%s: %s: %s\n", what, cflow_status_name(status), cflow_last_error());
  }
  return status;
}

/* Reads a whole file into a malloc'ed, NUL-terminated buffer (ours to free). */
static char* read_file(const char* path) {
  FILE* f = fopen(path, "rb");
  char* text = NULL;
  long size;
  if (f == NULL) return NULL;
  if (fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0) {
    text = (char*)malloc((size_t)size + 1);
    if (text != NULL && fread(text, 1, (size_t)size, f) == (size_t)size) {
      text[size] = '\0';
    } else {
      free(text);
      text = NULL;
    }
  }
  fclose(f);
  return text;
}

/* Executes one collabflow.v1.Command given as JSON and prints the
 * CommandResult (which events it caused). The result buffer belongs to us:
 * cflow_free(). */
static cflow_status execute(cflow_engine* engine, const char* what, const char* command) {
  uint8_t* result = NULL;
  size_t result_len = 0;
  cflow_status s = cflow_engine_execute(&result, &result_len, engine, CFLOW_FORMAT_JSON, command,
                                        strlen(command));
  if (report(s, what) == CFLOW_OK) {
    printf("%-9s ok  %s\n", what, (const char*)result); /* JSON results are NUL-terminated */
    cflow_free(result);
  }
  return s;
}

/* Days since 1970-01-01 of a civil date (the proleptic Gregorian calendar). */
static int64_t days_from_civil(int64_t y, int m, int d) {
  const int64_t era = (y - (m <= 2)) / 400;
  const int64_t yoe = y - (m <= 2) - era * 400;
  const int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

/* "2026-09-11T09:00" in Asia/Shanghai -> microseconds since the epoch; 0 if
 * the text is not such a time. */
static int64_t shanghai_micros(const char* text) {
  int y, mo, d, h, mi;
  if (sscanf(text, "%4d-%2d-%2dT%2d:%2d", &y, &mo, &d, &h, &mi) != 5) return 0;
  return ((days_from_civil(y, mo, d) * 24 + h - 8) * 60 + mi) * INT64_C(60000000);
}

/* A copy of `line` (ours to free) in which a "time" without an offset,
 * "2026-08-31T09:30", becomes "2026-08-31T09:30:00+08:00", as proto3 JSON
 * wants a full RFC 3339 instant. */
static char* with_offset(const char* line) {
  const char* key = strstr(line, "\"time\"");
  const char* open;
  const char* close;
  char* out = (char*)malloc(strlen(line) + 16);
  if (out == NULL) return NULL;
  strcpy(out, line);
  if (key == NULL || (open = strchr(key + 6, '"')) == NULL ||
      (close = strchr(open + 1, '"')) == NULL || close - open - 1 != 16) {
    return out; /* no time, or one with seconds or an offset already */
  }
  sprintf(out + (close - line), ":00+08:00%s", close);
  return out;
}

/* Runs the scenario file: each command line through cflow_engine_execute(),
 * each {"tick": TIME} line through cflow_engine_tick(). Stops at the first
 * refusal. */
static int run_scenario(cflow_engine* engine, char* scenario) {
  char* line = scenario;
  int number = 0;
  while (line != NULL && *line != '\0') {
    char* next = strchr(line, '\n');
    char what[32];
    if (next != NULL) *next++ = '\0';
    ++number;
    sprintf(what, "line %d", number);
    if (line[0] == '{' && strncmp(line, "{\"tick\"", 7) == 0) {
      size_t events = 0;
      const char* at = strchr(line + 7, '"');
      const int64_t now = at != NULL ? shanghai_micros(at + 1) : 0;
      if (now == 0) {
        fprintf(stderr, "%s: not a time: %s\n", what, line);
        return 0;
      }
      if (report(cflow_engine_tick(&events, engine, now), what) != CFLOW_OK) return 0;
      printf("%-9s ok  tick: %d event(s)\n", what, (int)events);
    } else if (line[0] == '{') {
      char* command = with_offset(line);
      const cflow_status s = command != NULL ? execute(engine, what, command) : CFLOW_INTERNAL;
      free(command);
      if (s != CFLOW_OK) return 0;
    }
    line = next;
  }
  return 1;
}

/* The last notification's position in an OutboxPage's JSON, and how many
 * notifications it holds. A notification is known by its request_id and id
 * (numbered within the request); the outbox's cursor is the position of its
 * record in the store. uint64 numbers are JSON strings in proto3
 * ("position":"7"); a real host would use its JSON parser. */
static unsigned long long last_position(const char* page, int* count) {
  unsigned long long last = 0;
  const char* p = page;
  *count = 0;
  while ((p = strstr(p, "\"position\":\"")) != NULL) {
    p += strlen("\"position\":\"");
    last = strtoull(p, NULL, 10);
    ++*count;
  }
  return last;
}

/* Delivers the whole outbox, a page at a time: read from a cursor (0 = from
 * the start), hand each notification to your own channels (here: count
 * them), then acknowledge up to the last delivered position so the next read
 * resumes after it. */
static int deliver_outbox(cflow_engine* engine) {
  unsigned long long after = 0;
  int total = 0;
  for (;;) {
    uint8_t* page = NULL;
    size_t page_len = 0;
    int count = 0;
    unsigned long long last;
    if (report(cflow_engine_outbox_read(&page, &page_len, engine, CFLOW_FORMAT_JSON, after, 20),
               "outbox") != CFLOW_OK) {
      return 0;
    }
    last = last_position((const char*)page, &count);
    cflow_free(page);
    if (count == 0) break;
    total += count;
    if (report(cflow_engine_outbox_ack(engine, last), "ack") != CFLOW_OK) return 0;
    after = last;
  }
  printf("outbox: %d notification(s) delivered and acknowledged\n", total);
  return 1;
}

/* Progress of long work (here: replaying a store's journal on open). Called
 * about 100 times per pass at most; return non-zero to cancel. */
static int on_progress(size_t done, size_t total, void* payload) {
  (void)payload;
  if (done == total) printf("replayed %llu journal record(s)\n", (unsigned long long)total);
  return 0;
}

/* Prints an instant as Shanghai wall time (UTC+8 all year). */
static void print_shanghai(const char* label, int64_t unix_micros) {
  time_t t = (time_t)(unix_micros / 1000000 + 8 * 3600);
  struct tm* tm = gmtime(&t);
  char text[32];
  strftime(text, sizeof text, "%Y-%m-%d %H:%M", tm);
  printf("%s %s (Asia/Shanghai)\n", label, text);
}

int main(int argc, char** argv) {
  /* A command the archived request must refuse. */
  static const char kLateStart[] = "{\"actor_id\":\"p-li\",\"request_id\":\"" REQUEST_ID
                                   "\",\"start_task\":{\"task_id\":\"T1\"}}";
  cflow_options* options = NULL;
  cflow_engine* engine = NULL;
  cflow_calendar* calendar = NULL;
  int64_t answers_due = 0;
  char* directory = NULL;
  char* scenario = NULL;
  char* command = NULL;
  uint8_t* view = NULL;
  size_t view_len = 0;
  const char* state;
  int exit_code = 1;

  if (argc < 3) {
    fprintf(stderr, "usage: %s DIRECTORY_JSON SCENARIO_JSONL [STORE_DIR]\n", argv[0]);
    return 2;
  }
  /* 1. The library we run with must serve the header we compiled against. */
  if (!CFLOW_VERSION_CHECK()) {
    fprintf(stderr, "libcollabflow %s does not match collabflow.h %s\n", cflow_version(),
            CFLOW_VERSION);
    return 1;
  }
  printf("collabflow %s (ABI %d)\n", cflow_version(), cflow_abi_version());

  /* 2. Open an engine: options are copied by cflow_engine_open(), so they can
   *    be freed right after. */
  if (report(cflow_options_new(&options), "options") != CFLOW_OK) goto done;
  if (argc > 3 && report(cflow_options_set_store_dir(options, argv[3]), "store") != CFLOW_OK) {
    goto done;
  }
  if (report(cflow_options_set_progress(options, on_progress, NULL), "progress") != CFLOW_OK) {
    goto done;
  }
  if (report(cflow_engine_open(&engine, options), "open") != CFLOW_OK) goto done;
  cflow_options_free(options);
  options = NULL;

  /* 3. Load the directory of people and departments (only the host actor,
   *    "host" by default, may do that). */
  directory = read_file(argv[1]);
  scenario = read_file(argv[2]);
  if (directory == NULL || scenario == NULL) {
    fprintf(stderr, "cannot read %s or %s\n", argv[1], argv[2]);
    goto done;
  }
  command = (char*)malloc(strlen(directory) + 128);
  if (command == NULL) goto done;
  sprintf(command,
          "{\"actor_id\":\"host\",\"time\":\"2026-08-28T01:00:00Z\","
          "\"update_directory\":{\"directory\":%s}}",
          directory);
  if (execute(engine, "directory", command) != CFLOW_OK) goto done;

  /* 4. The whole process, one command at a time. */
  if (!run_scenario(engine, scenario)) goto done;

  /* 5. The outbox: who must be told what. */
  if (!deliver_outbox(engine)) goto done;

  /* 6. The request's state (a collabflow.v1.RequestView). */
  if (report(cflow_engine_get_request(&view, &view_len, engine, CFLOW_FORMAT_JSON, REQUEST_ID),
             "get_request") != CFLOW_OK) {
    goto done;
  }
  state = strstr((const char*)view, "REQUEST_STATE_");
  printf("status: %.*s\n", state != NULL ? (int)strcspn(state, "\"") : 7,
         state != NULL ? state : "unknown");

  /* 7. A refusal is an answer, not a crash: the status and the last error
   *    say why, and nothing changed. */
  {
    uint8_t* result = NULL;
    size_t result_len = 0;
    const cflow_status s = cflow_engine_execute(&result, &result_len, engine, CFLOW_FORMAT_JSON,
                                                kLateStart, strlen(kLateStart));
    if (s == CFLOW_OK) cflow_free(result);
    if (s != CFLOW_FAILED_PRECONDITION) goto done;
    printf("refused as it should be: %s: %s\n", cflow_status_name(s), cflow_last_error());
  }

  /* 8. Each receiver answers within 1 working day of the submission
   *    (holidays, make-up working days and working hours counted by the
   *    engine's calendar). */
  if (report(cflow_engine_calendar(&calendar, engine), "calendar") != CFLOW_OK) goto done;
  if (report(cflow_calendar_deadline_within(&answers_due, calendar,
                                            shanghai_micros("2026-08-31T10:00"), 1),
             "deadline") != CFLOW_OK) {
    goto done;
  }
  print_shanghai("answers were due by", answers_due);
  exit_code = 0;

done:
  /* Every buffer goes back through cflow_free(); free/close accept NULL. */
  cflow_free(view);
  cflow_calendar_free(calendar);
  free(command);
  free(scenario);
  free(directory);
  cflow_engine_close(engine);
  cflow_options_free(options);
  return exit_code;
}
