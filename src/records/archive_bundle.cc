#include "records/archive_bundle.h"

#include <algorithm>
#include <map>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/sha256.h"
#include "base/status_macros.h"
#include "collabflow/archive.h"
#include "collabflow/engine.h"
#include "engine/journal/hash_chain.h"
#include "engine/state/schedule_view.h"
#include "engine/state/state_fold.h"
#include "records/process_record.h"
#include "wire/message_walk.h"
#include "wire/proto_io.h"
#include "wire/time_proto.h"
#include "wire/utf8_fields.h"

namespace collabflow::internal {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::RepeatedPtrField;

// The records of one kind: from the record, or else from the events (a kind
// the fold does not keep in the record yet).
template <typename T>
void Collect(const v1::RequestRecord& record, const std::vector<v1::Event>& events,
             RepeatedPtrField<T>* out) {
  for (const T* x : FindAll<T>(record)) *out->Add() = *x;
  if (!out->empty()) return;
  for (const v1::Event& e : events) {
    for (const T* x : FindAll<T>(e)) *out->Add() = *x;
  }
}

// The parts derived from the record and the events alone (no calendar or
// directory needed): filled at export, recomputed when reading back.
void FillDerivedParts(const v1::RequestRecord& record, const std::vector<v1::Event>& events,
                      v1::ArchiveBundle* b) {
  b->clear_request_versions();
  for (const auto& v : record.earlier_versions()) *b->add_request_versions() = v;
  if (record.has_request()) *b->add_request_versions() = record.request();
  std::stable_sort(b->mutable_request_versions()->begin(), b->mutable_request_versions()->end(),
                   [](const auto& x, const auto& y) { return x.version() < y.version(); });
  b->clear_responses();
  Collect(record, events, b->mutable_responses());
  b->clear_plan_revisions();
  Collect(record, events, b->mutable_plan_revisions());
  b->clear_minutes();
  Collect(record, events, b->mutable_minutes());
  b->clear_progress_reports();
  Collect(record, events, b->mutable_progress_reports());
  b->clear_resource_requests();
  Collect(record, events, b->mutable_resource_requests());
  b->clear_risks();
  Collect(record, events, b->mutable_risks());
  b->clear_submissions();
  Collect(record, events, b->mutable_submissions());
  b->clear_reviews();
  Collect(record, events, b->mutable_reviews());
  b->clear_communication_log();
  for (const v1::Event& e : events) {
    for (const v1::Notification& n : e.notifications()) *b->add_communication_log() = n;
  }
}

std::string Short(absl::string_view hex) { return std::string(hex.substr(0, 16)); }

}  // namespace

std::vector<v1::ManifestEntry> ComputeManifest(v1::ArchiveBundle& bundle) {
  const google::protobuf::Reflection* reflection = bundle.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(bundle, &fields);
  std::vector<v1::ManifestEntry> manifest;
  for (const FieldDescriptor* f : fields) {
    if (f->number() == v1::ArchiveBundle::kManifestFieldNumber) continue;
    // A bundle holding only this part; swapped out and back, not copied.
    v1::ArchiveBundle part;
    reflection->SwapFields(&bundle, &part, {f});
    v1::ManifestEntry entry;
    entry.set_name(f->name());
    entry.set_sha256(Sha256Hex(SerializeBinary(part)));
    reflection->SwapFields(&bundle, &part, {f});
    manifest.push_back(std::move(entry));
  }
  std::sort(manifest.begin(), manifest.end(),
            [](const auto& a, const auto& b) { return a.name() < b.name(); });
  return manifest;
}

absl::Time DefaultExportTime(const RequestHistory& history) {
  for (auto e = history.events.rbegin(); e != history.events.rend(); ++e) {
    for (const v1::Archive* a : FindAll<v1::Archive>(*e)) {
      if (a->has_archived_at()) return FromProto(a->archived_at());
    }
  }
  if (history.record.has_archive() && history.record.archive().has_archived_at()) {
    return FromProto(history.record.archive().archived_at());
  }
  return history.events.empty() ? absl::UnixEpoch() : FromProto(history.events.back().time());
}

v1::ArchiveBundle BuildArchiveBundle(const RequestHistory& history,
                                     const DirectoryIndex& directory_index,
                                     const Calendar& calendar, absl::Time exported_at) {
  v1::ArchiveBundle b;
  const v1::RequestRecord& record = history.record;
  b.set_format_version(kArchiveFormatVersion);
  b.set_request_id(record.request().id());
  // The archive as the process recorded it, if it did; else the head now.
  std::vector<const v1::Archive*> archives = FindAll<v1::Archive>(record);
  if (archives.empty()) {
    for (const v1::Event& e : history.events) {
      for (const v1::Archive* a : FindAll<v1::Archive>(e)) archives.push_back(a);
    }
  }
  if (!archives.empty()) *b.mutable_archive() = *archives.back();
  b.mutable_archive()->set_request_id(record.request().id());
  if (b.archive().head_hash().empty()) {
    b.mutable_archive()->set_head_hash(history.head_hash);
    b.mutable_archive()->set_last_version(history.last_version);
  }
  ToProto(exported_at, b.mutable_exported_at());
  *b.mutable_record() = record;
  FillDerivedParts(record, history.events, &b);
  *b.mutable_process_record() =
      BuildProcessRecord(record, history.events, calendar, directory_index);
  if (record.plan().tasks_size() > 0) {
    absl::StatusOr<v1::ScheduleView> schedule = BuildScheduleView(record, calendar);
    if (schedule.ok()) *b.mutable_schedule() = *std::move(schedule);
  }
  for (size_t i = 0; i < history.events.size(); ++i) {
    v1::ArchivedEvent* a = b.add_events();
    a->set_prev_hash(history.prev_hashes[i]);
    *a->mutable_event() = history.events[i];
  }
  *b.mutable_directory() = history.directory;
  for (v1::ManifestEntry& e : ComputeManifest(b)) *b.add_manifest() = std::move(e);
  return b;
}

namespace {

// Format 2: the request's stream whole, from version 1, each event linked to
// the one before it (the first to 32 zero bytes), up to the recorded head.
absl::Status VerifyEvents(const v1::ArchiveBundle& bundle, std::vector<v1::Event>* events) {
  ChainVerifier chain(GenesisHash(), 1, ChainNumbering::kVersion, "archive");
  for (const v1::ArchivedEvent& a : bundle.events()) {
    const v1::Event& e = a.event();
    if (e.request_id() != bundle.request_id()) {
      return absl::DataLossError(absl::StrCat("archive: event ", e.version(), " is of request \"",
                                              e.request_id(), "\", not \"", bundle.request_id(),
                                              "\""));
    }
    const std::string prev = chain.head();
    const uint64_t prev_version = chain.last();
    CFLOW_RETURN_IF_ERROR(chain.Add(e));
    if (a.prev_hash() != prev) {
      return absl::DataLossError(absl::StrCat("archive: event ", e.version(),
                                              " does not link to event ", prev_version,
                                              ": the history was rewritten"));
    }
    // An archive sealed before the store was converted from format 1 holds
    // that chain's head hash: its place is checked, not its hash (the chain
    // from the first event is, and so is the record's fold).
    const bool sealed_in_format1 = bundle.archive().last_sequence() != 0;
    if (e.version() == bundle.archive().last_version() && !sealed_in_format1 &&
        e.hash() != bundle.archive().head_hash()) {
      return absl::DataLossError(absl::StrCat("archive: event ", e.version(),
                                              " is the recorded head but its hash differs"));
    }
    events->push_back(e);
  }
  // The recorded head is in the history: the archiving's, followed by the
  // archive event; one taken at export, the last event.
  const uint64_t last = chain.last();
  const uint64_t head = bundle.archive().last_version();
  const bool archived = bundle.archive().has_archived_at();
  if (head > last || (!archived && head != last) || (archived && last != head + 1)) {
    return absl::DataLossError(absl::StrCat(
        "archive: the history ends at event ", last, " but the recorded head is event ", head,
        archived ? " (archived: the head, then the archive)" : ""));
  }
  return absl::OkStatus();
}

// Format 1: the request's events out of the engine's one chain (sequence
// numbers with gaps where other requests' events were), each with the hash
// of the event before it there; consecutive ones linked to each other.
absl::Status VerifyEventsFormat1(const v1::ArchiveBundle& bundle, std::vector<v1::Event>* events) {
  const v1::ArchivedEvent* prev = nullptr;
  for (const v1::ArchivedEvent& a : bundle.events()) {
    const v1::Event& e = a.event();
    if (e.request_id() != bundle.request_id()) {
      return absl::DataLossError(absl::StrCat("archive: event ", e.sequence(), " is of request \"",
                                              e.request_id(), "\", not \"", bundle.request_id(),
                                              "\""));
    }
    if (prev != nullptr && e.sequence() <= prev->event().sequence()) {
      return absl::DataLossError(absl::StrCat("archive: event ", e.sequence(), " follows event ",
                                              prev->event().sequence(),
                                              ": events were reordered or duplicated"));
    }
    if (ChainHash(a.prev_hash(), e) != e.hash()) {
      return absl::DataLossError(absl::StrCat("archive: event ", e.sequence(),
                                              " does not match its hash: the event was changed"));
    }
    if (prev != nullptr && e.sequence() == prev->event().sequence() + 1 &&
        a.prev_hash() != prev->event().hash()) {
      return absl::DataLossError(absl::StrCat("archive: event ", e.sequence(),
                                              " does not link to event ", prev->event().sequence(),
                                              ": the history was rewritten"));
    }
    if (e.sequence() == bundle.archive().last_sequence() &&
        e.hash() != bundle.archive().head_hash()) {
      return absl::DataLossError(absl::StrCat("archive: event ", e.sequence(),
                                              " is the recorded head but its hash differs"));
    }
    events->push_back(e);
    prev = &a;
  }
  // A head taken at export (not by the archiving itself) closes the history.
  if (prev != nullptr && !bundle.archive().has_archived_at() &&
      prev->event().sequence() > bundle.archive().last_sequence()) {
    return absl::DataLossError(absl::StrCat("archive: event ", prev->event().sequence(),
                                            " lies after the recorded head (event ",
                                            bundle.archive().last_sequence(), ")"));
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status VerifyArchiveBundle(v1::ArchiveBundle& bundle) {
  if (bundle.format_version() != kArchiveFormatVersion &&
      bundle.format_version() != kArchiveFormatVersion1) {
    return absl::FailedPreconditionError(
        absl::StrCat("archive: format version ", bundle.format_version(),
                     " is not readable (this library reads ", kArchiveFormatVersion1, " and ",
                     kArchiveFormatVersion, ")"));
  }
  // 1. The manifest: complete, and every part matches its digest.
  std::map<std::string, std::string> listed;
  for (const v1::ManifestEntry& e : bundle.manifest()) {
    if (!listed.emplace(e.name(), e.sha256()).second) {
      return absl::DataLossError(absl::StrCat("archive: manifest lists \"", e.name(), "\" twice"));
    }
  }
  for (const v1::ManifestEntry& e : ComputeManifest(bundle)) {
    auto it = listed.find(e.name());
    if (it == listed.end()) {
      return absl::DataLossError(
          absl::StrCat("archive: part \"", e.name(), "\" is not in the manifest"));
    }
    if (it->second != e.sha256()) {
      return absl::DataLossError(absl::StrCat(
          "archive: part \"", e.name(), "\" does not match its manifest digest (manifest ",
          Short(it->second), ", content ", Short(e.sha256()), ")"));
    }
    listed.erase(it);
  }
  if (!listed.empty()) {
    return absl::DataLossError(absl::StrCat("archive: part \"", listed.begin()->first,
                                            "\" is in the manifest but missing"));
  }
  // 2. The events: this request's, each hash from its content and its link.
  std::vector<v1::Event> events;
  CFLOW_RETURN_IF_ERROR(bundle.format_version() == kArchiveFormatVersion1
                            ? VerifyEventsFormat1(bundle, &events)
                            : VerifyEvents(bundle, &events));
  // 3. The record and the lists against the fold of the events (when the
  // bundle holds the request's history from its creation).
  if (!events.empty() && events.front().has_request_created()) {
    v1::EngineState state;
    for (const v1::Event& e : events) ApplyEvent(e, &state);
    v1::RequestRecord& folded = (*state.mutable_requests())[bundle.request_id()];
    // A bundle written before the record kept its last event's time.
    if (!bundle.record().has_last_event_at()) folded.clear_last_event_at();
    if (SerializeBinary(folded) != SerializeBinary(bundle.record())) {
      return absl::DataLossError(
          "archive: the record does not match the fold of the events (an event or the record "
          "was changed, added or removed)");
    }
  }
  v1::ArchiveBundle derived;
  FillDerivedParts(bundle.record(), events, &derived);
  v1::ArchiveBundle held;
  *held.mutable_request_versions() = bundle.request_versions();
  *held.mutable_responses() = bundle.responses();
  *held.mutable_plan_revisions() = bundle.plan_revisions();
  *held.mutable_minutes() = bundle.minutes();
  *held.mutable_progress_reports() = bundle.progress_reports();
  *held.mutable_resource_requests() = bundle.resource_requests();
  *held.mutable_risks() = bundle.risks();
  *held.mutable_submissions() = bundle.submissions();
  *held.mutable_reviews() = bundle.reviews();
  *held.mutable_communication_log() = bundle.communication_log();
  const std::vector<v1::ManifestEntry> want = ComputeManifest(derived);
  const std::vector<v1::ManifestEntry> have = ComputeManifest(held);
  std::map<std::string, std::string> want_by_name;
  for (const auto& e : want) want_by_name[e.name()] = e.sha256();
  for (const auto& e : have) want_by_name.emplace(e.name(), "");
  for (const auto& [name, digest] : want_by_name) {
    auto it = std::find_if(have.begin(), have.end(),
                           [&name = name](const auto& e) { return e.name() == name; });
    if (it == have.end() || it->sha256() != digest) {
      return absl::DataLossError(
          absl::StrCat("archive: part \"", name, "\" does not match the record and the events"));
    }
  }
  return absl::OkStatus();
}

}  // namespace collabflow::internal

namespace collabflow {

namespace {

absl::StatusOr<std::string> Export(const Engine& engine, absl::string_view request_id,
                                   const absl::Time* exported_at) {
  CFLOW_ASSIGN_OR_RETURN(RequestHistory history, engine.ReadRequestHistory(request_id));
  CFLOW_ASSIGN_OR_RETURN(internal::DirectoryIndex index,
                         internal::DirectoryIndex::Build(history.directory));
  const absl::Time at =
      exported_at != nullptr ? *exported_at : internal::DefaultExportTime(history);
  return internal::SerializeBinary(
      internal::BuildArchiveBundle(history, index, engine.calendar(), at));
}

}  // namespace

absl::StatusOr<std::string> ExportArchive(const Engine& engine, absl::string_view request_id) {
  return Export(engine, request_id, nullptr);
}

absl::StatusOr<std::string> ExportArchive(const Engine& engine, absl::string_view request_id,
                                          absl::Time exported_at) {
  return Export(engine, request_id, &exported_at);
}

absl::StatusOr<v1::ArchiveBundle> ReadArchive(absl::string_view bytes) {
  v1::ArchiveBundle bundle;
  // Before libprotobuf sees them: it would log each bad string to stderr.
  if (absl::Status utf8 = internal::CheckUtf8Fields(bundle.GetDescriptor(), bytes); !utf8.ok()) {
    return absl::DataLossError(absl::StrCat("archive: ", utf8.message()));
  }
  if (!bundle.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::DataLossError("archive: the bytes are not an archive bundle");
  }
  // Export writes the one deterministic encoding of the bundle, and the
  // digests and hashes below are over that encoding re-made from the parse,
  // so bytes that decode to the same message by another way (a boolean's
  // byte 1 changed to 2, a varint padded with 0x80s, a field repeated or out
  // of order) would verify. Only the canonical bytes do.
  const std::string canonical = internal::SerializeBinary(bundle);
  if (canonical != bytes) {
    const auto mismatch =
        std::mismatch(canonical.begin(), canonical.end(), bytes.begin(), bytes.end());
    return absl::DataLossError(absl::StrCat(
        "archive: the bytes are not the canonical encoding of the bundle they decode to "
        "(they differ from it at byte ",
        mismatch.first - canonical.begin(), ")"));
  }
  CFLOW_RETURN_IF_ERROR(internal::VerifyArchiveBundle(bundle));
  return bundle;
}

}  // namespace collabflow
