#include "engine/journal/hash_chain.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "wire/proto_io.h"

namespace collabflow::internal {
namespace {

std::string Short(absl::string_view hash) {
  return hash.empty() ? std::string("(none)") : HexEncode(hash).substr(0, 16);
}

}  // namespace

std::string GenesisHash() { return std::string(kSha256Bytes, '\0'); }

std::string ChainHash(absl::string_view prev_hash, const v1::Event& event) {
  Sha256 h;
  h.Update(prev_hash);
  if (event.hash().empty()) {
    h.Update(SerializeBinary(event));
  } else {
    v1::Event copy = event;
    copy.clear_hash();
    h.Update(SerializeBinary(copy));
  }
  const Sha256Digest d = h.Finish();
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

ChainVerifier::ChainVerifier(std::string prev_hash, uint64_t first_sequence)
    : head_(std::move(prev_hash)), next_sequence_(first_sequence) {}

absl::Status ChainVerifier::Add(const v1::Event& event) {
  if (event.sequence() != next_sequence_) {
    if (event.sequence() > next_sequence_) {
      return absl::DataLossError(absl::StrCat(
          "history: expected event ", next_sequence_, " but found event ", event.sequence(),
          next_sequence_ > 1 ? absl::StrCat(" after event ", next_sequence_ - 1) : "", ": events ",
          next_sequence_, "..", event.sequence() - 1, " were removed or moved"));
    }
    return absl::DataLossError(absl::StrCat("history: expected event ", next_sequence_,
                                            " but found event ", event.sequence(),
                                            ": events were reordered or duplicated"));
  }
  if (event.hash().empty()) {
    return absl::DataLossError(
        absl::StrCat("history: event ", event.sequence(), " carries no hash"));
  }
  const std::string expected = ChainHash(head_, event);
  if (event.hash() != expected) {
    return absl::DataLossError(absl::StrCat(
        "history: event ", event.sequence(), " carries hash ", Short(event.hash()),
        " but its content and the previous hash give ", Short(expected), ": event ",
        event.sequence(), " was changed",
        event.sequence() > 1 ? absl::StrCat(", or event ", event.sequence() - 1, " was replaced")
                             : ""));
  }
  head_ = event.hash();
  ++next_sequence_;
  return absl::OkStatus();
}

absl::Status ChainVerifier::Finish(absl::string_view expected_head,
                                   uint64_t expected_last_sequence) const {
  const uint64_t last = last_sequence();
  if (last != expected_last_sequence) {
    return absl::DataLossError(absl::StrCat(
        "history: ends at event ", last, " but the head is event ", expected_last_sequence,
        last < expected_last_sequence
            ? absl::StrCat(": events ", last + 1, "..", expected_last_sequence, " were removed")
            : ": events after the head were added"));
  }
  const bool empty_history = expected_last_sequence == 0 && expected_head.empty();
  if (!empty_history && head_ != expected_head) {
    return absl::DataLossError(absl::StrCat("history: event ", last, " ends with hash ",
                                            Short(head_), " but the recorded head is ",
                                            Short(expected_head), ": the history was rewritten"));
  }
  return absl::OkStatus();
}

absl::Status VerifyChain(absl::Span<const v1::Event> events, absl::string_view expected_head,
                         uint64_t expected_last_sequence, std::string prev_hash,
                         uint64_t first_sequence) {
  ChainVerifier verifier(std::move(prev_hash), first_sequence);
  for (const v1::Event& e : events) CFLOW_RETURN_IF_ERROR(verifier.Add(e));
  return verifier.Finish(expected_head, expected_last_sequence);
}

}  // namespace collabflow::internal
