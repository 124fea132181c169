// OpenStore: a store named by a URI or a directory; the PostgreSQL store
// comes from its module (libcollabflow_pg.so), loaded with dlopen on first
// use, so that libpq and its dependencies enter only the processes that open
// a PostgreSQL store.
#include <dlfcn.h>

#include <cstdlib>
#include <mutex>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/library_log.h"
#include "collabflow/event_store.h"
#include "store/postgres/module_entry.h"

#ifndef COLLABFLOW_PG_MODULE_VERSION
#error "COLLABFLOW_PG_MODULE_VERSION must be defined by the build"
#endif
#ifndef COLLABFLOW_INSTALL_FULL_LIBDIR
#error "COLLABFLOW_INSTALL_FULL_LIBDIR must be defined by the build"
#endif

namespace collabflow {
namespace {

struct LoadedModule {
  internal::PostgresModuleOpenFn open = nullptr;
  absl::Status error;  // why it could not be loaded
};

// Where the module is looked for, in order (docs/store.md).
std::vector<std::string> ModuleCandidates() {
  if (const char* env = std::getenv(internal::kPostgresModuleEnv); env != nullptr && *env) {
    return {env};  // an explicit choice is the only one tried
  }
  std::vector<std::string> paths;
  Dl_info info;
  if (dladdr(reinterpret_cast<void*>(&OpenPostgresStore), &info) != 0 &&
      info.dli_fname != nullptr) {
    std::string self = info.dli_fname;
    const size_t slash = self.rfind('/');
    const std::string dir = slash == std::string::npos ? "." : self.substr(0, slash);
    paths.push_back(absl::StrCat(dir, "/", internal::kPostgresModuleFile));
  }
  const std::string installed =
      absl::StrCat(COLLABFLOW_INSTALL_FULL_LIBDIR, "/", internal::kPostgresModuleFile);
  if (paths.empty() || paths.front() != installed) paths.push_back(installed);
  return paths;
}

LoadedModule Load() {
  LoadedModule loaded;
  std::vector<std::string> tried;
  for (const std::string& path : ModuleCandidates()) {
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = dlerror();
      tried.push_back(absl::StrCat(path, " (", why != nullptr ? why : "not loadable", ")"));
      continue;
    }
    auto version = reinterpret_cast<internal::PostgresModuleVersionFn>(
        dlsym(handle, internal::kPostgresModuleVersionSymbol));
    auto open = reinterpret_cast<internal::PostgresModuleOpenFn>(
        dlsym(handle, internal::kPostgresModuleOpenSymbol));
    if (version == nullptr || open == nullptr) {
      tried.push_back(absl::StrCat(path, " (not a collabflow PostgreSQL module)"));
      dlclose(handle);
      continue;
    }
    if (std::string(version()) != COLLABFLOW_PG_MODULE_VERSION) {
      tried.push_back(absl::StrCat(path, " (built for collabflow ", version(), ", not ",
                                   COLLABFLOW_PG_MODULE_VERSION, ")"));
      dlclose(handle);
      continue;
    }
    // Kept loaded for the life of the process: stores it opened may outlive
    // any one caller.
    loaded.open = open;
    return loaded;
  }
  loaded.error = absl::FailedPreconditionError(absl::StrCat(
      "cannot load the PostgreSQL store module ", internal::kPostgresModuleFile, " (set ",
      internal::kPostgresModuleEnv, " to its path); tried: ", absl::StrJoin(tried, "; ")));
  return loaded;
}

const LoadedModule& Module() {
  static const LoadedModule* module = new LoadedModule(Load());
  return *module;
}

}  // namespace

bool IsPostgresUri(absl::string_view uri_or_dir) {
  return absl::StartsWith(uri_or_dir, "postgresql://") ||
         absl::StartsWith(uri_or_dir, "postgres://");
}

absl::StatusOr<std::unique_ptr<EventStore>> OpenPostgresStore(const std::string& uri,
                                                              const StoreOptions& options) {
  if (!IsPostgresUri(uri)) {
    return absl::InvalidArgumentError(
        "a PostgreSQL store is named by a postgresql:// or postgres:// URI");
  }
  if (options.read_only) {
    return absl::InvalidArgumentError(
        "StoreOptions.read_only: only a directory store opens read-only (a PostgreSQL store "
        "is shared by design)");
  }
  const LoadedModule& module = Module();
  if (module.open == nullptr) return module.error;
  absl::StatusOr<std::unique_ptr<EventStore>> store =
      absl::InternalError("the PostgreSQL store module returned nothing");
  module.open(uri, options, &internal::Log, &store);
  return store;
}

absl::StatusOr<std::unique_ptr<EventStore>> OpenStore(const std::string& uri_or_dir,
                                                      const StoreOptions& options) {
  if (IsPostgresUri(uri_or_dir)) return OpenPostgresStore(uri_or_dir, options);
  return OpenDirectoryStore(uri_or_dir, options);
}

}  // namespace collabflow
