// The C ABI's contract as both libFuzzer harnesses check it (capi_fuzz.cc,
// task_graph_fuzz.cc): every answer is a defined status; a failure carries a
// message, sets the last error code to itself and leaves the out-parameter
// alone. A breach prints what broke and aborts (libFuzzer keeps the input).
#ifndef COLLABFLOW_TESTS_FUZZ_FUZZ_CONTRACT_H_
#define COLLABFLOW_TESTS_FUZZ_FUZZ_CONTRACT_H_

#include <cstdint>
#include <cstdio>
#include <cstdlib>

#include "collabflow.h"

namespace collabflow::fuzz {

[[noreturn]] inline void Violation(const char* what, cflow_status s) {
  std::fprintf(stderr, "contract violation: %s (status %d %s, last error \"%s\")\n", what, s,
               cflow_status_name(s), cflow_last_error());
  std::abort();
}

inline void CheckAnswer(cflow_status s, const void* out, const void* untouched) {
  if (s == CFLOW_OK) return;
  if (s == CFLOW_INTERNAL || s == CFLOW_UNKNOWN) Violation("internal error", s);
  if (s < CFLOW_DATA_LOSS || s > CFLOW_OK) Violation("status outside the fixed set", s);
  if (cflow_last_error_code() != s) Violation("last error code differs from the status", s);
  if (cflow_last_error()[0] == '\0') Violation("failure without a message", s);
  if (out != untouched) Violation("failed call wrote its out-parameter", s);
}

// What a failed call must leave in its out-parameter (never a real buffer).
inline uint8_t* const kUntouched = reinterpret_cast<uint8_t*>(0x1);

}  // namespace collabflow::fuzz

#endif  // COLLABFLOW_TESTS_FUZZ_FUZZ_CONTRACT_H_
