#include "store/postgres/pg_schema.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"

namespace collabflow::internal::pg {
namespace {

// Positions are claimed under a short session advisory lock that also
// assigns the transaction its id (xid), so that among collabflow's writers
// the order of transaction ids is the order of positions (postgres_store.cc,
// "Positions"). The lock is released before the row is written, so writers
// wait for each other only for the claim, never across a commit.
constexpr const char* kCreateSchema[] = {
    R"sql(CREATE TABLE collabflow_records (
  position bigint PRIMARY KEY,
  tx xid8 NOT NULL,
  stream bytea NOT NULL,
  version bigint NOT NULL,
  payload bytea NOT NULL,
  crc bigint NOT NULL,
  chunks integer NOT NULL DEFAULT 0,
  UNIQUE (stream, version)))sql",
    R"sql(CREATE TABLE collabflow_record_chunks (
  position bigint NOT NULL REFERENCES collabflow_records (position),
  seq integer NOT NULL,
  bytes bytea NOT NULL,
  PRIMARY KEY (position, seq)))sql",
    R"sql(CREATE TABLE collabflow_snapshot (
  slot integer PRIMARY KEY CHECK (slot = 1),
  covers bigint NOT NULL,
  format integer NOT NULL,
  length bigint NOT NULL,
  crc bigint NOT NULL))sql",
    R"sql(CREATE TABLE collabflow_snapshot_chunks (
  seq integer PRIMARY KEY,
  bytes bytea NOT NULL))sql",
    R"sql(CREATE TABLE collabflow_stream_snapshots (
  stream bytea PRIMARY KEY,
  version bigint NOT NULL,
  state bytea NOT NULL,
  crc bigint NOT NULL))sql",
    "CREATE SEQUENCE collabflow_position AS bigint MINVALUE 1 NO CYCLE",
    R"sql(CREATE FUNCTION collabflow_claim_position() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  p bigint;
BEGIN
  -- Marks this transaction as a writer until it ends (readers look for the
  -- lock: postgres_store.h), before it has an id.
  LOCK TABLE collabflow_records IN ROW EXCLUSIVE MODE;
  PERFORM pg_advisory_lock(%POSITION_LOCK%);
  BEGIN
    PERFORM pg_current_xact_id();
    p := nextval('collabflow_position');
  EXCEPTION WHEN query_canceled OR others THEN
    PERFORM pg_advisory_unlock(%POSITION_LOCK%);
    RAISE;
  END;
  PERFORM pg_advisory_unlock(%POSITION_LOCK%);
  RETURN p;
END
$$)sql",
};

}  // namespace

absl::Status EnsureSchema(Connection& conn) {
  CFLOW_RETURN_IF_ERROR(conn.Exec("BEGIN").status());
  absl::Status outcome = [&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(
        conn.Exec(absl::StrCat("SELECT pg_advisory_xact_lock(", kSchemaLockKey, ")")).status());
    CFLOW_RETURN_IF_ERROR(
        conn.Exec("CREATE TABLE IF NOT EXISTS collabflow_schema (version integer NOT NULL)")
            .status());
    CFLOW_ASSIGN_OR_RETURN(Result found, conn.Exec("SELECT max(version) FROM collabflow_schema"));
    if (found.rows() == 1 && !found.IsNull(0, 0)) {
      const int64_t version = found.Int(0, 0);
      if (version > kSchemaVersion) {
        return absl::FailedPreconditionError(absl::StrCat(
            conn.server(), " holds a collabflow schema of version ", version,
            ", newer than this library's (", kSchemaVersion, "): use a newer collabflow"));
      }
      if (version < kSchemaVersion) {
        return absl::FailedPreconditionError(
            absl::StrCat(conn.server(), " holds a collabflow schema of version ", version,
                         " that this library cannot upgrade (it writes ", kSchemaVersion, ")"));
      }
      return absl::OkStatus();
    }
    for (const char* statement : kCreateSchema) {
      std::string sql = statement;
      for (size_t at; (at = sql.find("%POSITION_LOCK%")) != std::string::npos;) {
        sql.replace(at, 15, absl::StrCat(kPositionLockKey));
      }
      CFLOW_RETURN_IF_ERROR(conn.Exec(sql).status());
    }
    return conn
        .Exec(absl::StrCat("INSERT INTO collabflow_schema (version) VALUES (", kSchemaVersion, ")"))
        .status();
  }();
  if (!outcome.ok()) {
    (void)conn.Exec("ROLLBACK");
    return outcome;
  }
  return conn.Exec("COMMIT").status();
}

}  // namespace collabflow::internal::pg
