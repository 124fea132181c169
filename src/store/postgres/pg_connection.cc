#include "store/postgres/pg_connection.h"

#include <poll.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "base/status_macros.h"

namespace collabflow::internal::pg {
namespace {

// libpq prints notices (e.g. "relation already exists, skipping") to stderr
// unless told otherwise; a library must not write there. They go to the
// library's log (the host's callback), at kInfo, naming the server; until
// the connection is made, nowhere.
std::atomic<PostgresModuleLogFn> library_log{nullptr};

void DropNotice(void* /*arg*/, const char* /*message*/) {}

std::string Trimmed(const char* message);

void LogNotice(void* arg, const char* message) {
  const PostgresModuleLogFn log = library_log.load();
  if (log == nullptr || arg == nullptr) return;
  log(LogLevel::kInfo,
      absl::StrCat(static_cast<const Connection*>(arg)->server(), ": ", Trimmed(message)));
}

std::string ServerName(const PGconn* conn) {
  const char* host = PQhost(conn);
  const char* port = PQport(conn);
  const char* db = PQdb(conn);
  return absl::StrCat("PostgreSQL ", host != nullptr && *host ? host : "(default host)", ":",
                      port != nullptr && *port ? port : "5432", "/", db != nullptr ? db : "");
}

std::string Trimmed(const char* message) {
  return std::string(absl::StripAsciiWhitespace(message != nullptr ? message : ""));
}

// Authentication refused, as libpq words it (it reports no SQLSTATE for a
// failed connection).
bool IsAuthenticationFailure(PGconn* conn, absl::string_view message) {
  return PQconnectionNeedsPassword(conn) != 0 ||
         absl::StrContains(message, "authentication failed") ||
         absl::StrContains(message, "pg_hba.conf rejects") ||
         absl::StrContains(message, "no pg_hba.conf entry") ||
         (absl::StrContains(message, "role \"") && absl::StrContains(message, "does not exist")) ||
         absl::StrContains(message, "password");
}

}  // namespace

void SetLibraryLog(PostgresModuleLogFn log) { library_log.store(log); }

int64_t Result::Int(int row, int col) const {
  const auto* p = reinterpret_cast<const unsigned char*>(PQgetvalue(result_, row, col));
  const int len = PQgetlength(result_, row, col);
  uint64_t v = 0;
  for (int i = 0; i < len; ++i) v = (v << 8) | p[i];
  if (len == 4) return static_cast<int32_t>(static_cast<uint32_t>(v));
  return static_cast<int64_t>(v);
}

Connection::Connection(PGconn* conn) : conn_(conn), server_(ServerName(conn)) {}

Connection::~Connection() { PQfinish(conn_); }

absl::StatusOr<std::unique_ptr<Connection>> Connection::Open(const ConnectOptions& options) {
  char* parse_error = nullptr;
  PQconninfoOption* parsed = PQconninfoParse(options.uri.c_str(), &parse_error);
  if (parsed == nullptr) {
    std::string why = Trimmed(parse_error);
    PQfreemem(parse_error);
    return absl::InvalidArgumentError(
        absl::StrCat("malformed PostgreSQL connection string: ", why));
  }
  PQconninfoFree(parsed);
  const std::string connect_timeout = absl::StrCat(options.connect_timeout_seconds);
  // TCP: give up on a peer that stops acknowledging (a statement timeout is
  // enforced by the server, which may be the one that is gone).
  const std::string tcp_user_timeout =
      absl::StrCat(options.connect_timeout_seconds * 1000 + options.statement_timeout_ms);
  const char* keywords[] = {"dbname",           "connect_timeout",           "tcp_user_timeout",
                            "keepalives",       "keepalives_idle",           "keepalives_interval",
                            "keepalives_count", "fallback_application_name", nullptr};
  const char* values[] = {options.uri.c_str(),
                          connect_timeout.c_str(),
                          tcp_user_timeout.c_str(),
                          "1",
                          "30",
                          "10",
                          "3",
                          "collabflow",
                          nullptr};
  PGconn* conn = PQconnectdbParams(keywords, values, /*expand_dbname=*/1);
  if (conn == nullptr) return absl::ResourceExhaustedError("PostgreSQL: out of memory");
  PQsetNoticeProcessor(conn, DropNotice, nullptr);
  if (PQstatus(conn) != CONNECTION_OK) {
    const std::string server = ServerName(conn);
    const std::string why = Trimmed(PQerrorMessage(conn));
    const bool auth = IsAuthenticationFailure(conn, why);
    PQfinish(conn);
    if (auth) {
      return absl::PermissionDeniedError(
          absl::StrCat(server, " refused the authentication: ", why));
    }
    return absl::UnavailableError(absl::StrCat(server, " is unavailable: ", why));
  }
  std::unique_ptr<Connection> c(new Connection(conn));
  PQsetNoticeProcessor(conn, LogNotice, c.get());
  auto set = c->Exec(absl::StrCat("SET statement_timeout = ", options.statement_timeout_ms));
  if (!set.ok()) return set.status();
  if (options.synchronous_commit_off) {
    auto off = c->Exec("SET synchronous_commit = off");
    if (!off.ok()) return off.status();
  }
  return c;
}

absl::Status Connection::ErrorStatus(const PGresult* result, absl::string_view what) const {
  const char* state = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  const std::string sqlstate = state != nullptr ? state : "";
  std::string why = Trimmed(result != nullptr ? PQresultErrorMessage(result) : "");
  if (why.empty()) why = Trimmed(PQerrorMessage(conn_));
  const std::string message = absl::StrCat(server_, ": ", what, ": ", why);
  const absl::string_view cls = absl::string_view(sqlstate).substr(0, 2);
  if (PQstatus(conn_) == CONNECTION_BAD || sqlstate.empty() || cls == "08" || sqlstate == "57P01" ||
      sqlstate == "57P02" || sqlstate == "57P03") {
    return absl::UnavailableError(message);
  }
  if (sqlstate == "57014") return absl::DeadlineExceededError(message);
  if (sqlstate == kUniqueViolation || sqlstate == "40001" || sqlstate == "40P01") {
    return absl::AbortedError(message);
  }
  if (cls == "28" || sqlstate == "42501") return absl::PermissionDeniedError(message);
  if (cls == "53" || cls == "54") return absl::ResourceExhaustedError(message);
  if (sqlstate == "XX001" || sqlstate == "XX002") return absl::DataLossError(message);
  return absl::InternalError(absl::StrCat(message, " (SQLSTATE ", sqlstate, ")"));
}

namespace {

struct ParamArrays {
  std::vector<const char*> values;
  std::vector<int> lengths;
  std::vector<int> formats;
  std::vector<std::string> text;  // NUL-terminated copies of text params

  explicit ParamArrays(const std::vector<Param>& params) {
    text.reserve(params.size());
    for (const Param& p : params) {
      if (p.binary) {
        values.push_back(p.value.data() != nullptr ? p.value.data() : "");
        lengths.push_back(static_cast<int>(p.value.size()));
        formats.push_back(1);
      } else {
        text.emplace_back(p.value);
        values.push_back(text.back().c_str());
        lengths.push_back(0);
        formats.push_back(0);
      }
    }
  }
};

}  // namespace

absl::StatusOr<Result> Connection::Exec(absl::string_view sql, const std::vector<Param>& params,
                                        std::string* sqlstate) {
  if (sqlstate != nullptr) sqlstate->clear();
  const std::string query(sql);
  ParamArrays p(params);
  PGresult* res = params.empty()
                      ? PQexecParams(conn_, query.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 1)
                      : PQexecParams(conn_, query.c_str(), static_cast<int>(params.size()), nullptr,
                                     p.values.data(), p.lengths.data(), p.formats.data(), 1);
  return Finish(res, sql, sqlstate);
}

absl::StatusOr<Result> Connection::ExecPrepared(absl::string_view name, absl::string_view sql,
                                                const std::vector<Param>& params,
                                                std::string* sqlstate) {
  if (sqlstate != nullptr) sqlstate->clear();
  const std::string statement(name);
  CFLOW_RETURN_IF_ERROR(Prepare(statement, sql, sqlstate));
  ParamArrays p(params);
  PGresult* res = PQexecPrepared(conn_, statement.c_str(), static_cast<int>(params.size()),
                                 p.values.data(), p.lengths.data(), p.formats.data(), 1);
  return Finish(res, sql, sqlstate);
}

absl::Status Connection::Prepare(const std::string& name, absl::string_view sql,
                                 std::string* sqlstate) {
  if (prepared_.contains(name)) return absl::OkStatus();
  const std::string query(sql);
  CFLOW_RETURN_IF_ERROR(
      Finish(PQprepare(conn_, name.c_str(), query.c_str(), 0, nullptr), sql, sqlstate).status());
  prepared_.insert(name);
  return absl::OkStatus();
}

absl::StatusOr<Result> Connection::Finish(PGresult* res, absl::string_view sql,
                                          std::string* sqlstate) {
  Result result(res);
  const ExecStatusType status = res != nullptr ? PQresultStatus(res) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return result;
  if (sqlstate != nullptr && res != nullptr) {
    const char* s = PQresultErrorField(res, PG_DIAG_SQLSTATE);
    if (s != nullptr) *sqlstate = s;
  }
  broken_ = true;
  absl::string_view what = sql.substr(0, sql.find_first_of("(\n"));
  return ErrorStatus(res, absl::StripAsciiWhitespace(what));
}

absl::Status Connection::Stream(absl::string_view sql, const std::vector<Param>& params,
                                const std::function<absl::Status(const Result&)>& row,
                                absl::string_view prepared_name) {
  const std::string query(sql);
  const std::string name(prepared_name);
  if (!name.empty()) CFLOW_RETURN_IF_ERROR(Prepare(name, sql, nullptr));
  ParamArrays p(params);
  const int sent =
      name.empty()
          ? PQsendQueryParams(conn_, query.c_str(), static_cast<int>(params.size()), nullptr,
                              p.values.data(), p.lengths.data(), p.formats.data(), 1)
          : PQsendQueryPrepared(conn_, name.c_str(), static_cast<int>(params.size()),
                                p.values.data(), p.lengths.data(), p.formats.data(), 1);
  if (sent == 0) {
    broken_ = true;
    return ErrorStatus(nullptr, "sending a query");
  }
  PQsetSingleRowMode(conn_);
  absl::Status outcome;
  while (PGresult* res = PQgetResult(conn_)) {
    Result result(res);
    const ExecStatusType status = PQresultStatus(res);
    if (!outcome.ok()) continue;  // drained after an error in libpq's own result
    if (status == PGRES_SINGLE_TUPLE) {
      outcome = row(result);
      if (!outcome.ok()) {
        // Stop here: the connection is dropped rather than drained.
        broken_ = true;
        return outcome;
      }
    } else if (status != PGRES_TUPLES_OK) {
      broken_ = true;
      outcome = ErrorStatus(res, "reading records");
    }
  }
  return outcome;
}

absl::StatusOr<std::vector<std::string>> Connection::WaitForNotifications(int wake_fd,
                                                                          int timeout_ms) {
  std::vector<std::string> payloads;
  const auto take = [&] {
    for (PGnotify* n; (n = PQnotifies(conn_)) != nullptr;) {
      payloads.emplace_back(n->extra);
      PQfreemem(n);
    }
  };
  take();  // received with an earlier result
  if (!payloads.empty()) return payloads;
  pollfd fds[2] = {{PQsocket(conn_), POLLIN, 0}, {wake_fd, POLLIN, 0}};
  const int ready = poll(fds, wake_fd >= 0 ? 2 : 1, timeout_ms);
  if (ready < 0 && errno != EINTR) {
    broken_ = true;
    return absl::UnavailableError(
        absl::StrCat(server_, ": waiting for notifications: ", std::strerror(errno)));
  }
  if (ready > 0 && (fds[0].revents & (POLLIN | POLLERR | POLLHUP)) != 0) {
    if (PQconsumeInput(conn_) == 0 || PQstatus(conn_) != CONNECTION_OK) {
      broken_ = true;
      return ErrorStatus(nullptr, "waiting for notifications");
    }
    take();
  }
  return payloads;
}

bool Connection::reusable() const {
  return !broken_ && PQstatus(conn_) == CONNECTION_OK && PQtransactionStatus(conn_) == PQTRANS_IDLE;
}

bool Connection::StillConnected() {
  // An idle session has nothing to say; if its socket is readable, the
  // server has ended it (a restart, pg_terminate_backend) or sent a notice.
  pollfd fd{PQsocket(conn_), POLLIN, 0};
  if (fd.fd < 0) return false;
  // Its last words (a FATAL message), then the end of the stream: a read
  // for each.
  for (int reads = 0; reads < 4 && !broken_ && poll(&fd, 1, 0) > 0; ++reads) {
    if (PQconsumeInput(conn_) == 0 || PQstatus(conn_) != CONNECTION_OK) broken_ = true;
  }
  return reusable();
}

absl::StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire() {
  while (true) {
    std::unique_ptr<Connection> conn;
    {
      std::lock_guard<std::mutex> l(mu_);
      if (shut_down_) return absl::FailedPreconditionError("the PostgreSQL store is closed");
      if (idle_.empty()) break;
      conn = std::move(idle_.back());
      idle_.pop_back();
    }
    // One the server ended while it was idle is closed, not handed out (a
    // restarted server is used again at once, not after a failure per
    // pooled connection).
    if (conn->StillConnected()) return Lease(this, std::move(conn));
  }
  auto conn = Connection::Open(options_);
  if (!conn.ok()) return conn.status();
  return Lease(this, std::move(*conn));
}

void ConnectionPool::GiveBack(std::unique_ptr<Connection> conn) {
  if (!conn->reusable()) return;  // closed here
  std::lock_guard<std::mutex> l(mu_);
  if (shut_down_ || idle_.size() >= max_idle_) return;
  idle_.push_back(std::move(conn));
}

void ConnectionPool::Shutdown() {
  std::vector<std::unique_ptr<Connection>> closing;
  std::lock_guard<std::mutex> l(mu_);
  shut_down_ = true;
  closing.swap(idle_);
}

}  // namespace collabflow::internal::pg
