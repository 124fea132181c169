// Version calls of the C ABI.
#include "collabflow.h"

extern "C" {

CFLOW_EXPORT const char* cflow_version(void) { return CFLOW_VERSION; }
CFLOW_EXPORT int cflow_version_number(void) { return CFLOW_VERSION_NUMBER; }
CFLOW_EXPORT int cflow_abi_version(void) { return CFLOW_ABI_VERSION; }

}  // extern "C"
