/* A minimal test harness for the C test programs: CHECK a condition inside
 * a test function (returning 0 on failure, with the library's last error),
 * RUN a test, and print "N passed, N failed" with C_CHECK_SUMMARY(). */
#ifndef COLLABFLOW_TESTS_CAPI_C_CHECK_H_
#define COLLABFLOW_TESTS_CAPI_C_CHECK_H_

#include <stdio.h>

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

/* Prints the closing line ctest-style runners read, and the exit status. */
#define C_CHECK_SUMMARY() \
  (printf("%d passed, %d failed\n", g_passed, g_failed), g_failed == 0 ? 0 : 1)

#endif /* COLLABFLOW_TESTS_CAPI_C_CHECK_H_ */
