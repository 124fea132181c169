/* A minimal test harness for the C test programs: CHECK a condition inside
 * a test function (returning 0 on failure, with the library's last error),
 * RUN a test, and print "N passed, N failed" with C_CHECK_SUMMARY(); and
 * same_bytes_freed() to compare two buffers the library returned. */
#ifndef COLLABFLOW_TESTS_CAPI_C_CHECK_H_
#define COLLABFLOW_TESTS_CAPI_C_CHECK_H_

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "collabflow.h"

static int g_passed, g_failed;

#define CHECK(cond)                                                                            \
  do {                                                                                         \
    if (!(cond)) {                                                                             \
      fprintf(stderr, "%s:%d: CHECK failed: %s (last error: %s)\n", __FILE__, __LINE__, #cond, \
              cflow_last_error());                                                             \
      return 0;                                                                                \
    }                                                                                          \
  } while (0)

#define RUN(test)                   \
  do {                              \
    if (test()) {                   \
      ++g_passed;                   \
      printf("[ OK ] %s\n", #test); \
    } else {                        \
      ++g_failed;                   \
      printf("[FAIL] %s\n", #test); \
    }                               \
  } while (0)

/* Whether two buffers the library returned hold the same bytes; frees both.
 * (static inline: not every test compares bytes.) */
static inline int same_bytes_freed(uint8_t* a, size_t a_len, uint8_t* b, size_t b_len) {
  const int same = a_len == b_len && memcmp(a, b, a_len) == 0;
  cflow_free(a);
  cflow_free(b);
  return same;
}

/* Prints the closing line ctest-style runners read, and the exit status. */
#define C_CHECK_SUMMARY() \
  (printf("%d passed, %d failed\n", g_passed, g_failed), g_failed == 0 ? 0 : 1)

#endif /* COLLABFLOW_TESTS_CAPI_C_CHECK_H_ */
