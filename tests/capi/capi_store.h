/* A store directory for the C tests that need one: made new with mkdtemp,
 * with options for a store in it, and removed at the end. A test including
 * this defines _POSIX_C_SOURCE 200809L (for mkdtemp) before any include. */
#ifndef COLLABFLOW_TESTS_CAPI_CAPI_STORE_H_
#define COLLABFLOW_TESTS_CAPI_CAPI_STORE_H_

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "c_check.h"
#include "collabflow.h"

/* Makes a new directory from the mkdtemp `pattern` ("/tmp/name_XXXXXX"),
 * its name in `dir` (room for the pattern), and in *options (the caller's
 * to free) options for a store there that does not sync. Returns 1 on
 * success. */
static inline int new_store(char* dir, const char* pattern, cflow_options** options) {
  strcpy(dir, pattern);
  CHECK(mkdtemp(dir) != NULL);
  CHECK(cflow_options_new(options) == CFLOW_OK);
  CHECK(cflow_options_set_durability(*options, CFLOW_DURABILITY_NO_SYNC) == CFLOW_OK);
  CHECK(cflow_options_set_store_dir(*options, dir) == CFLOW_OK);
  return 1;
}

/* Removes the directory new_store() made, with everything in it. */
static inline void remove_store(const char* dir) {
  char command[128];
  sprintf(command, "rm -rf '%s'", dir);
  if (system(command) != 0) fprintf(stderr, "could not remove %s\n", dir);
}

#endif /* COLLABFLOW_TESTS_CAPI_CAPI_STORE_H_ */
