// Tamper evidence for the event history. Every event carries
//   hash = SHA-256(prev_hash || SerializeBinary(event with `hash` cleared))
// where prev_hash is the hash of the event before it (32 zero bytes before
// the first). Changing an event breaks its own hash; removing, inserting or
// reordering events breaks the sequence numbers and the links; cutting the
// tail is caught against the head the state keeps (EngineState.head_hash).
//
// A forger who rewrites the whole chain from the edit onwards is caught only
// against a head recorded elsewhere (the state, an archive, a host's copy).
//
// Thread safety: the functions are thread-safe; a ChainVerifier is not.
#ifndef COLLABFLOW_SRC_ENGINE_JOURNAL_HASH_CHAIN_H_
#define COLLABFLOW_SRC_ENGINE_JOURNAL_HASH_CHAIN_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "collabflow/v1/event.pb.h"

namespace collabflow::internal {

// The previous hash of the first event: 32 zero bytes.
std::string GenesisHash();

// The hash `event` must carry when it follows an event whose hash is
// `prev_hash` (the event's own `hash` field is ignored).
std::string ChainHash(absl::string_view prev_hash, const v1::Event& event);

// Checks a run of consecutive events one at a time (a journal is streamed).
// Every error is DATA_LOSS naming the sequence number and what was expected.
class ChainVerifier {
 public:
  // `prev_hash`: the hash of the event before the first one to be checked;
  // `first_sequence`: the sequence number the first one must carry.
  explicit ChainVerifier(std::string prev_hash = GenesisHash(), uint64_t first_sequence = 1);

  absl::Status Add(const v1::Event& event);
  // Checks that the run ends at the expected head (an empty head and a
  // last_sequence of 0 mean an empty history).
  absl::Status Finish(absl::string_view expected_head, uint64_t expected_last_sequence) const;

  const std::string& head() const { return head_; }
  uint64_t last_sequence() const { return next_sequence_ - 1; }

 private:
  std::string head_;
  uint64_t next_sequence_;
};

// The whole check over events in memory: the chain from genesis (or from
// `prev_hash` at `first_sequence`) to the expected head.
absl::Status VerifyChain(absl::Span<const v1::Event> events, absl::string_view expected_head,
                         uint64_t expected_last_sequence, std::string prev_hash = GenesisHash(),
                         uint64_t first_sequence = 1);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_JOURNAL_HASH_CHAIN_H_
