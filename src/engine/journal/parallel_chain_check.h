// The check of every stream's hash chain over a journal read in position
// order (Engine::VerifyHistory), with the streams split over threads: each
// record goes to the worker that owns its stream (by a hash of its name),
// so streams are checked in parallel and each stream's records in order.
// A record is checked as the commit pipeline wrote it: each event's hash
// over its bytes as they lie in the record (sealed_batch.h), or, for a
// record not laid out so, over the event parsed.
//
// The reader copies each record into its worker's batch (the store's bytes
// last only for the callback); a worker holds at most a few batches, so
// memory stays bounded whatever the journal's length. The error reported is
// the one of the lowest position, whichever worker found it: the same as a
// check on one thread (which stops there; with workers the journal is read
// to its end, each worker checking up to its first error).
//
// Thread safety: Add and Finish from one thread.
#ifndef COLLABFLOW_SRC_ENGINE_JOURNAL_PARALLEL_CHAIN_CHECK_H_
#define COLLABFLOW_SRC_ENGINE_JOURNAL_PARALLEL_CHAIN_CHECK_H_

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "collabflow/event_store.h"
#include "engine/journal/hash_chain.h"

namespace collabflow::internal {

class ParallelChainCheck {
 public:
  // `workers` threads (0: every record checked on the caller's thread).
  explicit ParallelChainCheck(size_t workers);
  // The number of workers for this machine: one per core, at most 8, none
  // on a single core.
  static size_t DefaultWorkers();
  ~ParallelChainCheck();
  ParallelChainCheck(const ParallelChainCheck&) = delete;
  ParallelChainCheck& operator=(const ParallelChainCheck&) = delete;

  // Takes one record (in position order). With workers, always OK: a
  // worker stops checking at its first error, and Finish tells it (the
  // journal is read to its end, so that every worker's first error is
  // found and the lowest told). On the caller's thread, the error at once.
  absl::Status Add(const StoredRecord& record);
  // Waits for every record taken; the error of the lowest position, else
  // OK. Then ForEachChain sees every stream's chain.
  absl::Status Finish();
  // Calls fn(stream, chain) for every stream seen. REQUIRES: Finish.
  void ForEachChain(
      absl::FunctionRef<void(const std::string& stream, const ChainVerifier& chain)> fn) const;
  // The stream's chain; nullptr if none was seen. REQUIRES: Finish.
  const ChainVerifier* FindChain(const std::string& stream) const;

 private:
  // Records copied end to end, for one worker.
  struct Batch {
    struct Item {
      uint64_t position;
      size_t stream_at, stream_size, payload_at, payload_size;
    };
    std::string bytes;
    std::vector<Item> items;
  };
  // The chains of a set of streams, and its first error.
  struct Checker {
    absl::flat_hash_map<std::string, ChainVerifier> chains;
    absl::Status error;
    uint64_t error_position = 0;
    // Checks one record (nothing more after an error).
    void Check(absl::string_view stream, uint64_t position, absl::string_view payload);
  };
  struct Worker {
    Checker checker;
    std::mutex mu;
    std::condition_variable cv;  // batches given or taken, or closed
    std::deque<Batch> batches;   // guarded by mu
    bool closed = false;         // guarded by mu
    Batch filling;               // the reader's
    std::thread thread;
  };
  static constexpr size_t kBatchBytes = size_t{256} << 10;
  static constexpr size_t kBatchesHeld = 4;  // per worker, before the reader waits

  void Run(Worker* w);
  void Hand(Worker* w);  // the reader's filling batch to the worker

  Checker inline_;  // when there are no workers
  std::vector<std::unique_ptr<Worker>> workers_;
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_JOURNAL_PARALLEL_CHAIN_CHECK_H_
