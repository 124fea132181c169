#include "engine/state/summary_index.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "engine/state/request_summary.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"

namespace collabflow::internal {
namespace {

using google::protobuf::internal::WireFormatLite;

constexpr int kSummariesField = 12;  // EngineState.summaries

bool FitsIn32(uint64_t v) { return v <= std::numeric_limits<uint32_t>::max(); }

void AppendVarint(uint64_t v, std::string* out) {
  uint8_t buffer[10];
  const uint8_t* end = google::protobuf::io::CodedOutputStream::WriteVarint64ToArray(v, buffer);
  out->append(reinterpret_cast<const char*>(buffer), static_cast<size_t>(end - buffer));
}

void AppendLengthDelimited(int field, absl::string_view bytes, std::string* out) {
  AppendVarint(WireFormatLite::MakeTag(field, WireFormatLite::WIRETYPE_LENGTH_DELIMITED), out);
  AppendVarint(bytes.size(), out);
  out->append(bytes.data(), bytes.size());
}

size_t VarintField(uint64_t v) {
  return v == 0 ? 0 : 1 + google::protobuf::io::CodedOutputStream::VarintSize64(v);
}

}  // namespace

// The bytes of the summary a packed one stands for (as Unpack gives it),
// counted without building it: state (field 1) and head (field 4, always
// present), whose fields are all numbered below 16 (one-byte tags).
size_t SummaryIndex::PackedByteSize(const Packed& p) {
  size_t head = VarintField(p.records) + VarintField(p.events) + VarintField(p.notifications) +
                VarintField(p.position);
  if (p.hash_size > 0) head += 1 + 1 + p.hash_size;  // a length below 128: one byte
  return VarintField(p.state) + 1 + google::protobuf::io::CodedOutputStream::VarintSize64(head) +
         head;
}

v1::RequestSummary* SummaryIndex::Mutable(const std::string& request_id) {
  if (auto it = open_.find(request_id); it != open_.end()) return &it->second;
  v1::RequestSummary& summary = open_[request_id];
  if (const Packed* packed = packed_.Find(request_id)) {
    Unpack(*packed, &summary);
    packed_.Erase(request_id);
  }
  return &summary;
}

bool SummaryIndex::TryPack(const v1::RequestSummary& s, Packed* packed) {
  // Only what the packed form gives back exactly: an ended request's state
  // and head (present), numbers that fit, a hash of at most 32 bytes, and
  // nothing else (checked by size below: any other field, known or not,
  // makes the message longer than what is packed).
  if (!HasEnded(s.state()) || !s.has_head()) return false;
  const v1::StreamHead& h = s.head();
  if (h.hash().size() > sizeof(Packed::hash) || !FitsIn32(h.records()) || !FitsIn32(h.events()) ||
      !FitsIn32(h.notifications())) {
    return false;
  }
  packed->position = h.position();
  packed->records = static_cast<uint32_t>(h.records());
  packed->events = static_cast<uint32_t>(h.events());
  packed->notifications = static_cast<uint32_t>(h.notifications());
  packed->state = static_cast<uint8_t>(s.state());
  packed->hash_size = static_cast<uint8_t>(h.hash().size());
  std::memcpy(packed->hash, h.hash().data(), h.hash().size());
  return PackedByteSize(*packed) == s.ByteSizeLong();
}

bool SummaryIndex::Pack(const std::string& request_id) {
  auto it = open_.find(request_id);
  if (it == open_.end()) return false;
  Packed packed;
  if (!TryPack(it->second, &packed)) return false;
  packed_.Put(request_id, packed);
  open_.erase(it);
  return true;
}

void SummaryIndex::Put(const std::string& request_id, v1::RequestSummary* summary) {
  Packed packed;
  if (TryPack(*summary, &packed)) {
    open_.erase(request_id);
    packed_.Put(request_id, packed);
    return;
  }
  packed_.Erase(request_id);
  open_[request_id].Swap(summary);
}

void SummaryIndex::Unpack(const Packed& packed, v1::RequestSummary* summary) {
  summary->Clear();
  summary->set_state(static_cast<v1::RequestState>(packed.state));
  v1::StreamHead* head = summary->mutable_head();
  head->set_records(packed.records);
  head->set_events(packed.events);
  head->set_hash(packed.hash, packed.hash_size);
  head->set_notifications(packed.notifications);
  head->set_position(packed.position);
}

const v1::RequestSummary* SummaryIndex::Find(const std::string& request_id) const {
  if (auto it = open_.find(request_id); it != open_.end()) return &it->second;
  const Packed* packed = packed_.Find(request_id);
  if (packed == nullptr) return nullptr;
  Unpack(*packed, &unpacked_);
  return &unpacked_;
}

void SummaryIndex::ForEachId(absl::FunctionRef<void(const std::string&)> fn) const {
  for (const auto& [id, summary] : open_) fn(id);
  std::string buffer;
  packed_.ForEach([&](absl::string_view id, const Packed&) {
    buffer.assign(id.data(), id.size());
    fn(buffer);
  });
}

void SummaryIndex::ForEach(
    absl::FunctionRef<void(const std::string&, const v1::RequestSummary&)> fn) const {
  for (const auto& [id, summary] : open_) fn(id, summary);
  v1::RequestSummary unpacked;
  std::string buffer;
  packed_.ForEach([&](absl::string_view id, const Packed& packed) {
    Unpack(packed, &unpacked);
    buffer.assign(id.data(), id.size());
    fn(buffer, unpacked);
  });
}

void SummaryIndex::AppendEntry(const std::string& request_id, const v1::RequestSummary& summary,
                               std::string* out) {
  // A map entry: its key (field 1) and value (field 2), both always written,
  // as protobuf writes map entries.
  std::string value;
  summary.SerializeToString(&value);
  std::string entry;
  entry.reserve(request_id.size() + value.size() + 8);
  AppendLengthDelimited(1, request_id, &entry);
  AppendLengthDelimited(2, value, &entry);
  AppendLengthDelimited(kSummariesField, entry, out);
}

void SummaryIndex::AppendSerialized(std::string* out) const {
  std::vector<absl::string_view> ids;
  ids.reserve(size());
  for (const auto& [id, summary] : open_) ids.push_back(id);
  packed_.ForEach([&](absl::string_view id, const Packed&) { ids.push_back(id); });
  std::sort(ids.begin(), ids.end());
  v1::RequestSummary unpacked;
  std::string buffer;
  for (absl::string_view id : ids) {
    buffer.assign(id.data(), id.size());
    if (auto it = open_.find(buffer); it != open_.end()) {
      AppendEntry(buffer, it->second, out);
    } else {
      Unpack(*packed_.Find(id), &unpacked);
      AppendEntry(buffer, unpacked, out);
    }
  }
}

void SummaryIndex::Clear() {
  open_.clear();
  packed_.Clear();
}

}  // namespace collabflow::internal
