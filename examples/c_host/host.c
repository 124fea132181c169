/* A minimal collabflow host in C: copy it to start your own.
 *
 * It opens an engine (showing the replay's progress on a store), loads the
 * company directory, files a collaboration request (协作需求申请表) and submits
 * it with a typed command, reads the notifications the engine wants delivered
 * (the outbox), acknowledges them, prints the request's status, and asks the
 * shipped mainland-China calendar when the receivers' answers are due. It
 * uses only collabflow.h and speaks JSON (CFLOW_FORMAT_JSON), so it needs no
 * protobuf library; a host that has one can pass CFLOW_FORMAT_PROTOBUF and
 * the same calls return protobuf bytes.
 *
 *   host DIRECTORY_JSON [STORE_DIR]
 *
 * DIRECTORY_JSON is a collabflow.v1.Directory (e.g.
 * examples/q3-launch/directory.json). Without STORE_DIR the engine lives in
 * memory; with it, everything is journaled there (use a fresh directory: the
 * request id can be filed only once).
 *
 * Build: cc -std=c99 host.c $(pkg-config --cflags --libs collabflow)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "collabflow.h"

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

/* Executes one collabflow.v1.Command given as JSON and prints which events it
 * caused (the CommandResult). The result buffer belongs to us: cflow_free(). */
static cflow_status execute(cflow_engine* engine, const char* what, const char* command) {
  void* result = NULL;
  size_t result_len = 0;
  cflow_status s = cflow_engine_execute(&result, &result_len, engine, CFLOW_FORMAT_JSON, command,
                                        strlen(command));
  if (report(s, what) == CFLOW_OK) {
    printf("%-16s ok  %s\n", what, (const char*)result); /* JSON results are NUL-terminated */
    cflow_free(result);
  }
  return s;
}

/* The request, as in the seed's worked example (times are UTC; a host may
 * also leave "time" out, and the engine stamps the command with its clock). */
static const char kCreate[] =
    "{\"actor_id\":\"p-zhang\",\"time\":\"2026-08-31T01:30:00Z\",\"request_id\":\"REQ-Q3-LAUNCH\","
    "\"create_request\":{\"request\":{\"id\":\"REQ-Q3-LAUNCH\","
    "\"topic\":\"Q3\xe6\x96\xb0\xe5\x93\x81\xe4\xb8\x8a\xe5\xb8\x82\xe8\x90\xa5\xe9\x94\x80"
    "\xe6\x96\xb9\xe6\xa1\x88\xe6\x89\xa7\xe8\xa1\x8c\"," /* Q3新品上市营销方案执行 */
    "\"goal\":\"30 days to a launched marketing plan\","
    "\"milestones\":[{\"id\":\"first-draft\",\"name\":\"first draft\","
    "\"date\":{\"year\":2026,\"month\":9,\"day\":10}},"
    "{\"id\":\"final\",\"name\":\"final plan\",\"date\":{\"year\":2026,\"month\":9,\"day\":20}}],"
    "\"final_deadline\":{\"year\":2026,\"month\":9,\"day\":20},"
    "\"receivers\":[{\"id\":\"market\",\"department_id\":\"d-market\"},"
    "{\"id\":\"sales\",\"department_id\":\"d-sales\"}],"
    "\"initiator_id\":\"p-zhang\",\"owner_id\":\"p-li\"}}}";

/* 2026-08-31T02:00:00Z (10:00 in Shanghai), in microseconds since the epoch:
 * the instant the request is submitted. */
static const int64_t kSubmittedAt = INT64_C(1788141600000000);

/* Progress of long work (here: replaying a store's journal on open). Called
 * about 100 times per pass at most; return non-zero to cancel. */
static int on_progress(uint64_t done, uint64_t total, void* payload) {
  (void)payload;
  if (done == total) printf("replayed %llu journal record(s)\n", (unsigned long long)total);
  return 0;
}

/* Executes a typed command and frees it (the builders check their arguments;
 * the engine decides, exactly as for the same command given as JSON). */
static cflow_status execute_typed(cflow_engine* engine, const char* what, cflow_command* command) {
  void* result = NULL;
  size_t result_len = 0;
  cflow_status s =
      cflow_engine_execute_command(&result, &result_len, engine, CFLOW_FORMAT_JSON, command);
  if (report(s, what) == CFLOW_OK) printf("%-16s ok  %s\n", what, (const char*)result);
  cflow_free(result);
  return s;
}

/* Prints an instant as Shanghai wall time (UTC+8 all year). */
static void print_shanghai(const char* label, int64_t unix_micros) {
  time_t t = (time_t)(unix_micros / 1000000 + 8 * 3600);
  struct tm* tm = gmtime(&t);
  char text[32];
  strftime(text, sizeof text, "%Y-%m-%d %H:%M", tm);
  printf("%s %s (Asia/Shanghai)\n", label, text);
}

/* The largest notification id in an OutboxPage's JSON. uint64 ids are JSON
 * strings in proto3 ("id":"7"); a real host would use its JSON parser. */
static unsigned long long last_notification_id(const char* page) {
  unsigned long long last = 0;
  const char* p = page;
  while ((p = strstr(p, "\"id\":\"")) != NULL) {
    p += strlen("\"id\":\"");
    last = strtoull(p, NULL, 10);
  }
  return last;
}

int main(int argc, char** argv) {
  cflow_options* options = NULL;
  cflow_engine* engine = NULL;
  cflow_command* submit = NULL;
  cflow_calendar* calendar = NULL;
  int64_t answers_due = 0;
  char* directory = NULL;
  char* command = NULL;
  void* page = NULL;
  size_t page_len = 0;
  void* view = NULL;
  size_t view_len = 0;
  const char* state;
  int exit_code = 1;

  if (argc < 2) {
    fprintf(stderr, "usage: %s DIRECTORY_JSON [STORE_DIR]\n", argv[0]);
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
  if (argc > 2 && report(cflow_options_set_store_dir(options, argv[2]), "store") != CFLOW_OK) {
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
  if (directory == NULL) {
    fprintf(stderr, "cannot read %s\n", argv[1]);
    goto done;
  }
  command = (char*)malloc(strlen(directory) + 128);
  if (command == NULL) goto done;
  sprintf(command,
          "{\"actor_id\":\"host\",\"time\":\"2026-08-28T01:00:00Z\","
          "\"update_directory\":{\"directory\":%s}}",
          directory);
  if (execute(engine, "directory", command) != CFLOW_OK) goto done;

  /* 4. File the request (JSON), then submit it with a typed command. A
   *    refusal (say, submitting twice) is an answer, not a crash: the status
   *    and the last error say why. */
  if (execute(engine, "create_request", kCreate) != CFLOW_OK) goto done;
  if (report(cflow_command_submit_request(&submit, "p-zhang", kSubmittedAt, "REQ-Q3-LAUNCH"),
             "build submit") != CFLOW_OK) {
    goto done;
  }
  if (execute_typed(engine, "submit_request", submit) != CFLOW_OK) goto done;
  if (execute_typed(engine, "submit again", submit) == CFLOW_OK) goto done;

  /* 5. The outbox: who must be told what. Read from a cursor (0 = from the
   *    start), deliver through your own channels, then acknowledge up to the
   *    last delivered id so the next read resumes after it. */
  if (report(cflow_engine_outbox_read(&page, &page_len, engine, CFLOW_FORMAT_JSON, 0, 100),
             "outbox") != CFLOW_OK) {
    goto done;
  }
  printf("outbox: %s\n", (const char*)page);
  if (report(cflow_engine_outbox_ack(engine, last_notification_id((const char*)page)), "ack") !=
      CFLOW_OK) {
    goto done;
  }

  /* 6. The request's status (a collabflow.v1.RequestView). */
  if (report(cflow_engine_get_request(&view, &view_len, engine, CFLOW_FORMAT_JSON, "REQ-Q3-LAUNCH"),
             "get_request") != CFLOW_OK) {
    goto done;
  }
  state = strstr((const char*)view, "REQUEST_STATE_");
  printf("status: %.*s\n", state != NULL ? (int)strcspn(state, "\"") : 7,
         state != NULL ? state : "unknown");

  /* 7. Each receiver answers within 1 working day (holidays, make-up working
   *    days and working hours counted by the engine's calendar). */
  if (report(cflow_engine_calendar(&calendar, engine), "calendar") != CFLOW_OK) goto done;
  if (report(cflow_calendar_deadline_within(&answers_due, calendar, kSubmittedAt, 1), "deadline") !=
      CFLOW_OK) {
    goto done;
  }
  print_shanghai("answers due by", answers_due);
  exit_code = 0;

done:
  /* Every buffer goes back through cflow_free(); free/close accept NULL. */
  cflow_free(view);
  cflow_free(page);
  cflow_command_free(submit);
  cflow_calendar_free(calendar);
  free(command);
  free(directory);
  cflow_engine_close(engine);
  cflow_options_free(options);
  return exit_code;
}
