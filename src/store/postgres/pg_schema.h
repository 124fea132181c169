// The PostgreSQL store's tables, created on first open, and the check that a
// database's schema is one this library knows. Thread-compatible.
//
// Tables (in the connection's search_path, "public" by default; a URI may
// pick another schema with options=-csearch_path=...):
//   collabflow_schema           one row: the schema version
//   collabflow_records          position (bigint, primary key), tx (xid8: the
//                               writing transaction), stream (bytea), version,
//                               payload (bytea: up to kChunkBytes of it),
//                               crc (CRC32C of the whole payload), chunks (how
//                               many more pieces in collabflow_record_chunks);
//                               UNIQUE (stream, version)
//   collabflow_record_chunks    (position, seq) -> bytes: a large record's rest
//   collabflow_snapshot         one row: covers, format, length, crc
//   collabflow_snapshot_chunks  seq -> bytes: the snapshot's state
//   collabflow_stream_snapshots stream (bytea, primary key) -> version, state
//                               (bytea, up to kChunkBytes), crc: each
//                               stream's snapshot (EventStore::WriteStreamSnapshot)
//   sequence collabflow_position, function collabflow_claim_position():
//                               see postgres_store.cc ("Positions")
#ifndef COLLABFLOW_SRC_STORE_POSTGRES_PG_SCHEMA_H_
#define COLLABFLOW_SRC_STORE_POSTGRES_PG_SCHEMA_H_

#include <cstddef>
#include <cstdint>

#include "absl/status/status.h"
#include "store/postgres/pg_connection.h"

namespace collabflow::internal::pg {

// The schema version this library writes and reads.
inline constexpr int kSchemaVersion = 1;
// A bytea value holds less than 1 GiB and a protocol message at most 1 GiB,
// so a record (up to kMaxStoreRecordBytes) and a snapshot are stored in
// pieces of at most this many bytes.
inline constexpr size_t kChunkBytes = size_t{64} << 20;
// Advisory lock keys (per database): creating the schema; claiming positions.
inline constexpr int64_t kSchemaLockKey = 0x63666c6f77'0001;  // "cflow" 1
inline constexpr int64_t kPositionLockKey = 0x63666c6f77'0002;

// Creates the tables when the database has none (under an advisory lock, so
// that concurrent first opens create them once); OK when they exist at
// kSchemaVersion. FAILED_PRECONDITION naming both versions when the database
// holds a newer schema than this library knows; the connection's errors
// otherwise.
absl::Status EnsureSchema(Connection& conn);

}  // namespace collabflow::internal::pg

#endif  // COLLABFLOW_SRC_STORE_POSTGRES_PG_SCHEMA_H_
