// Test support for the PostgreSQL suites: a database of its own on the
// throwaway server the ctest fixture starts (scripts/pg_test_server.sh,
// $COLLABFLOW_TEST_PG_URI), so that tests run in parallel. Tests only.
#ifndef COLLABFLOW_TESTS_SUPPORT_PG_TEST_DATABASE_H_
#define COLLABFLOW_TESTS_SUPPORT_PG_TEST_DATABASE_H_

#include <libpq-fe.h>
#include <stdlib.h>
#include <unistd.h>

#include <atomic>
#include <random>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"

namespace collabflow::testing {

// The fixture's server; "" when the suite runs outside ctest.
inline std::string TestServerUri() {
  const char* uri = getenv("COLLABFLOW_TEST_PG_URI");
  return uri != nullptr ? uri : "";
}

// The module the suites load: the one this build made, unless overridden.
inline void UseBuiltPostgresModule() {
#ifdef COLLABFLOW_TEST_PG_MODULE
  setenv("COLLABFLOW_PG_MODULE", COLLABFLOW_TEST_PG_MODULE, /*overwrite=*/0);
#endif
}

// `uri` with its database replaced by `database`
// ("postgresql:///postgres?host=..." -> "postgresql:///<database>?host=...").
inline std::string WithDatabase(const std::string& uri, const std::string& database) {
  const size_t query = uri.find('?');
  const size_t slash = uri.rfind('/', query);
  return absl::StrCat(uri.substr(0, slash + 1), database,
                      query == std::string::npos ? "" : uri.substr(query));
}

// Runs `sql` on the database `uri` names, as the server's superuser.
inline absl::Status ExecSql(const std::string& uri, const std::string& sql) {
  PGconn* conn = PQconnectdb(uri.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    absl::Status s = absl::UnavailableError(PQerrorMessage(conn));
    PQfinish(conn);
    return s;
  }
  PQsetNoticeProcessor(
      conn, [](void*, const char*) {}, nullptr);
  PGresult* res = PQexec(conn, sql.c_str());
  absl::Status s = PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK
                       ? absl::OkStatus()
                       : absl::InternalError(absl::StrCat(sql, ": ", PQresultErrorMessage(res)));
  PQclear(res);
  PQfinish(conn);
  return s;
}

// A fresh, empty database, dropped with everything in it at destruction.
class TestDatabase {
 public:
  TestDatabase() {
    UseBuiltPostgresModule();
    server_ = TestServerUri();
    if (server_.empty()) {
      ADD_FAILURE() << "COLLABFLOW_TEST_PG_URI is not set: run this suite through ctest, which "
                       "starts a throwaway PostgreSQL server (scripts/pg_test_server.sh)";
      return;
    }
    static std::atomic<int> counter{0};
    name_ =
        absl::StrCat("cflow_test_", getpid(), "_", counter++, "_", std::random_device{}() % 100000);
    absl::Status s = ExecSql(server_, absl::StrCat("CREATE DATABASE ", name_));
    if (!s.ok()) {
      ADD_FAILURE() << s;
      name_.clear();
      return;
    }
    uri_ = WithDatabase(server_, name_);
  }
  ~TestDatabase() {
    if (!name_.empty()) {
      (void)ExecSql(server_, absl::StrCat("DROP DATABASE IF EXISTS ", name_, " WITH (FORCE)"));
    }
  }
  TestDatabase(const TestDatabase&) = delete;
  TestDatabase& operator=(const TestDatabase&) = delete;

  bool ok() const { return !uri_.empty(); }
  const std::string& uri() const { return uri_; }
  const std::string& server() const { return server_; }
  absl::Status Exec(const std::string& sql) const { return ExecSql(uri_, sql); }

 private:
  std::string server_;
  std::string name_;
  std::string uri_;
};

}  // namespace collabflow::testing

#endif  // COLLABFLOW_TESTS_SUPPORT_PG_TEST_DATABASE_H_
