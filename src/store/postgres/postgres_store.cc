#include "store/postgres/postgres_store.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "store/crc32c.h"
#include "store/postgres/append_wakeups.h"
#include "store/postgres/module_entry.h"
#include "store/postgres/pg_connection.h"
#include "store/postgres/pg_schema.h"
#include "store/record_size.h"
#include "store/stream_append.h"

namespace collabflow::internal::pg {
namespace {

// The append. The WHERE clause checks the expected version before the claim
// runs, so an append seen to be stale consumes no position; one that races
// another writer of its stream fails on UNIQUE (stream, version) instead.
constexpr char kAppendSql[] = R"sql(
INSERT INTO collabflow_records (position, tx, stream, version, payload, crc, chunks)
SELECT collabflow_claim_position(), pg_current_xact_id(), $1::bytea, h.v + 1, $3::bytea,
       $4::bigint, $5::integer
FROM (SELECT coalesce(max(version), 0) AS v FROM collabflow_records WHERE stream = $1::bytea) AS h
WHERE $2::bigint < 0 OR h.v = $2::bigint
RETURNING position)sql";

// The high-water mark (postgres_store.h, "Positions"), in two statements
// (two snapshots, the second taken after the first has read the locks).
// First the bound: the smallest transaction id of a collabflow writer of this
// database still in progress (one holding ROW EXCLUSIVE on collabflow_records
// and its own transaction id), else the first id not yet assigned when the
// statement began. pg_locks gives 32-bit ids; they are matched to the 64-bit
// ids of the snapshot's in-progress list.
constexpr char kWriterBoundSql[] = R"sql(
WITH snap AS (SELECT pg_current_snapshot() AS s),
writers AS (
  SELECT x.transactionid::text::bigint AS xid32
  FROM pg_locks r JOIN pg_locks x ON x.pid = r.pid
  WHERE r.locktype = 'relation' AND r.granted AND r.mode = 'RowExclusiveLock'
    AND r.database = (SELECT oid FROM pg_database WHERE datname = current_database())
    AND r.relation = 'collabflow_records'::regclass
    AND x.locktype = 'transactionid' AND x.mode = 'ExclusiveLock' AND x.granted)
SELECT coalesce(
  (SELECT min(i) FROM snap, pg_snapshot_xip(snap.s) AS i
    WHERE (i::text::numeric % 4294967296)::bigint IN (SELECT xid32 FROM writers)),
  (SELECT pg_snapshot_xmax(s) FROM snap))::text)sql";
// Then the largest position written below the bound: every record up to it
// is final.
constexpr char kHighWaterSql[] =
    "SELECT coalesce(max(position), 0) FROM collabflow_records WHERE tx < $1::xid8";

constexpr char kStreamVersionSql[] =
    "SELECT coalesce(max(version), 0) FROM collabflow_records WHERE stream = $1::bytea";

// How many times an append with kAnyVersion retries when another writer of
// its stream took the version it computed.
constexpr int kAnyVersionRetries = 100;

std::string Num(uint64_t v) { return absl::StrCat(v); }

class PostgresStore final : public EventStore {
 public:
  explicit PostgresStore(ConnectOptions options) : pool_(options), notifier_(options) {}
  ~PostgresStore() override { (void)Close(); }

  absl::Status Init() {
    {
      CFLOW_ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
      CFLOW_RETURN_IF_ERROR(EnsureSchema(*lease));
    }
    CFLOW_ASSIGN_OR_RETURN(uint64_t high, HighWater());
    last_known_.store(high);
    recovery_.last_position = high;
    CFLOW_ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
    CFLOW_ASSIGN_OR_RETURN(Result snap, lease->Exec("SELECT covers FROM collabflow_snapshot"));
    if (snap.rows() == 1) recovery_.snapshot_position = static_cast<uint64_t>(snap.Int(0, 0));
    return absl::OkStatus();
  }

  absl::StatusOr<uint64_t> Append(absl::string_view stream, uint64_t expected_version,
                                  absl::string_view payload) override {
    CFLOW_RETURN_IF_ERROR(CheckStreamName(stream));
    CFLOW_RETURN_IF_ERROR(CheckRecordSize(payload.size()));
    CFLOW_RETURN_IF_ERROR(CheckOpen());
    const std::string crc = Num(crc32c::Value(payload));
    const absl::string_view first = payload.substr(0, kChunkBytes);
    const size_t rest = payload.size() - first.size();
    const size_t chunks = (rest + kChunkBytes - 1) / kChunkBytes;
    const std::string expected = expected_version == kAnyVersion ? "-1" : Num(expected_version);
    for (int attempt = 0;; ++attempt) {
      CFLOW_ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
      Connection& conn = *lease;
      // A large record is a transaction of several statements; a small one
      // is the one statement.
      if (chunks > 0) CFLOW_RETURN_IF_ERROR(conn.Exec("BEGIN").status());
      std::string sqlstate;
      absl::StatusOr<Result> inserted =
          conn.ExecPrepared("collabflow_append", kAppendSql,
                            {Param::Binary(stream), Param::Text(expected), Param::Binary(first),
                             Param::Text(crc), Param::Text(Num(chunks))},
                            &sqlstate);
      if (!inserted.ok()) {
        if (sqlstate == kUniqueViolation) {
          if (expected_version == kAnyVersion && attempt < kAnyVersionRetries) continue;
          return absl::AbortedError(absl::StrCat(
              "stream \"", stream, "\" moved on concurrently: another writer appended version ",
              expected_version + 1, " first; the record was decided at version ",
              expected_version));
        }
        return inserted.status();
      }
      if (inserted->rows() != 1) {
        if (chunks > 0) (void)conn.Exec("ROLLBACK");
        CFLOW_ASSIGN_OR_RETURN(Result v, conn.Exec(kStreamVersionSql, {Param::Binary(stream)}));
        const uint64_t version = static_cast<uint64_t>(v.Int(0, 0));
        return CheckExpectedVersion(stream, expected_version, version).ok()
                   ? absl::AbortedError(
                         absl::StrCat("stream \"", stream, "\" moved on while appending"))
                   : CheckExpectedVersion(stream, expected_version, version);
      }
      const uint64_t position = static_cast<uint64_t>(inserted->Int(0, 0));
      if (chunks > 0) {
        for (size_t i = 0; i < chunks; ++i) {
          CFLOW_RETURN_IF_ERROR(
              conn.Exec("INSERT INTO collabflow_record_chunks (position, seq, bytes) "
                        "VALUES ($1::bigint, $2::integer, $3::bytea)",
                        {Param::Text(Num(position)), Param::Text(Num(i + 1)),
                         Param::Binary(payload.substr(kChunkBytes * (i + 1), kChunkBytes))})
                  .status());
        }
        CFLOW_RETURN_IF_ERROR(conn.Exec("COMMIT").status());
      }
      NoteAcknowledged(position);
      notifier_.Appended(position);
      return position;
    }
  }

  uint64_t LastPosition() const override {
    absl::StatusOr<uint64_t> high = HighWater();
    uint64_t known = last_known_.load();
    if (high.ok()) known = std::max(known, *high);
    return std::max(known, own_last_.load());
  }

  absl::Status ReadAll(uint64_t after,
                       absl::FunctionRef<absl::Status(const StoredRecord&)> fn) const override {
    CFLOW_RETURN_IF_ERROR(CheckOpen());
    CFLOW_ASSIGN_OR_RETURN(uint64_t high, HighWater());
    // This handle's own acknowledged appends are read too: wait until the
    // high-water mark passes them (every transaction that claimed a
    // position before them has ended).
    const uint64_t target = std::max(high, own_last_.load());
    if (after > target) {
      return absl::OutOfRangeError(
          absl::StrCat("ReadAll after position ", after, ", beyond the last, ", target));
    }
    if (high < target) CFLOW_RETURN_IF_ERROR(WaitForHighWater(target));
    CFLOW_ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
    return lease->Stream(
        "SELECT position, stream, version, payload, crc, chunks FROM collabflow_records "
        "WHERE position > $1::bigint AND position <= $2::bigint ORDER BY position",
        {Param::Text(Num(after)), Param::Text(Num(target))},
        [&](const Result& row) { return Deliver(row, /*stream_col=*/1, fn); },
        "collabflow_read_all");
  }

  absl::Status ReadStream(absl::string_view stream, uint64_t after,
                          absl::FunctionRef<absl::Status(const StoredRecord&)> fn) const override {
    CFLOW_RETURN_IF_ERROR(CheckOpen());
    CFLOW_ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
    CFLOW_ASSIGN_OR_RETURN(Result v,
                           lease->ExecPrepared("collabflow_stream_version", kStreamVersionSql,
                                               {Param::Binary(stream)}));
    const uint64_t version = static_cast<uint64_t>(v.Int(0, 0));
    if (after > version) {
      return absl::OutOfRangeError(absl::StrCat("ReadStream of \"", stream, "\" after version ",
                                                after, ", beyond its last, ", version));
    }
    if (after == version) return absl::OkStatus();
    return lease->Stream(
        "SELECT position, stream, version, payload, crc, chunks FROM collabflow_records "
        "WHERE stream = $1::bytea AND version > $2::bigint AND version <= $3::bigint "
        "ORDER BY version",
        {Param::Binary(stream), Param::Text(Num(after)), Param::Text(Num(version))},
        [&](const Result& row) { return Deliver(row, 1, fn); }, "collabflow_read_stream");
  }

  absl::Status WriteSnapshot(uint64_t covers, absl::string_view state) override {
    CFLOW_RETURN_IF_ERROR(CheckOpen());
    const uint64_t last = LastPosition();
    if (covers > last) {
      return absl::OutOfRangeError(
          absl::StrCat("snapshot covering position ", covers, ", beyond the last, ", last));
    }
    CFLOW_ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
    Connection& conn = *lease;
    CFLOW_RETURN_IF_ERROR(conn.Exec("BEGIN").status());
    absl::Status written = [&]() -> absl::Status {
      // Writers of the snapshot wait for each other (the row may not exist).
      CFLOW_RETURN_IF_ERROR(
          conn.Exec(absl::StrCat("SELECT pg_advisory_xact_lock(", kSchemaLockKey, ")")).status());
      CFLOW_ASSIGN_OR_RETURN(Result current, conn.Exec("SELECT covers FROM collabflow_snapshot"));
      if (current.rows() == 1 && static_cast<uint64_t>(current.Int(0, 0)) > covers) {
        return absl::FailedPreconditionError(absl::StrCat("snapshot covering position ", covers,
                                                          " is older than the stored one (",
                                                          current.Int(0, 0), ")"));
      }
      CFLOW_RETURN_IF_ERROR(conn.Exec("DELETE FROM collabflow_snapshot_chunks").status());
      size_t seq = 0;
      for (size_t at = 0; at == 0 || at < state.size(); at += kChunkBytes, ++seq) {
        CFLOW_RETURN_IF_ERROR(
            conn.Exec("INSERT INTO collabflow_snapshot_chunks (seq, bytes) "
                      "VALUES ($1::integer, $2::bytea)",
                      {Param::Text(Num(seq)), Param::Binary(state.substr(at, kChunkBytes))})
                .status());
      }
      return conn
          .Exec(
              "INSERT INTO collabflow_snapshot (slot, covers, format, length, crc) "
              "VALUES (1, $1::bigint, 2, $2::bigint, $3::bigint) ON CONFLICT (slot) DO UPDATE "
              "SET covers = excluded.covers, format = excluded.format, "
              "length = excluded.length, crc = excluded.crc",
              {Param::Text(Num(covers)), Param::Text(Num(state.size())),
               Param::Text(Num(crc32c::Value(state)))})
          .status();
    }();
    if (!written.ok()) {
      (void)conn.Exec("ROLLBACK");
      return written;
    }
    return conn.Exec("COMMIT").status();
  }

  absl::StatusOr<std::optional<Snapshot>> LatestSnapshot() const override {
    CFLOW_RETURN_IF_ERROR(CheckOpen());
    CFLOW_ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
    Connection& conn = *lease;
    CFLOW_RETURN_IF_ERROR(conn.Exec("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY").status());
    absl::StatusOr<std::optional<Snapshot>> read =
        [&]() -> absl::StatusOr<std::optional<Snapshot>> {
      CFLOW_ASSIGN_OR_RETURN(
          Result head, conn.Exec("SELECT covers, format, length, crc FROM collabflow_snapshot"));
      if (head.rows() == 0) return std::nullopt;
      Snapshot snap;
      snap.covers = static_cast<uint64_t>(head.Int(0, 0));
      snap.format = static_cast<uint32_t>(head.Int(0, 1));
      const uint64_t length = static_cast<uint64_t>(head.Int(0, 2));
      const uint64_t crc = static_cast<uint64_t>(head.Int(0, 3));
      CFLOW_RETURN_IF_ERROR(conn.Stream("SELECT bytes FROM collabflow_snapshot_chunks ORDER BY seq",
                                        {}, [&](const Result& row) {
                                          const absl::string_view bytes = row.Bytes(0, 0);
                                          snap.state.append(bytes.data(), bytes.size());
                                          return absl::OkStatus();
                                        }));
      if (snap.state.size() != length || crc32c::Value(snap.state) != crc) {
        return absl::DataLossError(absl::StrCat(
            conn.server(), ": the snapshot covering position ", snap.covers, " fails its check (",
            snap.state.size(), " bytes of ", length, ", CRC32C)"));
      }
      return std::optional<Snapshot>(std::move(snap));
    }();
    (void)conn.Exec("COMMIT");
    return read;
  }

  // Stream snapshots: one row per stream, replaced by the next (not
  // history: the records are untouched). At most kChunkBytes each.
  absl::Status WriteStreamSnapshot(absl::string_view stream, uint64_t version,
                                   absl::string_view state) override {
    CFLOW_RETURN_IF_ERROR(CheckOpen());
    CFLOW_RETURN_IF_ERROR(CheckStreamName(stream));
    CFLOW_RETURN_IF_ERROR(CheckRecordSize(state.size()));
    if (state.size() > kChunkBytes) {
      return absl::ResourceExhaustedError(absl::StrCat("a stream snapshot of ", state.size(),
                                                       " bytes (a PostgreSQL store keeps at most ",
                                                       kChunkBytes, ")"));
    }
    CFLOW_ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
    CFLOW_ASSIGN_OR_RETURN(Result v, lease->Exec(kStreamVersionSql, {Param::Binary(stream)}));
    CFLOW_RETURN_IF_ERROR(
        CheckStreamSnapshotVersion(stream, version, static_cast<uint64_t>(v.Int(0, 0))));
    return lease
        ->Exec(
            "INSERT INTO collabflow_stream_snapshots (stream, version, state, crc) "
            "VALUES ($1::bytea, $2::bigint, $3::bytea, $4::bigint) ON CONFLICT (stream) DO UPDATE "
            "SET version = excluded.version, state = excluded.state, crc = excluded.crc",
            {Param::Binary(stream), Param::Text(Num(version)), Param::Binary(state),
             Param::Text(Num(crc32c::Value(state)))})
        .status();
  }

  absl::StatusOr<std::optional<StreamSnapshot>> ReadStreamSnapshot(
      absl::string_view stream) const override {
    CFLOW_RETURN_IF_ERROR(CheckOpen());
    CFLOW_RETURN_IF_ERROR(CheckStreamName(stream));
    CFLOW_ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
    CFLOW_ASSIGN_OR_RETURN(
        Result row,
        lease->Exec("SELECT s.version, s.state, s.crc, (SELECT coalesce(max(r.version), 0) "
                    "FROM collabflow_records r WHERE r.stream = $1::bytea) "
                    "FROM collabflow_stream_snapshots s WHERE s.stream = $1::bytea",
                    {Param::Binary(stream)}));
    if (row.rows() == 0) return std::nullopt;
    StreamSnapshot snapshot;
    snapshot.version = static_cast<uint64_t>(row.Int(0, 0));
    const absl::string_view state = row.Bytes(0, 1);
    if (crc32c::Value(state) != static_cast<uint64_t>(row.Int(0, 2))) {
      return absl::DataLossError(absl::StrCat(lease->server(), ": the snapshot of stream \"",
                                              stream, "\" fails its check (CRC32C)"));
    }
    if (snapshot.version == 0 || snapshot.version > static_cast<uint64_t>(row.Int(0, 3))) {
      return std::nullopt;
    }
    snapshot.state = std::string(state);
    return std::optional<StreamSnapshot>(std::move(snapshot));
  }

  const RecoveryReport& recovery() const override { return recovery_; }
  bool shared() const override { return true; }

  void SetAppendListener(std::function<void(uint64_t)> fn) override {
    std::lock_guard<std::mutex> lock(listener_mu_);
    listener_.reset();  // stopped first: no two listeners call at once
    if (fn != nullptr && !closed_.load()) {
      listener_ = std::make_unique<AppendListener>(pool_.options(), std::move(fn));
    }
  }

  absl::Status Close() override {
    if (closed_.exchange(true)) return absl::OkStatus();
    SetAppendListener(nullptr);
    notifier_.Stop();
    pool_.Shutdown();
    return absl::OkStatus();
  }

 private:
  absl::Status CheckOpen() const {
    if (closed_.load()) return absl::FailedPreconditionError("the PostgreSQL store is closed");
    return absl::OkStatus();
  }

  void NoteAcknowledged(uint64_t position) {
    uint64_t seen = own_last_.load();
    while (seen < position && !own_last_.compare_exchange_weak(seen, position)) {
    }
  }

  absl::StatusOr<uint64_t> HighWater() const {
    CFLOW_ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
    CFLOW_ASSIGN_OR_RETURN(Result bound, lease->ExecPrepared("collabflow_bound", kWriterBoundSql));
    const std::string below(bound.Bytes(0, 0));
    CFLOW_ASSIGN_OR_RETURN(Result r, lease->ExecPrepared("collabflow_high_water", kHighWaterSql,
                                                         {Param::Text(below)}));
    const uint64_t high = static_cast<uint64_t>(r.Int(0, 0));
    uint64_t seen = last_known_.load();
    while (seen < high && !last_known_.compare_exchange_weak(seen, high)) {
    }
    return high;
  }

  // Waits (up to the statement timeout) until the high-water mark reaches
  // `target`: a transaction that claimed an earlier position is still open.
  absl::Status WaitForHighWater(uint64_t target) const {
    const auto deadline = std::chrono::steady_clock::now() +
                          std::chrono::milliseconds(pool_.options().statement_timeout_ms);
    // Most waits are for a writer a moment from its commit: short pauses
    // first.
    auto pause = std::chrono::microseconds(50);
    for (;;) {
      CFLOW_ASSIGN_OR_RETURN(uint64_t high, HighWater());
      if (high >= target) return absl::OkStatus();
      if (std::chrono::steady_clock::now() >= deadline) {
        return absl::DeadlineExceededError(absl::StrCat(
            "the records up to position ", target,
            " are not all final: a transaction older than them is still open on the server "
            "(the high-water mark is at ",
            high, ")"));
      }
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::microseconds(50'000));
    }
  }

  // Hands one row (position, stream, version, payload, crc, chunks) to `fn`,
  // joined with its chunks and checked.
  absl::Status Deliver(const Result& row, int stream_col,
                       absl::FunctionRef<absl::Status(const StoredRecord&)> fn) const {
    StoredRecord record;
    record.position = static_cast<uint64_t>(row.Int(0, 0));
    record.stream = row.Bytes(0, stream_col);
    record.version = static_cast<uint64_t>(row.Int(0, 2));
    record.payload = row.Bytes(0, 3);
    const uint32_t crc = static_cast<uint32_t>(row.Int(0, 4));
    const int64_t chunks = row.Int(0, 5);
    std::string joined;
    if (chunks > 0) {
      joined.assign(record.payload.data(), record.payload.size());
      CFLOW_ASSIGN_OR_RETURN(auto lease, pool_.Acquire());
      int64_t seen = 0;
      CFLOW_RETURN_IF_ERROR(lease->Stream(
          "SELECT bytes FROM collabflow_record_chunks WHERE position = $1::bigint ORDER BY seq",
          {Param::Text(Num(record.position))}, [&](const Result& piece) {
            const absl::string_view bytes = piece.Bytes(0, 0);
            joined.append(bytes.data(), bytes.size());
            ++seen;
            return absl::OkStatus();
          }));
      if (seen != chunks) {
        return absl::DataLossError(absl::StrCat("the record at position ", record.position, " has ",
                                                seen, " of its ", chunks, " continuation pieces"));
      }
      record.payload = joined;
    }
    if (crc32c::Value(record.payload) != crc) {
      return absl::DataLossError(absl::StrCat("the record at position ", record.position,
                                              " (stream \"", record.stream, "\", version ",
                                              record.version, ") fails its CRC32C"));
    }
    return fn(record);
  }

  mutable ConnectionPool pool_;
  // Wake-ups (append_wakeups.h): sent after this handle's appends, and
  // heard from the others' while a listener is set.
  AppendNotifier notifier_;
  std::mutex listener_mu_;
  std::unique_ptr<AppendListener> listener_;
  std::atomic<bool> closed_{false};
  // The largest position this handle appended, and the largest high-water
  // mark seen.
  std::atomic<uint64_t> own_last_{0};
  mutable std::atomic<uint64_t> last_known_{0};
  RecoveryReport recovery_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<EventStore>> OpenStoreInDatabase(const std::string& uri,
                                                                const StoreOptions& options) {
  ConnectOptions connect;
  connect.uri = uri;
  connect.connect_timeout_seconds = options.connect_timeout_seconds;
  connect.statement_timeout_ms = options.statement_timeout_ms;
  connect.synchronous_commit_off = options.durability == Durability::kNoSync;
  auto store = std::make_unique<PostgresStore>(std::move(connect));
  CFLOW_RETURN_IF_ERROR(store->Init());
  return std::unique_ptr<EventStore>(std::move(store));
}

}  // namespace collabflow::internal::pg

// The module's entry points (module_entry.h), the only symbols it exports.
extern "C" __attribute__((visibility("default"))) const char* collabflow_pg_module_version_v1() {
  return COLLABFLOW_PG_MODULE_VERSION;
}

extern "C" __attribute__((visibility("default"))) void collabflow_pg_open_store_v2(
    const std::string& uri, const collabflow::StoreOptions& options,
    collabflow::internal::PostgresModuleLogFn log,
    absl::StatusOr<std::unique_ptr<collabflow::EventStore>>* out) {
  collabflow::internal::pg::SetLibraryLog(log);
  try {
    *out = collabflow::internal::pg::OpenStoreInDatabase(uri, options);
  } catch (const std::exception& e) {
    *out = absl::InternalError(absl::StrCat("PostgreSQL store: ", e.what()));
  } catch (...) {
    *out = absl::InternalError("PostgreSQL store: unknown exception");
  }
}
