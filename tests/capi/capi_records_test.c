/* Records through the C ABI alone, from C: history verification, the process
 * record table, archive export and verification, reports; and misuse. Built as C99 and C11
 * with -Wall -Wextra -pedantic -Werror. Prints "N passed, N failed". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_check.h"
#include "capi_seed.h"

/* 2026-09-02 12:00 Asia/Shanghai. */
static const int64_t kNow = 1788321600000000LL;

static int test_history_record_archive_and_report(void) {
  cflow_engine* e = NULL;
  uint8_t* out = NULL;
  uint8_t* bundle = NULL;
  char* text = NULL;
  size_t len = 0, bundle_len = 0;
  CHECK(open_seeded(&e, kSeedPlanned));
  CHECK(cflow_engine_verify_history(e) == CFLOW_OK);
  CHECK(cflow_engine_process_record(&out, &len, e, CFLOW_FORMAT_JSON, "REQ-Q3-LAUNCH") == CFLOW_OK);
  CHECK(strstr((const char*)out, "\"step\":5") != NULL);
  CHECK(strstr((const char*)out, "MET_YES") != NULL);
  cflow_free(out);
  CHECK(cflow_engine_export_archive(&bundle, &bundle_len, e, "REQ-Q3-LAUNCH") == CFLOW_OK);
  CHECK(bundle_len > 100);
  CHECK(cflow_archive_verify(NULL, NULL, CFLOW_FORMAT_PROTOBUF, bundle, bundle_len) == CFLOW_OK);
  CHECK(cflow_archive_verify(&out, &len, CFLOW_FORMAT_JSON, bundle, bundle_len) == CFLOW_OK);
  CHECK(strstr((const char*)out, "\"manifest\"") != NULL);
  cflow_free(out);
  /* A changed byte inside the bundle is refused (a digest, a hash or the
   * encoding itself no longer agrees). */
  bundle[bundle_len / 2] ^= 0x5a;
  CHECK(cflow_archive_verify(NULL, NULL, CFLOW_FORMAT_PROTOBUF, bundle, bundle_len) ==
        CFLOW_DATA_LOSS);
  CHECK(strstr(cflow_last_error(), "archive") != NULL);
  cflow_free(bundle);
  CHECK(cflow_engine_report(&text, &len, e, "REQ-Q3-LAUNCH", CFLOW_REPORT_HTML,
                            CFLOW_LANGUAGE_CHINESE, kNow) == CFLOW_OK);
  CHECK(strncmp(text, "<!DOCTYPE html>", 15) == 0);
  CHECK(strstr(text, "<svg") != NULL);
  CHECK(strlen(text) == len);
  cflow_free(text);
  CHECK(cflow_engine_report(&text, &len, e, "REQ-Q3-LAUNCH", CFLOW_REPORT_MARKDOWN,
                            CFLOW_LANGUAGE_ENGLISH, kNow) == CFLOW_OK);
  CHECK(strstr(text, "## Process record table") != NULL);
  cflow_free(text);
  CHECK(cflow_engine_report(&text, &len, e, "REQ-Q3-LAUNCH", CFLOW_REPORT_GANTT_SVG,
                            CFLOW_LANGUAGE_CHINESE, kNow) == CFLOW_OK);
  CHECK(strncmp(text, "<svg", 4) == 0);
  cflow_free(text);
  cflow_engine_close(e);
  return 1;
}

static int test_misuse_is_refused_with_codes(void) {
  cflow_engine* e = NULL;
  uint8_t* out = NULL;
  uint8_t* bundle = NULL;
  char* text = NULL;
  size_t len = 0;
  CHECK(open_seeded(&e, kSeedPlanned));
  CHECK(cflow_engine_process_record(&out, &len, e, CFLOW_FORMAT_JSON, "REQ-NONE") ==
        CFLOW_NOT_FOUND);
  CHECK(cflow_engine_process_record(&out, &len, e, CFLOW_FORMAT_JSON, NULL) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_export_archive(NULL, &len, e, "REQ-Q3-LAUNCH") == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_export_archive(&bundle, &len, e, "REQ-NONE") == CFLOW_NOT_FOUND);
  CHECK(bundle == NULL);
  CHECK(cflow_engine_report(&text, &len, e, "REQ-Q3-LAUNCH", 7, CFLOW_LANGUAGE_CHINESE, kNow) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "format") != NULL);
  CHECK(cflow_engine_report(&text, &len, e, "REQ-Q3-LAUNCH", CFLOW_REPORT_HTML, 9, kNow) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(text == NULL);
  CHECK(cflow_archive_verify(&out, NULL, CFLOW_FORMAT_JSON, NULL, 0) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_archive_verify(NULL, NULL, CFLOW_FORMAT_JSON, NULL, 5) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_archive_verify(NULL, NULL, CFLOW_FORMAT_JSON, NULL, 0) != CFLOW_OK);
  cflow_engine_close(e);
  CHECK(cflow_engine_verify_history(e) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_engine_verify_history(NULL) == CFLOW_INVALID_ARGUMENT);
  return 1;
}

int main(void) {
  RUN(test_history_record_archive_and_report);
  RUN(test_misuse_is_refused_with_codes);
  return C_CHECK_SUMMARY();
}
