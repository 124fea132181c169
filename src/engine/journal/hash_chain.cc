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
  if (event.hash().empty() && event.position() == 0) {
    h.Update(SerializeBinary(event));
  } else {
    v1::Event copy = event;
    copy.clear_hash();
    copy.clear_position();
    h.Update(SerializeBinary(copy));
  }
  const Sha256Digest d = h.Finish();
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

ChainVerifier::ChainVerifier(std::string prev_hash, uint64_t first, ChainNumbering numbering,
                             std::string label)
    : head_(std::move(prev_hash)), next_(first), numbering_(numbering), label_(std::move(label)) {}

absl::Status ChainVerifier::CheckNumber(uint64_t number) const {
  if (number != next_) {
    if (number > next_) {
      return absl::DataLossError(
          absl::StrCat(label_, ": expected event ", next_, " but found event ", number,
                       next_ > 1 ? absl::StrCat(" after event ", next_ - 1) : "", ": events ",
                       next_, "..", number - 1, " were removed or moved"));
    }
    return absl::DataLossError(absl::StrCat(label_, ": expected event ", next_, " but found event ",
                                            number, ": events were reordered or duplicated"));
  }
  return absl::OkStatus();
}

absl::Status ChainVerifier::Add(const v1::Event& event) {
  const uint64_t number = NumberOf(event);
  CFLOW_RETURN_IF_ERROR(CheckNumber(number));
  if (event.hash().empty()) {
    return absl::DataLossError(absl::StrCat(label_, ": event ", number, " carries no hash"));
  }
  return Link(number, event.hash(), ChainHash(head_, event));
}

absl::Status ChainVerifier::AddHashed(uint64_t number, absl::string_view hashed,
                                      absl::string_view hash) {
  CFLOW_RETURN_IF_ERROR(CheckNumber(number));
  Sha256 h;
  h.Update(head_);
  h.Update(hashed);
  const Sha256Digest d = h.Finish();
  return Link(number, hash, absl::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}

absl::Status ChainVerifier::Link(uint64_t number, absl::string_view hash,
                                 absl::string_view expected) {
  if (hash != expected) {
    return absl::DataLossError(
        absl::StrCat(label_, ": event ", number, " carries hash ", Short(hash),
                     " but its content and the previous hash give ", Short(expected), ": event ",
                     number, " was changed",
                     number > 1 ? absl::StrCat(", or event ", number - 1, " was replaced") : ""));
  }
  head_.assign(hash.data(), hash.size());
  ++next_;
  return absl::OkStatus();
}

absl::Status ChainVerifier::Finish(absl::string_view expected_head, uint64_t expected_last) const {
  const uint64_t end = last();
  if (end != expected_last) {
    return absl::DataLossError(
        absl::StrCat(label_, ": ends at event ", end, " but the head is event ", expected_last,
                     end < expected_last
                         ? absl::StrCat(": events ", end + 1, "..", expected_last, " were removed")
                         : ": events after the head were added"));
  }
  const bool empty_history = expected_last == 0 && expected_head.empty();
  if (!empty_history && head_ != expected_head) {
    return absl::DataLossError(absl::StrCat(label_, ": event ", end, " ends with hash ",
                                            Short(head_), " but the recorded head is ",
                                            Short(expected_head), ": the history was rewritten"));
  }
  return absl::OkStatus();
}

absl::Status VerifyChain(absl::Span<const v1::Event> events, absl::string_view expected_head,
                         uint64_t expected_last, std::string prev_hash, uint64_t first,
                         ChainNumbering numbering) {
  ChainVerifier verifier(std::move(prev_hash), first, numbering);
  for (const v1::Event& e : events) CFLOW_RETURN_IF_ERROR(verifier.Add(e));
  return verifier.Finish(expected_head, expected_last);
}

}  // namespace collabflow::internal
