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
    owers_.emplace_back();
  }
  return it->second;
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
    if (timer_keys_[index].empty() && due_keys_[index].empty() && owers_[index].empty()) return;
  }
  // Views into the state and keys on the stack: a request has few open
  // dues and fewer owers, and a refresh usually changes nothing stored.
  absl::InlinedVector<absl::string_view, 4> owers;
  absl::InlinedVector<TimerKey, 4> keys;
  absl::InlinedVector<TimerKey, 4> due_keys;
  if (open_dues != nullptr) {
    const auto& dues = *open_dues;
    for (const v1::DueItem& due : dues) {
      for (const std::string& person : due.owed_by()) {
        if (!Contains(owers, person)) owers.push_back(person);
      }
    }
    for (int i = 0; i < dues.size(); ++i) {
      due_keys.push_back(TimerKey{FromProto(dues[i].due_at()), index, static_cast<uint32_t>(i)});
      const int rung = dues[i].reminders_sent() + 1;
      if (rung > ladder_.last_rung()) continue;
      keys.push_back(TimerKey{RungTime(*calendar_, dues[i], rung, ladder_.every_working_days),
                              index, static_cast<uint32_t>(i)});
    }
  }
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
  std::vector<std::string>& kept_owers = owers_[index];
  for (const std::string& person : kept_owers) {
    if (Contains(owers, person)) continue;
    auto owing = requests_owed_by_.find(person);
    owing->second.erase(index);
    if (owing->second.empty()) requests_owed_by_.erase(owing);
  }
  for (absl::string_view person : owers) {
    if (Contains(kept_owers, person)) continue;
    auto owing = requests_owed_by_.find(person);
    if (owing == requests_owed_by_.end()) {
      owing = requests_owed_by_.try_emplace(std::string(person)).first;
    }
    owing->second.insert(index);
  }
  timer_keys_[index].assign(keys.begin(), keys.end());  // reuses its capacity
  if (!std::equal(owers.begin(), owers.end(), kept_owers.begin(), kept_owers.end())) {
    kept_owers.clear();
    kept_owers.reserve(owers.size());  // one allocation, not one per doubling
    for (absl::string_view person : owers) kept_owers.emplace_back(person);
  }
  if (keys.empty() && due_keys.empty() && owers.empty()) {
    // Nothing open (most requests, once they end): nothing is kept for it,
    // and its index goes to the next request that has something open.
    std::vector<TimerKey>().swap(timer_keys_[index]);
    std::vector<TimerKey>().swap(due_keys_[index]);
    std::vector<std::string>().swap(kept_owers);
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

void TimerIndex::ForEachRequestOwedBy(absl::string_view person,
                                      absl::FunctionRef<void(const std::string&)> fn) const {
  auto it = requests_owed_by_.find(person);
  if (it == requests_owed_by_.end()) return;
  for (const uint32_t index : it->second) fn(request_ids_[index]);
}

}  // namespace collabflow::internal
