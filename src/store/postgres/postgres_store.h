// The EventStore in a PostgreSQL database (event_store.h, docs/store.md).
// Thread-safe: every call takes a connection of its own from a pool, so calls
// run in parallel and a ReadAll callback may call back into the store.
//
// Positions. A record's position comes from a sequence, claimed by
// collabflow_claim_position() under a short advisory lock that first assigns
// the writing transaction its id (xid8, stored in the row's tx column). So
// among collabflow's writers the order of transaction ids is the order of
// positions, and a record whose transaction id is below the xmin of a
// snapshot (pg_current_snapshot(): every transaction below it has ended) has
// only ended transactions below it too. The high-water mark is the largest
// position whose tx is below that xmin: every position up to it is final
// (committed or never to appear), so reading by position up to it never
// skips a record that commits later, however transactions interleave. The
// lock is held for the claim only, not across the commit. Positions rise in
// claim order and may skip numbers (a transaction that fails after its claim
// leaves a hole; the sequence may jump after a server crash).
#ifndef COLLABFLOW_SRC_STORE_POSTGRES_POSTGRES_STORE_H_
#define COLLABFLOW_SRC_STORE_POSTGRES_POSTGRES_STORE_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "collabflow/event_store.h"

namespace collabflow::internal::pg {

// OpenPostgresStore's implementation inside the module (errors there).
absl::StatusOr<std::unique_ptr<EventStore>> OpenStoreInDatabase(const std::string& uri,
                                                                const StoreOptions& options);

}  // namespace collabflow::internal::pg

#endif  // COLLABFLOW_SRC_STORE_POSTGRES_POSTGRES_STORE_H_
