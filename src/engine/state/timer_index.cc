#include "engine/state/timer_index.h"

#include "absl/container/inlined_vector.h"
#include "engine/state/time_rules.h"
#include "wire/time_proto.h"

namespace collabflow::internal {
namespace {

template <typename List, typename T>
bool Contains(const List& list, const T& x) {
  return std::find(list.begin(), list.end(), x) != list.end();
}

}  // namespace

uint32_t TimerIndex::RequestIndex(const std::string& request_id) {
  auto [it, inserted] = request_index_.try_emplace(request_id, 0);
  if (!inserted) return it->second;
  if (!free_.empty()) {
    it->second = free_.back();
    free_.pop_back();
    request_ids_[it->second] = request_id;
  } else {
    it->second = static_cast<uint32_t>(request_ids_.size());
    request_ids_.push_back(request_id);
    timer_keys_.emplace_back();
    due_keys_.emplace_back();
    owed_.emplace_back();
  }
  return it->second;
}

void TimerIndex::KeysOf(uint32_t index,
                        const google::protobuf::RepeatedPtrField<v1::DueItem>* open_dues,
                        RequestKeys* out) const {
  if (open_dues == nullptr) return;
  const auto& dues = *open_dues;
  for (int i = 0; i < dues.size(); ++i) {
    const TimerKey due_key{FromProto(dues[i].due_at()), index, static_cast<uint32_t>(i)};
    out->dues.push_back(due_key);
    for (const std::string& person : dues[i].owed_by()) {
      const auto same = [&](const OwedView& o) { return o.person == person && o.due == due_key; };
      if (std::none_of(out->owed.begin(), out->owed.end(), same)) {
        out->owed.push_back({person, due_key});
      }
    }
    const int rung = dues[i].reminders_sent() + 1;
    if (rung > ladder_.last_rung()) continue;
    out->timers.push_back(TimerKey{RungTime(*calendar_, dues[i], rung, ladder_.every_working_days),
                                   index, static_cast<uint32_t>(i)});
  }
}

void TimerIndex::Rebuild(absl::FunctionRef<void(const Visit&)> for_each_request) {
  *this = TimerIndex(*calendar_, ladder_);
  // Every key first, then each ordered set built from its keys sorted: in
  // order, an insert is an append (a million random inserts are not).
  std::vector<TimerKey> timers;
  std::vector<TimerKey> dues;
  absl::flat_hash_map<std::string, std::vector<TimerKey>> owed_by;
  RequestKeys keys;
  for_each_request([&](const std::string& request_id,
                       const google::protobuf::RepeatedPtrField<v1::DueItem>* open_dues) {
    if (open_dues == nullptr || open_dues->empty()) return;
    const uint32_t index = RequestIndex(request_id);
    keys.timers.clear();
    keys.dues.clear();
    keys.owed.clear();
    KeysOf(index, open_dues, &keys);
    timers.insert(timers.end(), keys.timers.begin(), keys.timers.end());
    dues.insert(dues.end(), keys.dues.begin(), keys.dues.end());
    timer_keys_[index].assign(keys.timers.begin(), keys.timers.end());
    due_keys_[index].assign(keys.dues.begin(), keys.dues.end());
    for (const OwedView& o : keys.owed) {
      auto [it, added] = owed_by.try_emplace(o.person);
      it->second.push_back(o.due);
    }
  });
  std::sort(timers.begin(), timers.end());
  std::sort(dues.begin(), dues.end());
  timers_.insert(timers.begin(), timers.end());
  dues_.insert(dues.begin(), dues.end());
  for (auto& [person, owed] : owed_by) {
    std::sort(owed.begin(), owed.end());
    auto [it, added] = owed_by_.try_emplace(person);
    it->second.insert(owed.begin(), owed.end());
    for (const TimerKey& k : owed) owed_[k.request].push_back(Owed{&it->first, k});
  }
}

void TimerIndex::Refresh(const std::string& request_id,
                         const google::protobuf::RepeatedPtrField<v1::DueItem>* open_dues) {
  uint32_t index = 0;
  if (open_dues != nullptr && !open_dues->empty()) {
    index = RequestIndex(request_id);
  } else {
    // Nothing open: only a request that had timers or owers has anything
    // to drop (a new request has neither, nor an index yet).
    auto found = request_index_.find(request_id);
    if (found == request_index_.end()) return;
    index = found->second;
    if (timer_keys_[index].empty() && due_keys_[index].empty() && owed_[index].empty()) return;
  }
  // The request's keys on the stack: a request has few open dues and fewer
  // owers, and a refresh usually changes nothing stored.
  RequestKeys wanted;
  KeysOf(index, open_dues, &wanted);
  const auto& keys = wanted.timers;
  const auto& due_keys = wanted.dues;
  const auto& owed = wanted.owed;
  for (const TimerKey& k : timer_keys_[index]) {
    if (!Contains(keys, k)) timers_.erase(k);
  }
  for (const TimerKey& k : keys) {
    if (!Contains(timer_keys_[index], k)) timers_.insert(k);
  }
  for (const TimerKey& k : due_keys_[index]) {
    if (!Contains(due_keys, k)) dues_.erase(k);
  }
  for (const TimerKey& k : due_keys) {
    if (!Contains(due_keys_[index], k)) dues_.insert(k);
  }
  due_keys_[index].assign(due_keys.begin(), due_keys.end());
  timer_keys_[index].assign(keys.begin(), keys.end());  // reuses its capacity

  // The person index: what the request no longer owes leaves it, what it
  // newly owes joins it; the rest stays.
  std::vector<Owed>& kept = owed_[index];
  const auto same = [](const Owed& o, const OwedView& v) {
    return *o.person == v.person && o.due == v.due;
  };
  for (auto it = kept.begin(); it != kept.end();) {
    if (std::any_of(owed.begin(), owed.end(), [&](const OwedView& v) { return same(*it, v); })) {
      ++it;
      continue;
    }
    auto owing = owed_by_.find(*it->person);
    owing->second.erase(it->due);
    if (owing->second.empty()) owed_by_.erase(owing);
    it = kept.erase(it);
  }
  for (const OwedView& v : owed) {
    if (std::any_of(kept.begin(), kept.end(), [&](const Owed& o) { return same(o, v); })) continue;
    auto owing = owed_by_.find(v.person);
    if (owing == owed_by_.end()) owing = owed_by_.try_emplace(std::string(v.person)).first;
    owing->second.insert(v.due);
    kept.push_back(Owed{&owing->first, v.due});
  }

  if (keys.empty() && due_keys.empty() && kept.empty()) {
    // Nothing open (most requests, once they end): nothing is kept for it,
    // and its index goes to the next request that has something open.
    std::vector<TimerKey>().swap(timer_keys_[index]);
    std::vector<TimerKey>().swap(due_keys_[index]);
    std::vector<Owed>().swap(kept);
    request_index_.erase(request_id);
    std::string().swap(request_ids_[index]);
    free_.push_back(index);
  }
}

std::vector<TimerIndex::DueTimer> TimerIndex::DueAt(absl::Time now) const {
  std::vector<DueTimer> due;
  for (auto it = timers_.begin(); it != timers_.end() && it->when <= now; ++it) {
    due.push_back(DueTimer{&request_ids_[it->request], it->due});
  }
  return due;
}

std::vector<TimerIndex::DueTimer> TimerIndex::OverdueAt(absl::Time at) const {
  std::vector<DueTimer> due;
  for (auto it = dues_.begin(); it != dues_.end() && it->when <= at; ++it) {
    due.push_back(DueTimer{&request_ids_[it->request], it->due});
  }
  return due;
}

std::vector<TimerIndex::DueTimer> TimerIndex::OwedBy(absl::string_view person) const {
  std::vector<DueTimer> owed;
  auto it = owed_by_.find(person);
  if (it == owed_by_.end()) return owed;
  owed.reserve(it->second.size());
  for (const TimerKey& k : it->second) owed.push_back(DueTimer{&request_ids_[k.request], k.due});
  return owed;
}

}  // namespace collabflow::internal
