// Tamper evidence for the event history. Every event carries
//   hash = SHA-256(prev_hash || SerializeBinary(event with `hash` cleared))
// where prev_hash is the hash of the event before it in its stream (32 zero
// bytes before the first; streams.h). Changing an event breaks its own hash;
// removing, inserting or reordering events breaks the version numbers and
// the links; cutting the tail is caught against the head the state keeps
// (a request's in its summary, EngineState.summaries). Format 1 (collabflow
// 0.1 and 0.2, still read in archive bundles) chained every event of the
// engine in one sequence.
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

// Which number an event's place in its chain is: its version in its stream
// (format 2), or its sequence across the engine (format 1).
enum class ChainNumbering { kVersion, kSequence };

// Checks a run of consecutive events one at a time (a journal is streamed).
// Every error is DATA_LOSS naming the event's number and what was expected.
class ChainVerifier {
 public:
  // `prev_hash`: the hash of the event before the first one to be checked;
  // `first`: the number the first one must carry; `label` is put before
  // every error message (e.g. the stream's name).
  explicit ChainVerifier(std::string prev_hash = GenesisHash(), uint64_t first = 1,
                         ChainNumbering numbering = ChainNumbering::kVersion,
                         std::string label = "history");

  absl::Status Add(const v1::Event& event);
  // The same for an event read from its record's bytes (numbered `number`,
  // carrying `hash`, whose hash covers `hashed`: sealed_batch.h's
  // SealedEvent), without parsing or serializing it.
  absl::Status AddHashed(uint64_t number, absl::string_view hashed, absl::string_view hash);
  // Checks that the run ends at the expected head (an empty head and a
  // last number of 0 mean an empty history).
  absl::Status Finish(absl::string_view expected_head, uint64_t expected_last) const;

  const std::string& head() const { return head_; }
  uint64_t last() const { return next_ - 1; }

 private:
  uint64_t NumberOf(const v1::Event& event) const {
    return numbering_ == ChainNumbering::kVersion ? event.version() : event.sequence();
  }
  // OK if `number` is the next one.
  absl::Status CheckNumber(uint64_t number) const;
  // Links an event numbered `number` carrying `hash` whose content and the
  // head give `expected`.
  absl::Status Link(uint64_t number, absl::string_view hash, absl::string_view expected);

  std::string head_;
  uint64_t next_;
  ChainNumbering numbering_;
  std::string label_;
};

// The whole check over events in memory: the chain from genesis (or from
// `prev_hash` at `first`) to the expected head.
absl::Status VerifyChain(absl::Span<const v1::Event> events, absl::string_view expected_head,
                         uint64_t expected_last, std::string prev_hash = GenesisHash(),
                         uint64_t first = 1, ChainNumbering numbering = ChainNumbering::kVersion);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_JOURNAL_HASH_CHAIN_H_
