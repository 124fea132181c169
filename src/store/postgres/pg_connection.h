// One connection to a PostgreSQL server through libpq, and a pool of them:
// connecting with the store's timeouts, running statements with binary
// parameters and results, and mapping every failure to a canonical status
// that names the server. Thread-compatible: a Connection is used by one
// thread at a time (the pool hands each out to one caller); the pool itself
// is thread-safe.
//
// Errors: a server that cannot be reached (no such host or socket, refused,
// connect timeout, connection lost) is UNAVAILABLE; refused authentication
// (pg_hba.conf reject, wrong password, unknown role) is PERMISSION_DENIED; a
// malformed connection string is INVALID_ARGUMENT; a statement cut by the
// statement timeout is DEADLINE_EXCEEDED; serialization failures, deadlocks
// and unique violations are ABORTED. Every message begins with "PostgreSQL
// <host>:<port>/<database>" and never carries a password. libpq's notices
// go to the library's log at kInfo (never to stderr).
#ifndef COLLABFLOW_SRC_STORE_POSTGRES_PG_CONNECTION_H_
#define COLLABFLOW_SRC_STORE_POSTGRES_PG_CONNECTION_H_

#include <libpq-fe.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "store/postgres/module_entry.h"

namespace collabflow::internal::pg {

// Where libpq's notices go: the library's log (module_entry.h), set when
// the module opens a store. Until set, they are dropped.
void SetLibraryLog(PostgresModuleLogFn log);

struct ConnectOptions {
  std::string uri;  // a libpq connection string or URI
  uint32_t connect_timeout_seconds = 10;
  uint32_t statement_timeout_ms = 10'000;
  bool synchronous_commit_off = false;  // Durability::kNoSync
};

// The SQLSTATE of a unique violation (the version check's conflict).
inline constexpr absl::string_view kUniqueViolation = "23505";

// A statement's result (owned). Columns are read in binary format.
class Result {
 public:
  explicit Result(PGresult* result) : result_(result) {}
  Result(Result&& other) noexcept : result_(other.result_) { other.result_ = nullptr; }
  Result& operator=(Result&&) = delete;
  ~Result() { PQclear(result_); }

  int rows() const { return PQntuples(result_); }
  bool IsNull(int row, int col) const { return PQgetisnull(result_, row, col) != 0; }
  absl::string_view Bytes(int row, int col) const {
    return absl::string_view(PQgetvalue(result_, row, col),
                             static_cast<size_t>(PQgetlength(result_, row, col)));
  }
  // A bigint, integer or xid8 column (binary, big-endian).
  int64_t Int(int row, int col) const;

 private:
  PGresult* result_;
};

// A statement parameter: text (numbers) or binary (bytea).
struct Param {
  absl::string_view value;
  bool binary = false;
  static Param Text(absl::string_view v) { return Param{v, false}; }
  static Param Binary(absl::string_view v) { return Param{v, true}; }
};

class Connection {
 public:
  // Connects and sets the session up (statement timeout, commit mode).
  static absl::StatusOr<std::unique_ptr<Connection>> Open(const ConnectOptions& options);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement; its rows (binary) or the mapped error. `sqlstate`,
  // when given, receives the error's SQLSTATE ("" when OK or none).
  absl::StatusOr<Result> Exec(absl::string_view sql, const std::vector<Param>& params = {},
                              std::string* sqlstate = nullptr);

  // Exec of a statement prepared on this connection under `name` (the
  // first call prepares it): parsed and planned once per connection, for
  // the statements every append and read runs.
  absl::StatusOr<Result> ExecPrepared(absl::string_view name, absl::string_view sql,
                                      const std::vector<Param>& params = {},
                                      std::string* sqlstate = nullptr);

  // Streams the rows of one statement to `row` one at a time (libpq's
  // single-row mode), so a large result is never held whole; a non-OK
  // return from `row` stops the read and leaves the connection unusable
  // (broken()), so that the rest of the rows need not be drained.
  // With `prepared_name`, the statement is prepared on this connection
  // under that name (as ExecPrepared).
  absl::Status Stream(absl::string_view sql, const std::vector<Param>& params,
                      const std::function<absl::Status(const Result&)>& row,
                      absl::string_view prepared_name = {});

  // LISTEN's notifications: waits until the server sends some, `wake_fd`
  // (a pipe's reading end, or -1) becomes readable, or `timeout_ms` passes
  // (-1: no limit), and returns the payloads received (none: woken or timed
  // out). UNAVAILABLE when the connection is lost.
  absl::StatusOr<std::vector<std::string>> WaitForNotifications(int wake_fd, int timeout_ms);

  // The server as messages name it: "PostgreSQL host:port/database".
  const std::string& server() const { return server_; }
  // Whether the connection may go back to a pool: connected, idle, and no
  // failure seen on it (an error may leave a session in a state the next
  // user should not inherit).
  bool reusable() const;
  // reusable(), and the server has not ended the session while it was idle
  // (read without blocking).
  bool StillConnected();
  void MarkBroken() { broken_ = true; }

  // The status for a failed statement or connection.
  absl::Status ErrorStatus(const PGresult* result, absl::string_view what) const;

 private:
  explicit Connection(PGconn* conn);
  // Prepares `sql` as `name` on this connection, once.
  absl::Status Prepare(const std::string& name, absl::string_view sql, std::string* sqlstate);
  // A statement's result, or its error (the connection then broken).
  absl::StatusOr<Result> Finish(PGresult* res, absl::string_view sql, std::string* sqlstate);
  PGconn* conn_;
  absl::flat_hash_set<std::string> prepared_;  // statement names
  std::string server_;
  bool broken_ = false;
};

// Idle connections to one server, handed out one caller at a time; a
// connection is opened when none is idle, and kept (up to max_idle) when
// given back in a reusable state. Thread-safe.
class ConnectionPool {
 public:
  explicit ConnectionPool(ConnectOptions options, size_t max_idle = 8)
      : options_(std::move(options)), max_idle_(max_idle) {}

  class Lease {
   public:
    Lease(ConnectionPool* pool, std::unique_ptr<Connection> conn)
        : pool_(pool), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    ~Lease() {
      if (conn_ != nullptr) pool_->GiveBack(std::move(conn_));
    }
    Connection* operator->() const { return conn_.get(); }
    Connection& operator*() const { return *conn_; }

   private:
    ConnectionPool* pool_;
    std::unique_ptr<Connection> conn_;
  };

  absl::StatusOr<Lease> Acquire();
  // Closes every idle connection; leased ones close when given back.
  void Shutdown();
  const ConnectOptions& options() const { return options_; }

 private:
  void GiveBack(std::unique_ptr<Connection> conn);

  const ConnectOptions options_;
  const size_t max_idle_;
  std::mutex mu_;
  bool shut_down_ = false;
  std::vector<std::unique_ptr<Connection>> idle_;
};

}  // namespace collabflow::internal::pg

#endif  // COLLABFLOW_SRC_STORE_POSTGRES_PG_CONNECTION_H_
