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

void StreamTable::Pack(absl::string_view stream, const StreamState& state) {
  if (state.version > 0) {
    settled_.Put(stream, Settled{state.version, state.newest.position, state.newest.offset});
  }
}

StreamState& StreamTable::operator[](absl::string_view stream) {
  auto it = live_.find(stream);
  if (it != live_.end()) return it->second;
  StreamState state;
  if (const Settled* s = settled_.Find(stream)) {
    state = Unpack(*s);
    settled_.Erase(stream);
  }
  return live_.emplace(std::string(stream), state).first->second;
}

std::optional<StreamState> StreamTable::Find(absl::string_view stream) const {
  if (auto it = live_.find(stream); it != live_.end()) return it->second;
  if (const Settled* s = settled_.Find(stream)) return Unpack(*s);
  return std::nullopt;
}

void StreamTable::Erase(absl::string_view stream) {
  if (auto it = live_.find(stream); it != live_.end()) {
    live_.erase(it);
  } else {
    settled_.Erase(stream);
  }
}

bool StreamTable::Settle(absl::string_view stream) {
  auto it = live_.find(stream);
  if (it == live_.end() || !Idle(it->second)) return false;
  Pack(stream, it->second);
  live_.erase(it);
  return true;
}

bool StreamTable::AddSettled(absl::string_view stream, uint64_t version, RecordLink newest) {
  if (live_.contains(stream) || settled_.Contains(stream)) return false;
  settled_.Put(stream, Settled{version, newest.position, newest.offset});
  return true;
}

void StreamTable::SettleAll() {
  for (auto it = live_.begin(); it != live_.end();) {
    if (!Idle(it->second)) {
      ++it;
      continue;
    }
    Pack(it->first, it->second);
    live_.erase(it++);
  }
  // A hash map keeps its room when emptied: a copy of what is left has none
  // to spare.
  absl::flat_hash_map<std::string, StreamState> rest(live_.begin(), live_.end());
  live_.swap(rest);
  settled_.Compact();
}

}  // namespace collabflow::internal
