// The one conversion of a store written by collabflow 0.1 or 0.2 (format 1:
// one stream, "engine", one hash chain and one numbering of events and
// notifications across the whole engine) into today's (format 2: a stream
// per request, plus "directory" and "outbox", each numbered and chained on
// its own; streams.h).
//
// Done once, at Engine::Open, verified before anything is replaced:
//  1. every format 1 event is checked against the old chain (DATA_LOSS
//     naming the event if one was changed, removed or reordered);
//  2. the events are written, in their order, into a new store beside the
//     old one (<dir>.converting): each command's events one record per
//     stream, renumbered and rechained in their stream; each request's
//     notifications numbered within it; an outbox acknowledgement up to
//     notification N becomes one up to the position of the last record
//     whose notifications are all <= N (a tick's notifications, once spread
//     over several requests' records, may be delivered again: at least
//     once, never lost);
//  3. the new store is reopened and replayed, its chains verified, and every
//     request's record and the directory compared with the fold of the old
//     events (FAILED_PRECONDITION "conversion ... differs" otherwise);
//  4. the directories are swapped: <dir> becomes <dir>.format1 (kept, for
//     the operator to delete once satisfied), <dir>.converting becomes <dir>.
// A crash before step 4 leaves the old store as it was (the half-written
// <dir>.converting is removed by the next attempt); a crash between the two
// renames of step 4 is finished by the next open.
//
// A format 1 journal that 0.1 or 0.2 compacted after a snapshot no longer
// holds the events before it: such a store is refused (FAILED_PRECONDITION
// naming the missing records), as is a format 1 snapshot beside it.
//
// Thread safety: call before the store is opened by anyone else; the old
// store stays locked throughout.
#ifndef COLLABFLOW_SRC_ENGINE_JOURNAL_FORMAT1_CONVERSION_H_
#define COLLABFLOW_SRC_ENGINE_JOURNAL_FORMAT1_CONVERSION_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "collabflow/event_store.h"

namespace collabflow::internal {

struct Format1Conversion {
  bool converted = false;  // the store was format 1 and is now format 2
  uint64_t events = 0;     // format 1 events converted
  uint64_t records = 0;    // format 2 records written
  std::string kept_at;     // where the format 1 store was kept (<dir>.format1)
};

// Converts the store in `dir` if it is of format 1 (and finishes a swap a
// crash interrupted); does nothing to a store of format 2 or a directory
// that does not exist. `options` are the store's (its I/O layer; the new
// store is written without syncs, then synced whole before the swap).
absl::Status ConvertFormat1StoreIfNeeded(const std::string& dir, const StoreOptions& options,
                                         Format1Conversion* report);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_JOURNAL_FORMAT1_CONVERSION_H_
