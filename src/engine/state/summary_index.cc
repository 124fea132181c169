#include "engine/state/summary_index.h"

#include <algorithm>
#include <cstring>
#include <limits>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
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

// A varint at *at in bytes, moving past it; false if there is none.
bool ReadVarint(absl::string_view bytes, size_t* at, uint64_t* value) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64 && *at < bytes.size(); shift += 7) {
    const uint8_t b = static_cast<uint8_t>(bytes[(*at)++]);
    v |= static_cast<uint64_t>(b & 0x7f) << shift;
    if ((b & 0x80) == 0) {
      *value = v;
      return true;
    }
  }
  return false;
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

bool SummaryIndex::TryPackBytes(absl::string_view bytes, Packed* packed) {
  // The fields a packed summary serializes, in order, each once: state
  // (field 1) and head (field 4) holding records, events, hash,
  // notifications and position (fields 1 to 5). Anything else, or the same
  // fields written otherwise (out of order, zeros written out, long
  // varints), is left to the parser: the size check at the end refuses what
  // would not serialize back to these bytes.
  Packed p;
  size_t at = 0;
  uint64_t value = 0;
  if (at < bytes.size() && bytes[at] == 0x08) {  // state
    ++at;
    if (!ReadVarint(bytes, &at, &value) || value > 0xff) return false;
    p.state = static_cast<uint8_t>(value);
  }
  if (!HasEnded(static_cast<v1::RequestState>(p.state))) return false;
  if (at >= bytes.size() || bytes[at] != 0x22) return false;  // head
  ++at;
  uint64_t head_size = 0;
  if (!ReadVarint(bytes, &at, &head_size) || head_size != bytes.size() - at) return false;
  uint64_t records = 0, events = 0, notifications = 0;
  int last_field = 0;
  while (at < bytes.size()) {
    const uint8_t tag = static_cast<uint8_t>(bytes[at++]);
    const int field = tag >> 3;
    if (field <= last_field || field > 5) return false;
    last_field = field;
    if (field == 3) {
      if ((tag & 7) != 2) return false;
      if (!ReadVarint(bytes, &at, &value) || value > sizeof(p.hash) || value > bytes.size() - at) {
        return false;
      }
      p.hash_size = static_cast<uint8_t>(value);
      std::memcpy(p.hash, bytes.data() + at, value);
      at += value;
      continue;
    }
    if ((tag & 7) != 0 || !ReadVarint(bytes, &at, &value)) return false;
    switch (field) {
      case 1:
        records = value;
        break;
      case 2:
        events = value;
        break;
      case 4:
        notifications = value;
        break;
      default:
        p.position = value;
    }
  }
  if (!FitsIn32(records) || !FitsIn32(events) || !FitsIn32(notifications)) return false;
  p.records = static_cast<uint32_t>(records);
  p.events = static_cast<uint32_t>(events);
  p.notifications = static_cast<uint32_t>(notifications);
  if (PackedByteSize(p) != bytes.size()) return false;
  *packed = p;
  return true;
}

absl::Status SummaryIndex::PutSerialized(const std::string& request_id, absl::string_view bytes) {
  Packed packed;
  if (TryPackBytes(bytes, &packed)) {
    if (!open_.empty()) open_.erase(request_id);
    packed_.Put(request_id, packed);
    return absl::OkStatus();
  }
  v1::RequestSummary summary;
  if (!summary.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("the summary of \"", request_id, "\" does not parse"));
  }
  Put(request_id, &summary);
  return absl::OkStatus();
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
