#include "engine/state/index_snapshot.h"

#include <cstdint>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "engine/state/summary_index.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"

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

// A map entry's key (field 1) and value (field 2), from its bytes (tag and
// length included); either may be missing (then empty), as protobuf reads.
struct EntryParts {
  absl::string_view key;
  absl::string_view value;
};
absl::StatusOr<EntryParts> PartsOf(absl::string_view entry) {
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(entry.data()),
                                            static_cast<int>(entry.size()));
  uint32_t length = 0;
  in.ReadTag();
  if (!in.ReadVarint32(&length)) return absl::DataLossError("the index: a summaries entry");
  EntryParts parts;
  while (true) {
    const uint32_t tag = in.ReadTag();
    if (tag == 0) break;
    const int field = WireFormatLite::GetTagFieldNumber(tag);
    if ((field == 1 || field == 2) &&
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      uint32_t size = 0;
      if (!in.ReadVarint32(&size) || !in.Skip(static_cast<int>(size))) {
        return absl::DataLossError("the index: a summaries entry");
      }
      const size_t at = static_cast<size_t>(in.CurrentPosition()) - size;
      (field == 1 ? parts.key : parts.value) = entry.substr(at, size);
    } else if (!WireFormatLite::SkipField(&in, tag)) {
      return absl::DataLossError("the index: a summaries entry");
    }
  }
  if (static_cast<size_t>(in.CurrentPosition()) != entry.size()) {
    return absl::DataLossError("the index: a summaries entry");
  }
  return parts;
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
      SummaryIndex::AppendEntry(changed->first, changed->second, &out);
      ++changed;
    }
    if (changed != changes.summaries.end() && changed->first == *key) {
      SummaryIndex::AppendEntry(changed->first, changed->second, &out);
      ++changed;
    } else {
      out.append(entry.data(), entry.size());
    }
  }
  for (; changed != changes.summaries.end(); ++changed)
    SummaryIndex::AppendEntry(changed->first, changed->second, &out);
  return out;
}

absl::Status SplitIndexBytes(
    absl::string_view bytes, std::string* rest,
    absl::FunctionRef<absl::Status(absl::string_view key, absl::string_view value)> on_entry) {
  if (bytes.size() > static_cast<size_t>(INT32_MAX)) {
    return absl::DataLossError("the index is larger than 2 GiB");
  }
  google::protobuf::io::CodedInputStream in(reinterpret_cast<const uint8_t*>(bytes.data()),
                                            static_cast<int>(bytes.size()));
  while (true) {
    const size_t start = static_cast<size_t>(in.CurrentPosition());
    const uint32_t tag = in.ReadTag();
    if (tag == 0) {
      if (start != bytes.size()) return absl::DataLossError("the index: a field tag of 0");
      return absl::OkStatus();
    }
    if (!WireFormatLite::SkipField(&in, tag)) {
      return absl::DataLossError(absl::StrCat(
          "the index: field ", WireFormatLite::GetTagFieldNumber(tag), " does not parse"));
    }
    const absl::string_view field =
        bytes.substr(start, static_cast<size_t>(in.CurrentPosition()) - start);
    if (WireFormatLite::GetTagFieldNumber(tag) == kSummariesField &&
        WireFormatLite::GetTagWireType(tag) == WireFormatLite::WIRETYPE_LENGTH_DELIMITED) {
      CFLOW_ASSIGN_OR_RETURN(const EntryParts parts, PartsOf(field));
      CFLOW_RETURN_IF_ERROR(on_entry(parts.key, parts.value));
    } else {
      rest->append(field.data(), field.size());
    }
  }
}

}  // namespace collabflow::internal
