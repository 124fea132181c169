#include "store/stream_table.h"

#include <utility>

namespace collabflow::internal {
namespace {

// Every record queued is acknowledged, and none since the last index.
bool Idle(const StreamState& state) {
  return state.queued == state.version && state.written == state.newest && !state.unindexed;
}

}  // namespace

StreamState StreamTable::Unpack(const Settled& s) {
  StreamState state;
  state.version = s.version;
  state.newest = RecordLink{s.position, s.offset};
  state.queued = state.version;
  state.written = state.newest;
  return state;
}

StreamState& StreamTable::operator[](absl::string_view stream) {
  auto it = live_.find(stream);
  if (it != live_.end()) return it->second.state;
  Live live;
  if (const Settled* s = settled_.Find(stream)) {
    live.state = Unpack(*s);
    live.shadows = true;
    ++shadowed_;
  }
  return live_.emplace(std::string(stream), live).first->second.state;
}

std::optional<StreamState> StreamTable::Find(absl::string_view stream) const {
  if (auto it = live_.find(stream); it != live_.end()) return it->second.state;
  if (const Settled* s = settled_.Find(stream)) return Unpack(*s);
  return std::nullopt;
}

void StreamTable::Erase(absl::string_view stream) {
  if (auto it = live_.find(stream); it != live_.end()) {
    if (it->second.shadows) --shadowed_;
    live_.erase(it);
  }
  settled_.Erase(stream);
}

bool StreamTable::SettleAt(absl::flat_hash_map<std::string, Live>::iterator it) {
  const StreamState& state = it->second.state;
  if (!Idle(state)) return false;
  if (state.version > 0) {
    // Over its shadowed entry, if it has one: no entry added.
    settled_.Put(it->first, Settled{state.version, state.newest.position, state.newest.offset});
  } else if (it->second.shadows) {
    settled_.Erase(it->first);
  }
  if (it->second.shadows) --shadowed_;
  live_.erase(it);
  return true;
}

bool StreamTable::Settle(absl::string_view stream) {
  auto it = live_.find(stream);
  return it != live_.end() && SettleAt(it);
}

bool StreamTable::AddSettled(absl::string_view stream, uint64_t version, RecordLink newest) {
  if (!live_.empty() && live_.contains(stream)) return false;
  return settled_.Insert(stream, Settled{version, newest.position, newest.offset});
}

void StreamTable::SettleAll() {
  for (auto it = live_.begin(); it != live_.end();) SettleAt(it++);
  // A hash map keeps its room when emptied: a copy of what is left has none
  // to spare.
  absl::flat_hash_map<std::string, Live> rest(live_.begin(), live_.end());
  live_.swap(rest);
  settled_.Compact();
}

}  // namespace collabflow::internal
