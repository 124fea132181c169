// Every stream of a directory store, by name: its version and where its
// newest record is, and for a stream being appended to, what the writers
// have queued and written.
//
// A store kept for years holds a stream per request ever made, and most of
// them will never be appended to again (their requests ended). The streams
// appended to since they last settled are kept as StreamState in a hash
// map; the others are settled — their version and newest record packed in a
// PackedStringMap, about 40 bytes and the name's instead of about 130. The
// store settles a stream once it is idle and in an index on disk (Settle),
// and every stream at open; a settled stream comes back as it was when it is
// next used (operator[]), its packed entry kept (and shadowed) so that
// settling it again overwrites that entry rather than adding one. Nothing
// else sees the difference.
//
// Thread safety: none; the directory store's lock guards it.
#ifndef COLLABFLOW_SRC_STORE_STREAM_TABLE_H_
#define COLLABFLOW_SRC_STORE_STREAM_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "base/packed_string_map.h"
#include "store/journal_format.h"

namespace collabflow::internal {

// One stream's numbers. `queued` counts the records enqueued (the version an
// append is checked against); `written` is where the newest of them goes (the
// leader assigns it when it forms a group); `version` and `newest` describe
// the acknowledged records, which readers see.
struct StreamState {
  uint64_t queued = 0;
  RecordLink written;
  uint64_t version = 0;
  RecordLink newest;
  bool unindexed = false;  // changed since the last index captured (the store's list)
};

class StreamTable {
 public:
  // The stream's state, to read or change: a settled stream is brought back
  // first (queued = version, written = newest), and a stream not in the
  // table is added, all zero. The reference is valid until the next call
  // that adds or settles a stream.
  StreamState& operator[](absl::string_view stream);

  // The stream's state, or nullopt if the table does not hold it.
  std::optional<StreamState> Find(absl::string_view stream) const;

  // Removes the stream (a new stream whose first append was refused).
  void Erase(absl::string_view stream);

  // Settles the stream if it is idle: every record queued is acknowledged,
  // and it has not changed since the last index (!unindexed). A stream
  // without records is dropped instead. Returns whether it was settled.
  bool Settle(absl::string_view stream);

  // Adds a settled stream (at open, from the stream index). Returns false,
  // changing nothing, if the table holds it already.
  bool AddSettled(absl::string_view stream, uint64_t version, RecordLink newest);

  // Room for `streams` settled streams, their names `name_bytes` long in
  // all (an open adding every stream of an index).
  void ReserveSettled(size_t streams, size_t name_bytes) { settled_.Reserve(streams, name_bytes); }

  // Settles every idle stream (at open, once recovered), and gives back the
  // spare room.
  void SettleAll();

  size_t size() const { return settled_.size() + live_.size() - shadowed_; }
  // How many are settled and not in use (for tests).
  size_t settled() const { return settled_.size() - shadowed_; }

  // Calls fn(name, version, newest) for every stream with an acknowledged
  // record, in no particular order.
  template <typename Fn>
  void ForEach(Fn fn) const {
    settled_.ForEach([&](absl::string_view name, const Settled& s) {
      if (shadowed_ > 0 && live_.contains(name)) return;  // in use: live_ has it
      fn(name, s.version, RecordLink{s.position, s.offset});
    });
    for (const auto& [name, live] : live_) {
      if (live.state.version > 0)
        fn(absl::string_view(name), live.state.version, live.state.newest);
    }
  }

 private:
  struct Settled {
    uint64_t version;
    uint64_t position;  // the newest record's
    uint64_t offset;
  };
  struct Live {
    StreamState state;
    bool shadows = false;  // its settled entry is still in settled_
  };
  static StreamState Unpack(const Settled& s);
  // Settles the live stream at `it` if it is idle.
  bool SettleAt(absl::flat_hash_map<std::string, Live>::iterator it);

  // A stream in use is in live_ (and, if it was settled before, in settled_
  // too, shadowed: shadowed_ counts those); any other in settled_ alone.
  absl::flat_hash_map<std::string, Live> live_;
  PackedStringMap<Settled> settled_;
  size_t shadowed_ = 0;
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_STORE_STREAM_TABLE_H_
