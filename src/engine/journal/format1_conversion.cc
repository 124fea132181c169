#include "engine/journal/format1_conversion.h"

#include <algorithm>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "engine/journal/hash_chain.h"
#include "engine/journal/replay.h"
#include "engine/journal/request_history.h"
#include "engine/journal/sealed_batch.h"
#include "engine/state/folded_state.h"
#include "engine/state/state_fold.h"
#include "engine/state/streams.h"
#include "store/file_system.h"
#include "store/journal_format.h"
#include "store/snapshot_file.h"
#include "wire/proto_io.h"

namespace collabflow::internal {
namespace {

std::string Sibling(const std::string& dir, absl::string_view suffix) {
  std::string d = dir;
  while (d.size() > 1 && d.back() == '/') d.pop_back();
  return absl::StrCat(d, suffix);
}

// Whether the store in `dir` may have been written by 0.1 or 0.2, from its
// files' headers alone: its first journal segment is of journal format 1
// (0.1 and 0.2 wrote no other; a format 1 segment after a format 2 one is
// damage the store reports), or its newest snapshot is of format 1. False
// only when neither can be; any file that cannot be read says "may be", for
// the whole check (Convert) to report.
bool MayHoldFormat1(FileSystem* fs, const std::string& dir) {
  absl::StatusOr<std::vector<std::string>> names = fs->ListDir(dir);
  if (!names.ok()) return true;
  std::optional<uint64_t> first_segment;
  std::optional<uint64_t> newest_snapshot;
  for (const std::string& name : *names) {
    if (auto first = ParseSegmentFileName(name)) {
      if (!first_segment.has_value() || *first < *first_segment) first_segment = *first;
    } else if (auto covers = ParseSnapshotFileName(name)) {
      if (!newest_snapshot.has_value() || *covers > *newest_snapshot) newest_snapshot = *covers;
    }
  }
  if (first_segment.has_value()) {
    absl::StatusOr<std::unique_ptr<ReadableFile>> file =
        fs->NewReadableFile(JoinPath(dir, SegmentFileName(*first_segment)));
    if (!file.ok()) return true;
    char header[kSegmentHeaderBytes];
    absl::StatusOr<size_t> got = (*file)->Read(0, kSegmentHeaderBytes, header);
    if (!got.ok() || *got != kSegmentHeaderBytes) return true;
    std::string why;
    const std::optional<SegmentHeader> parsed =
        ParseSegmentHeader(absl::string_view(header, kSegmentHeaderBytes), &why);
    if (!parsed.has_value() || parsed->format != kJournalFormatVersion) return true;
  }
  if (newest_snapshot.has_value()) {
    absl::StatusOr<uint32_t> format =
        ReadSnapshotFormat(fs, JoinPath(dir, SnapshotFileName(*newest_snapshot)));
    if (!format.ok() || *format == 1) return true;
  }
  return false;
}

std::string ParentOf(const std::string& dir) {
  const std::filesystem::path parent = std::filesystem::path(Sibling(dir, "")).parent_path();
  return parent.empty() ? std::string(".") : parent.string();
}

// Whether `store` was written by 0.1 or 0.2: records of kEngineStream, or a
// snapshot of format 1.
absl::StatusOr<bool> IsFormat1(const EventStore& store) {
  bool found = false;
  const absl::Status read = store.ReadStream(kEngineStream, 0, [&](const StoredRecord&) {
    found = true;
    return absl::CancelledError("found");
  });
  if (found) return true;
  CFLOW_RETURN_IF_ERROR(read);
  CFLOW_ASSIGN_OR_RETURN(std::optional<EventStore::Snapshot> snapshot, store.LatestSnapshot());
  return snapshot.has_value() && snapshot->format == 1;
}

// Writes format 1 events, one old record at a time, as format 2 records.
class Converter {
 public:
  explicit Converter(EventStore* out) : out_(out), folded_(out) {}

  absl::Status Record(uint64_t old_position, v1::EventBatch batch) {
    for (const v1::Event& e : batch.events()) {
      CFLOW_RETURN_IF_ERROR(old_chain_.Add(e));
      ApplyEvent(e, &old_state_);  // what 0.2 folded (records, directory)
      ++events_;
    }
    // One record per stream, each stream's events together, in order.
    std::vector<std::string> streams;
    for (const v1::Event& e : batch.events()) {
      std::string stream = StreamOf(e);
      if (std::find(streams.begin(), streams.end(), stream) == streams.end()) {
        streams.push_back(std::move(stream));
      }
    }
    for (const std::string& stream : streams) {
      const v1::StreamHead* head = folded_.FindStream(stream);
      uint64_t version = head == nullptr ? 0 : head->events();
      uint64_t notification = head == nullptr ? 0 : head->notifications();
      const uint64_t expected = head == nullptr ? 0 : head->records();
      SealedBatchWriter batch_writer(head == nullptr || head->hash().empty() ? GenesisHash()
                                                                             : head->hash());
      std::vector<v1::Event*> mine;
      uint64_t max_old_id = 0;
      for (v1::Event& e : *batch.mutable_events()) {
        if (StreamOf(e) != stream) continue;
        // The archive sealed format 1's chain (kept as it was); it also
        // gets the request's version it sealed in its new stream.
        if (e.has_request_archived())
          e.mutable_request_archived()->mutable_archive()->set_last_version(version);
        e.clear_sequence();
        e.clear_hash();
        e.set_version(++version);
        for (v1::Notification& n : *e.mutable_notifications()) {
          max_old_id = std::max(max_old_id, n.id());
          n.set_id(++notification);
        }
        if (e.has_outbox_acknowledged()) {
          v1::OutboxAcknowledged* ack = e.mutable_outbox_acknowledged();
          ack->set_up_to_position(AcknowledgedPosition(ack->up_to()));
          ack->clear_up_to();
        }
        batch_writer.Seal(&e);
        mine.push_back(&e);
      }
      absl::StatusOr<uint64_t> position = out_->Append(stream, expected, batch_writer.wire());
      if (!position.ok()) {
        return absl::Status(
            position.status().code(),
            absl::StrCat("converting record ", old_position, ": ", position.status().message()));
      }
      ++records_;
      // Every record stays held (the cache is unbounded): nothing is loaded.
      for (v1::Event* e : mine) CFLOW_RETURN_IF_ERROR(folded_.Apply(e, *position));
      notified_.push_back({*position, max_old_id});
    }
    return absl::OkStatus();
  }

  // Every request's record and the directory as 0.2 folded them.
  absl::Status CompareWithTheOldFold() const {
    const v1::EngineState& now = folded_.state();
    if (SerializeBinary(now.directory()) != SerializeBinary(old_state_.directory())) {
      return absl::FailedPreconditionError("conversion: the directory differs from 0.2's");
    }
    if (folded_.request_count() != old_state_.requests().size()) {
      return absl::FailedPreconditionError(absl::StrCat("conversion: ", folded_.request_count(),
                                                        " requests where 0.2 had ",
                                                        old_state_.requests().size()));
    }
    for (const auto& [id, old_record] : old_state_.requests()) {
      const v1::RequestRecord* held = folded_.HeldRequest(id);
      v1::RequestRecord record = held == nullptr ? v1::RequestRecord() : *held;
      if (record.has_archive()) record.mutable_archive()->clear_last_version();
      if (!old_record.has_last_event_at()) record.clear_last_event_at();
      if (SerializeBinary(record) != SerializeBinary(old_record)) {
        return absl::FailedPreconditionError(
            absl::StrCat("conversion: request \"", id, "\" differs from 0.2's"));
      }
    }
    return absl::OkStatus();
  }

  FoldedState& folded() { return folded_; }
  uint64_t events() const { return events_; }
  uint64_t records() const { return records_; }

 private:
  // The position up to which every record's notifications were numbered <=
  // `up_to` in format 1 (records written so far, in order).
  uint64_t AcknowledgedPosition(uint64_t up_to) {
    while (acked_ < notified_.size() && notified_[acked_].second <= up_to) {
      acked_position_ = notified_[acked_].first;
      ++acked_;
    }
    return acked_position_;
  }

  EventStore* const out_;
  FoldedState folded_;
  v1::EngineState old_state_;
  ChainVerifier old_chain_{GenesisHash(), 1, ChainNumbering::kSequence, "format 1 history"};
  // Per record written: its position and the largest format 1 id of its
  // notifications (0: none).
  std::vector<std::pair<uint64_t, uint64_t>> notified_;
  size_t acked_ = 0;
  uint64_t acked_position_ = 0;
  uint64_t events_ = 0;
  uint64_t records_ = 0;
};

absl::Status Convert(const std::string& dir, const std::string& converting,
                     const StoreOptions& options, Format1Conversion* report) {
  CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<EventStore> old_store, OpenDirectoryStore(dir, options));
  CFLOW_ASSIGN_OR_RETURN(const bool format1, IsFormat1(*old_store));
  if (!format1) return absl::OkStatus();

  // The events before a compaction are gone: nothing to rebuild the streams
  // from.
  absl::Status probe =
      old_store->ReadAll(0, [](const StoredRecord&) { return absl::CancelledError("probe"); });
  if (!probe.ok() && !absl::IsCancelled(probe)) {
    return absl::FailedPreconditionError(absl::StrCat(
        "store ", dir, " was written by collabflow 0.1 or 0.2 and compacted after a snapshot (",
        probe.message(),
        "): its requests' histories before the snapshot are gone, so it "
        "cannot be converted to streams; export what you need with collabflow 0.2"));
  }

  // 1-2. Check the old chain and write the new store beside the old one.
  std::error_code ignored;
  std::filesystem::remove_all(converting, ignored);  // a conversion a crash cut short
  StoreOptions out_options = options;
  out_options.durability = Durability::kNoSync;
  out_options.create_if_missing = true;
  {
    CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<EventStore> out,
                           OpenDirectoryStore(converting, out_options));
    Converter writing(out.get());
    CFLOW_RETURN_IF_ERROR(old_store->ReadAll(0, [&](const StoredRecord& record) {
      CFLOW_ASSIGN_OR_RETURN(v1::EventBatch batch,
                             ParseEventBatch(record.position, record.payload));
      return writing.Record(record.position, std::move(batch));
    }));
    CFLOW_RETURN_IF_ERROR(writing.CompareWithTheOldFold());
    CFLOW_RETURN_IF_ERROR(out->Close());  // syncs what kNoSync left
    // 3. The new store as the engine will open it.
    CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<EventStore> reopened,
                           OpenDirectoryStore(converting, out_options));
    FoldedState replayed(reopened.get());
    CFLOW_RETURN_IF_ERROR(Replay(*reopened, &replayed).status());
    if (replayed.Serialize() != writing.folded().Serialize()) {
      return absl::FailedPreconditionError(
          "conversion: the converted store does not replay to the state written");
    }
    CFLOW_RETURN_IF_ERROR(VerifyStoredHistory(*reopened, replayed));
    CFLOW_RETURN_IF_ERROR(reopened->Close());
    report->events = writing.events();
    report->records = writing.records();
  }

  // 4. Swap (the old store stays locked until its directory has moved).
  FileSystem* fs = options.file_system != nullptr ? options.file_system : DefaultFileSystem();
  const std::string kept = Sibling(dir, ".format1");
  if (fs->DirExists(kept).ok()) {
    return absl::AlreadyExistsError(absl::StrCat("conversion of ", dir, ": ", kept,
                                                 " exists (a format 1 store kept by an earlier "
                                                 "conversion?); move it away and open again"));
  }
  CFLOW_RETURN_IF_ERROR(fs->RenameFile(dir, kept));
  CFLOW_RETURN_IF_ERROR(fs->RenameFile(converting, dir));
  CFLOW_RETURN_IF_ERROR(fs->SyncDir(ParentOf(dir)));
  CFLOW_RETURN_IF_ERROR(old_store->Close());
  report->converted = true;
  report->kept_at = kept;
  return absl::OkStatus();
}

}  // namespace

absl::Status ConvertFormat1StoreIfNeeded(const std::string& dir, const StoreOptions& options,
                                         Format1Conversion* report) {
  *report = Format1Conversion();
  FileSystem* fs = options.file_system != nullptr ? options.file_system : DefaultFileSystem();
  const std::string converting = Sibling(dir, ".converting");
  const std::string kept = Sibling(dir, ".format1");
  if (!fs->DirExists(dir).ok()) {
    // A crash between the two renames: the old store is kept, the new one
    // complete; finish.
    if (fs->DirExists(converting).ok() && fs->DirExists(kept).ok()) {
      CFLOW_RETURN_IF_ERROR(fs->RenameFile(converting, dir));
      CFLOW_RETURN_IF_ERROR(fs->SyncDir(ParentOf(dir)));
      report->converted = true;
      report->kept_at = kept;
    }
    return absl::OkStatus();
  }
  // Most opens: the headers say it is not, and the store is opened once.
  if (!MayHoldFormat1(fs, dir)) return absl::OkStatus();
  absl::Status converted = Convert(dir, converting, options, report);
  if (!converted.ok() && !report->converted) {
    std::error_code ignored;  // best effort: the next attempt removes it too
    std::filesystem::remove_all(converting, ignored);
  }
  return converted;
}

}  // namespace collabflow::internal
