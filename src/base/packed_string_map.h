// A map from byte strings to small fixed-size values, packed for tables of
// millions of entries that are mostly read: every key's bytes end to end in
// one buffer, the entries (value, the key's place and hash) in one array,
// and an open-addressing index of 32-bit slots (an entry's number, and the
// bits of its hash its slot does not give, so that a probe rarely reads an
// entry it does not want). An entry costs its
// value, 16 bytes, its key's bytes and about 6 bytes of index, where a
// flat_hash_map<std::string, V> spends a 32-byte std::string (its key on the
// heap beyond 15 bytes) and a slot sized for both in a table kept at most
// 7/8 full.
//
// Erase marks the entry dead; the dead entries and their keys' bytes are
// dropped when the table next grows (or by Compact). Pointers to values are
// valid until the next key added (Put, Insert), Reserve, Erase or Compact.
//
// Thread safety: as a std::vector (concurrent const calls are safe).
#ifndef COLLABFLOW_SRC_BASE_PACKED_STRING_MAP_H_
#define COLLABFLOW_SRC_BASE_PACKED_STRING_MAP_H_

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "absl/hash/hash.h"
#include "absl/strings/string_view.h"

namespace collabflow::internal {

template <typename V>
class PackedStringMap {
  static_assert(std::is_trivially_copyable<V>::value, "values are copied as bytes");

 public:
  // The value for `key`; nullptr if absent.
  V* Find(absl::string_view key) {
    const uint32_t at = Lookup(key, Hash(key));
    return at == kNone ? nullptr : &entries_[at].value;
  }
  const V* Find(absl::string_view key) const {
    return const_cast<PackedStringMap*>(this)->Find(key);
  }
  bool Contains(absl::string_view key) const { return Find(key) != nullptr; }

  // Sets the value for `key`, adding the key if absent.
  void Put(absl::string_view key, const V& value) {
    const uint32_t hash = Hash(key);
    if (const uint32_t at = Lookup(key, hash); at != kNone) {
      entries_[at].value = value;
      return;
    }
    Add(key, hash, value);
  }

  // Adds `key` with `value` if absent; returns false, changing nothing, if
  // the map holds the key already.
  bool Insert(absl::string_view key, const V& value) {
    const uint32_t hash = Hash(key);
    if (Lookup(key, hash) != kNone) return false;
    Add(key, hash, value);
    return true;
  }

  // Room for `entries` entries in all, their keys `key_bytes` long in all:
  // adding up to that many grows nothing (a table loaded from a file whose
  // size is known).
  void Reserve(size_t entries, size_t key_bytes) {
    if (entries * 4 > index_.size() * 3) Rebuild(entries);
    entries_.reserve(entries);
    keys_.reserve(key_bytes);
  }

  // Removes `key`; returns whether it was there.
  bool Erase(absl::string_view key) {
    const uint32_t at = Lookup(key, Hash(key));
    if (at == kNone) return false;
    entries_[at].key_size = kDead;
    --live_;
    return true;
  }

  size_t size() const { return live_; }
  bool empty() const { return live_ == 0; }

  // Calls fn(key, value) for every entry, in the order the keys were first
  // put (as compaction keeps it).
  template <typename Fn>
  void ForEach(Fn fn) const {
    for (const Entry& e : entries_) {
      if (e.key_size != kDead) fn(absl::string_view(keys_.data() + e.key_at, e.key_size), e.value);
    }
  }

  void Clear() { *this = PackedStringMap(); }

  // Drops the dead entries now, and spare capacity.
  void Compact() {
    Rebuild(live_ + live_ / 3 + 1);
    keys_.shrink_to_fit();
    entries_.shrink_to_fit();
  }

  // The bytes held (capacity, not size), for memory accounting.
  size_t HeldBytes() const {
    return keys_.capacity() + entries_.capacity() * sizeof(Entry) +
           index_.capacity() * sizeof(uint32_t);
  }

 private:
  static constexpr uint32_t kNone = std::numeric_limits<uint32_t>::max();
  static constexpr uint32_t kDead = std::numeric_limits<uint32_t>::max();
  struct Entry {
    V value;
    uint64_t key_at;
    uint32_t key_size;  // kDead once erased
    uint32_t hash;
  };

  // Adds `key`, absent, with its hash.
  void Add(absl::string_view key, uint32_t hash, const V& value) {
    if ((entries_.size() + 1) * 4 > index_.size() * 3) Grow();
    Entry e;
    e.value = value;
    e.key_at = keys_.size();
    e.key_size = static_cast<uint32_t>(key.size());
    e.hash = hash;
    keys_.append(key.data(), key.size());
    entries_.push_back(e);
    Place(static_cast<uint32_t>(entries_.size() - 1), hash);
    ++live_;
  }

  static uint32_t Hash(absl::string_view key) {
    const size_t h = absl::Hash<absl::string_view>()(key);
    return static_cast<uint32_t>(h ^ (h >> 32));
  }

  // A slot of the index holds 0 (empty) or an entry's number plus one in its
  // low bits, below the table's mask, and the entry's hash in the bits
  // above it (which the slot's place does not give): most probes then end
  // without reading an entry. Entry numbers stay below the mask (the index
  // is kept at most 3/4 full).
  static uint32_t SlotOf(uint32_t at, uint32_t hash, uint32_t mask) {
    return (hash & ~mask) | (at + 1);
  }

  // The entry holding `key`, or kNone. The index is never full (Put keeps
  // it at most 3/4 used), so the probe ends at an empty slot.
  uint32_t Lookup(absl::string_view key, uint32_t hash) const {
    if (index_.empty()) return kNone;
    const uint32_t mask = static_cast<uint32_t>(index_.size() - 1);
    for (uint32_t slot = hash & mask;; slot = (slot + 1) & mask) {
      const uint32_t held = index_[slot];
      if (held == 0) return kNone;
      if ((held & ~mask) != (hash & ~mask)) continue;
      const uint32_t at = (held & mask) - 1;
      const Entry& e = entries_[at];
      if (e.hash == hash && e.key_size == key.size() &&
          std::memcmp(keys_.data() + e.key_at, key.data(), key.size()) == 0) {
        return at;
      }
    }
  }

  void Place(uint32_t at, uint32_t hash) {
    const uint32_t mask = static_cast<uint32_t>(index_.size() - 1);
    uint32_t slot = hash & mask;
    while (index_[slot] != 0) slot = (slot + 1) & mask;
    index_[slot] = SlotOf(at, hash, mask);
  }

  // Room for one more: an index for twice the live entries (dropping the
  // dead ones, whose slots are what filled it when they are many).
  void Grow() { Rebuild(std::max<size_t>(16, 2 * (live_ + 1))); }

  // Rewrites the table with its live entries, with an index for `entries`.
  void Rebuild(size_t entries) {
    size_t slots = 16;
    while (slots * 3 < entries * 4) slots *= 2;
    // Slots and entry numbers are 32-bit.
    if (slots > (size_t{1} << 31)) std::abort();
    std::string keys;
    std::vector<Entry> kept;
    if (live_ == entries_.size()) {
      keys.swap(keys_);
      kept.swap(entries_);
    } else {
      kept.reserve(live_);
      for (const Entry& e : entries_) {
        if (e.key_size == kDead) continue;
        Entry moved = e;
        moved.key_at = keys.size();
        keys.append(keys_.data() + e.key_at, e.key_size);
        kept.push_back(moved);
      }
    }
    keys_ = std::move(keys);
    entries_ = std::move(kept);
    index_.assign(slots, 0);
    for (size_t i = 0; i < entries_.size(); ++i) Place(static_cast<uint32_t>(i), entries_[i].hash);
  }

  std::string keys_;
  std::vector<Entry> entries_;
  std::vector<uint32_t> index_;  // SlotOf(entry number, its hash); 0: empty
  size_t live_ = 0;
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_BASE_PACKED_STRING_MAP_H_
