// Progress of long journal reads (replaying a store on open, verifying its
// history, exporting an archive, rendering a report).
//
// Thread safety: a JournalProgress is called on the thread doing the read;
// the engine serializes the reads that hold its lock.
#ifndef COLLABFLOW_JOURNAL_PROGRESS_H_
#define COLLABFLOW_JOURNAL_PROGRESS_H_

#include <cstdint>
#include <functional>

#include "absl/status/status.h"

namespace collabflow {

// Called with (records read, records to read) of one pass over the journal,
// after records were read: at most about 100 times per pass, done growing,
// and with done == total when the pass reads to the end (nothing for a pass
// with nothing to read). A non-OK return stops the read, which fails with
// that status (e.g. absl::CancelledError()).
using JournalProgress = std::function<absl::Status(uint64_t done, uint64_t total)>;

}  // namespace collabflow

#endif  // COLLABFLOW_JOURNAL_PROGRESS_H_
