// The one entry point of the PostgreSQL store module (libcollabflow_pg.so),
// shared by the module and the library that loads it (store/open_store.cc).
// Both are built from the same tree, so the entry passes C++ types: the
// module and its loader link the same shared Abseil and C++ runtime. The
// symbol's name carries the interface number and the module reports the
// version it was built as; the loader refuses a module of another version.
#ifndef COLLABFLOW_SRC_STORE_POSTGRES_MODULE_ENTRY_H_
#define COLLABFLOW_SRC_STORE_POSTGRES_MODULE_ENTRY_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collabflow/event_store.h"
#include "collabflow/log.h"

namespace collabflow::internal {

// The module's file name, as installed next to libcollabflow.so.
inline constexpr char kPostgresModuleFile[] = "libcollabflow_pg.so";
// Overrides where the module is looked for (a path to the file).
inline constexpr char kPostgresModuleEnv[] = "COLLABFLOW_PG_MODULE";

inline constexpr char kPostgresModuleVersionSymbol[] = "collabflow_pg_module_version_v1";
inline constexpr char kPostgresModuleOpenSymbol[] = "collabflow_pg_open_store_v2";

// The version the module was built as (the project's VERSION).
using PostgresModuleVersionFn = const char* (*)();
// The library's log (base/library_log.h), which the module says through
// what has no call to answer (libpq's notices).
using PostgresModuleLogFn = void (*)(LogLevel level, absl::string_view message);
// Opens the store at `uri`, logging through `log`; never throws.
using PostgresModuleOpenFn = void (*)(const std::string& uri, const StoreOptions& options,
                                      PostgresModuleLogFn log,
                                      absl::StatusOr<std::unique_ptr<EventStore>>* out);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_STORE_POSTGRES_MODULE_ENTRY_H_
