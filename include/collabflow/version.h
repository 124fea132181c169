// collabflow's version, at compile time (from the generated C header, whose
// source of truth is the VERSION file) and at run time (from the library).
#ifndef COLLABFLOW_VERSION_H_
#define COLLABFLOW_VERSION_H_

#include "absl/strings/string_view.h"
#include "collabflow_version.h"

namespace collabflow {

inline constexpr int kVersionMajor = CFLOW_VERSION_MAJOR;
inline constexpr int kVersionMinor = CFLOW_VERSION_MINOR;
inline constexpr int kVersionPatch = CFLOW_VERSION_PATCH;
inline constexpr absl::string_view kVersionString = CFLOW_VERSION;

// The version of the library actually linked, e.g. "0.2.0".
absl::string_view RuntimeVersion();

}  // namespace collabflow

#endif  // COLLABFLOW_VERSION_H_
