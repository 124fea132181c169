/* The library never writes to the host's stderr: tampered input through the
 * C ABI (strings that are not UTF-8 inside protobuf bytes, every byte of an
 * archive bundle set to 0xff in turn) is answered with a status and nothing
 * on file descriptor 2, captured here into a file. Before the library checked
 * the bytes itself, libprotobuf logged an error line to stderr for each.
 * And the log callback and the protobuf log capture, set and released. */
#define _POSIX_C_SOURCE 200809L /* dup, dup2, fileno */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "c_check.h"
#include "capi_seed.h"

static int g_saved_stderr = -1;
static FILE* g_capture = NULL;

static int capture_stderr(void) {
  fflush(stderr);
  g_capture = tmpfile();
  if (g_capture == NULL) return 0;
  g_saved_stderr = dup(2);
  return g_saved_stderr >= 0 && dup2(fileno(g_capture), 2) == 2;
}

/* Restores fd 2; the bytes written to it meanwhile into `buf` (NUL
 * terminated, at most cap - 1 of them); returns how many there were. */
static long release_stderr(char* buf, size_t cap) {
  long n;
  size_t got;
  fflush(stderr);
  dup2(g_saved_stderr, 2);
  close(g_saved_stderr);
  n = (long)lseek(fileno(g_capture), 0, SEEK_END);
  lseek(fileno(g_capture), 0, SEEK_SET);
  got = fread(buf, 1, cap - 1, g_capture);
  buf[got] = '\0';
  fclose(g_capture);
  return n;
}

/* A collabflow.v1 message whose field 1, a string, is "\xff\xfe". */
static const uint8_t kBadString[] = {0x0a, 0x02, 0xff, 0xfe};

static int test_tampered_input_writes_nothing_to_stderr(void) {
  cflow_engine* e = NULL;
  cflow_calendar* calendar = NULL;
  cflow_task_graph* graph = NULL;
  uint8_t* bundle = NULL;
  uint8_t* out = NULL;
  char* text = NULL;
  size_t bundle_len = 0;
  size_t len = 0;
  size_t i;
  size_t refused = 0;
  long written;
  char seen[512];
  CHECK(open_seeded(&e, kSeedPlanned));
  CHECK(cflow_engine_export_archive(&bundle, &bundle_len, e, "REQ-Q3-LAUNCH") == CFLOW_OK);
  CHECK(capture_stderr());
  /* A Command, a CollaborationRequest and a Calendar, each with a string
   * that is not UTF-8. */
  CHECK(cflow_engine_execute(&out, &len, e, CFLOW_FORMAT_PROTOBUF, kBadString, sizeof kBadString) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "actor_id") != NULL);
  CHECK(cflow_request_to_json(&text, &len, kBadString, sizeof kBadString) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_calendar_from_bytes(&calendar, kBadString, sizeof kBadString) ==
        CFLOW_INVALID_ARGUMENT);
  /* Every byte of the bundle set to 0xff in turn (inside a string, that is
   * invalid UTF-8): each is refused. */
  for (i = 0; i < bundle_len; ++i) {
    const uint8_t was = bundle[i];
    if (was == 0xff) continue;
    bundle[i] = 0xff;
    if (cflow_archive_verify(&out, &len, CFLOW_FORMAT_JSON, bundle, bundle_len) != CFLOW_OK) {
      ++refused;
    } else {
      cflow_free(out);
    }
    bundle[i] = was;
  }
  CHECK(cflow_task_graph_load(&graph, kBadString, sizeof kBadString) != CFLOW_OK);
  written = release_stderr(seen, sizeof seen);
  if (written != 0) fprintf(stderr, "%ld bytes on stderr, starting: %s\n", written, seen);
  CHECK(written == 0);
  CHECK(refused > 0);
  cflow_free(bundle);
  cflow_engine_close(e);
  return 1;
}

static void count_messages(int level, const char* message, void* payload) {
  (void)level;
  (void)message;
  ++*(int*)payload;
}

static int test_log_callback_and_protobuf_capture_are_set_and_released(void) {
  int count = 0;
  CHECK(cflow_log_set_callback(count_messages, &count) == CFLOW_OK);
  CHECK(cflow_log_capture_protobuf(1) == CFLOW_OK);
  CHECK(cflow_log_capture_protobuf(1) == CFLOW_OK); /* a no-op */
  CHECK(cflow_log_capture_protobuf(0) == CFLOW_OK);
  CHECK(cflow_log_capture_protobuf(0) == CFLOW_OK); /* a no-op */
  CHECK(cflow_log_set_callback(NULL, NULL) == CFLOW_OK);
  CHECK(count == 0); /* nothing went wrong */
  return 1;
}

int main(void) {
  RUN(test_tampered_input_writes_nothing_to_stderr);
  RUN(test_log_callback_and_protobuf_capture_are_set_and_released);
  return C_CHECK_SUMMARY();
}
