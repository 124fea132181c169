#include "engine/state/request_cache.h"

#include <iterator>

namespace collabflow::internal {

RequestCache::Entry* RequestCache::Find(absl::string_view request_id) {
  auto it = index_.find(request_id);
  if (it == index_.end()) return nullptr;
  if (it->second != entries_.begin()) entries_.splice(entries_.begin(), entries_, it->second);
  return &it->second->second;
}

const RequestCache::Entry* RequestCache::Peek(absl::string_view request_id) const {
  auto it = index_.find(request_id);
  return it == index_.end() ? nullptr : &it->second->second;
}

RequestCache::Entry* RequestCache::Peek(absl::string_view request_id) {
  auto it = index_.find(request_id);
  return it == index_.end() ? nullptr : &it->second->second;
}

RequestCache::Entry* RequestCache::Add(const std::string& request_id) {
  entries_.emplace_front(std::piecewise_construct, std::forward_as_tuple(request_id),
                         std::forward_as_tuple());
  index_.emplace(entries_.front().first, entries_.begin());
  return &entries_.front().second;
}

void RequestCache::Charge(Entry* entry, size_t wire_bytes) {
  const size_t bytes = wire_bytes * kBytesInMemoryPerWireByte;
  entry->bytes += bytes;
  bytes_ += bytes;
}

void RequestCache::Trim(absl::FunctionRef<void(const std::string&, Entry&)> dropping) {
  // From the least recently used; pinned entries stay where they are.
  auto it = entries_.end();
  while (bytes_ > budget_ && it != entries_.begin()) {
    --it;
    Entry& entry = it->second;
    if (entry.pins > 0) continue;
    dropping(it->first, entry);
    bytes_ -= entry.bytes;
    index_.erase(it->first);
    it = entries_.erase(it);
  }
}

void RequestCache::ForEach(absl::FunctionRef<void(const std::string&, Entry&)> fn) {
  for (auto& [id, entry] : entries_) fn(id, entry);
}

}  // namespace collabflow::internal
