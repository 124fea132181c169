/* The smallest C host: checks the ABI and prints the library version. */
#include <collabflow.h>
#include <stdio.h>

int main(void) {
  if (cflow_abi_version() != CFLOW_ABI_VERSION) {
    fprintf(stderr, "ABI mismatch: built for %d, running %d\n", CFLOW_ABI_VERSION,
            cflow_abi_version());
    return 1;
  }
  printf("collabflow %s (ABI %d)\n", cflow_version(), cflow_abi_version());
  return 0;
}
