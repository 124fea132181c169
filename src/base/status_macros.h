// Early-return helpers for absl::Status / absl::StatusOr (Abseil 20220623 has
// no public ones).
#ifndef COLLABFLOW_SRC_BASE_STATUS_MACROS_H_
#define COLLABFLOW_SRC_BASE_STATUS_MACROS_H_

#include "absl/status/status.h"

#define CFLOW_RETURN_IF_ERROR(expr)                                      \
  do {                                                                   \
    if (absl::Status _cflow_s = (expr); !_cflow_s.ok()) return _cflow_s; \
  } while (0)

#define CFLOW_CONCAT_INNER_(a, b) a##b
#define CFLOW_CONCAT_(a, b) CFLOW_CONCAT_INNER_(a, b)
// CFLOW_ASSIGN_OR_RETURN(auto x, MaybeX()); returns the error status if any.
#define CFLOW_ASSIGN_OR_RETURN(lhs, expr) \
  CFLOW_ASSIGN_OR_RETURN_IMPL_(CFLOW_CONCAT_(_cflow_or_, __LINE__), lhs, expr)
#define CFLOW_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return std::move(tmp).status();     \
  lhs = std::move(tmp).value()

#endif  // COLLABFLOW_SRC_BASE_STATUS_MACROS_H_
