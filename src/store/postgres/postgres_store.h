// The EventStore in a PostgreSQL database (event_store.h, docs/store.md).
// Thread-safe: every call takes a connection of its own from a pool, so calls
// run in parallel and a ReadAll callback may call back into the store.
//
// Positions. A record's position comes from a sequence, claimed by
// collabflow_claim_position(), which first marks its transaction as a writer
// (ROW EXCLUSIVE on collabflow_records, held to the transaction's end), then,
// under a short advisory lock, assigns the transaction its id (xid8, stored
// in the row's tx column) and draws the position. So among collabflow's
// writers the order of transaction ids is the order of positions. A reader
// takes the bound B: the smallest id of a writer of this database still in
// progress (from pg_locks, matched against pg_current_snapshot()'s list of
// transactions in progress), else the snapshot's xmax; then, in a later
// snapshot, the high-water mark: the largest position whose tx is below B.
// Every position up to it is final (its writer had ended when B was taken:
// committed, so visible, or never to appear), so reading by position up to it
// never skips a record that commits later, however transactions interleave;
// and only collabflow's writers of this database hold it back, not other
// transactions on the server. The advisory lock is held for the claim only,
// not across the commit. Positions rise in claim order and may skip numbers
// (a transaction that fails after its claim leaves a hole; the sequence may
// jump after a server crash).
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
