#include "collabflow/version.h"

namespace collabflow {

absl::string_view RuntimeVersion() { return CFLOW_VERSION; }

}  // namespace collabflow
