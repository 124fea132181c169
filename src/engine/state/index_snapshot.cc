#include "engine/state/index_snapshot.h"

#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"
#include "wire/proto_io.h"

namespace collabflow::internal {
namespace {

using google::protobuf::internal::WireFormatLite;

// EngineState's field numbers this reads (proto/collabflow/v1/state.proto).
constexpr int kRequestsField = 2;
constexpr int kSummariesField = 12;
// A map entry's key: field 1, length-delimited.
constexpr uint32_t kEntryKeyTag = (1 << 3) | WireFormatLite::WIRETYPE_LENGTH_DELIMITED;

absl::Status Unparsable(absl::string_view what) {
  return absl::DataLossError(absl::StrCat("the previous snapshot does not parse: ", what));
}

// The id an entry's bytes (its tag and length included) are keyed by.
absl::StatusOr<absl::string_view> KeyOf(absl::string_view entry) {
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(entry.data()),
                                            static_cast<int>(entry.size()));
  uint32_t length = 0;
  if (in.ReadTag() !=
          WireFormatLite::MakeTag(kSummariesField, WireFormatLite::WIRETYPE_LENGTH_DELIMITED) ||
      !in.ReadVarint32(&length) || in.ReadTag() != kEntryKeyTag || !in.ReadVarint32(&length) ||
      static_cast<size_t>(in.CurrentPosition()) + length > entry.size()) {
    return Unparsable("a summaries entry without its key first");
  }
  return entry.substr(static_cast<size_t>(in.CurrentPosition()), length);
}

// Appends the `summaries` entry of `changed` as Serialize writes it (the
// summary moves out).
void AppendEntry(std::pair<std::string, v1::RequestSummary>* changed, v1::EngineState* one,
                 std::string* out) {
  one->mutable_summaries()->clear();
  (*one->mutable_summaries())[changed->first].Swap(&changed->second);
  *out += SerializeBinary(*one);
}

}  // namespace

absl::StatusOr<std::string> MergeIndexChanges(absl::string_view previous, IndexChanges changes) {
  if (previous.size() > static_cast<size_t>(INT32_MAX)) {
    return absl::FailedPreconditionError("the previous snapshot is larger than 2 GiB");
  }
  std::string out = std::move(changes.rest);
  out.reserve(changes.rest.size() + previous.size() + changes.summaries.size() * 64);
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(previous.data()),
                                            static_cast<int>(previous.size()));
  auto changed = changes.summaries.begin();
  v1::EngineState one;  // a map of one entry, whose bytes are that entry's
  bool in_summaries = false;
  absl::string_view last_key;
  bool has_last = false;
  while (true) {
    const size_t start = static_cast<size_t>(in.CurrentPosition());
    const uint32_t tag = in.ReadTag();
    if (tag == 0) {
      if (start != previous.size()) return Unparsable("a field tag of 0");
      break;
    }
    const int field = WireFormatLite::GetTagFieldNumber(tag);
    if (field == kRequestsField) {
      return absl::FailedPreconditionError(
          "the previous snapshot holds records (the layout before summaries)");
    }
    if (field != kSummariesField) {
      if (in_summaries) {
        return absl::FailedPreconditionError(
            absl::StrCat("the previous snapshot has field ", field, " after its summaries"));
      }
      // One of the other fields: the capture's replace them.
      if (!WireFormatLite::SkipField(&in, tag)) return Unparsable(absl::StrCat("field ", field));
      continue;
    }
    in_summaries = true;
    uint32_t length = 0;
    if (WireFormatLite::GetTagWireType(tag) != WireFormatLite::WIRETYPE_LENGTH_DELIMITED ||
        !in.ReadVarint32(&length) || !in.Skip(static_cast<int>(length))) {
      return Unparsable("a summaries entry");
    }
    const absl::string_view entry =
        previous.substr(start, static_cast<size_t>(in.CurrentPosition()) - start);
    absl::StatusOr<absl::string_view> key = KeyOf(entry);
    if (!key.ok()) return key.status();
    if (has_last && !(last_key < *key)) {
      return absl::FailedPreconditionError(
          absl::StrCat("the previous snapshot's summaries do not ascend at \"", *key, "\""));
    }
    last_key = *key;
    has_last = true;
    // The changed entries before this one's id are new requests; one of the
    // same id replaces it.
    while (changed != changes.summaries.end() && absl::string_view(changed->first) < *key) {
      AppendEntry(&*changed, &one, &out);
      ++changed;
    }
    if (changed != changes.summaries.end() && changed->first == *key) {
      AppendEntry(&*changed, &one, &out);
      ++changed;
    } else {
      out.append(entry.data(), entry.size());
    }
  }
  for (; changed != changes.summaries.end(); ++changed) AppendEntry(&*changed, &one, &out);
  return out;
}

}  // namespace collabflow::internal
