#include "collabflow/calendar.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <map>
#include <utility>

#include "absl/strings/str_cat.h"
#include "base/library_log.h"
#include "base/status_macros.h"
#include "calendar/calendar_impl.h"

namespace collabflow {
namespace {

using internal::kCalendarDays;
using internal::kNanosPerMinute;

constexpr uint64_t kOnes = 0x0101010101010101ULL;

// Inline SWAR popcount: __builtin_popcountll becomes a libgcc call on
// baseline x86-64, which showed up in the profile.
int Popcount(uint64_t x) {
  x = x - ((x >> 1) & 0x5555555555555555ULL);
  x = (x & 0x3333333333333333ULL) + ((x >> 2) & 0x3333333333333333ULL);
  x = (x + (x >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  return static_cast<int>((x * kOnes) >> 56);
}

// kSelectInByte[b][r]: position of the set bit of rank r in byte b.
constexpr auto kSelectInByte = [] {
  std::array<std::array<uint8_t, 8>, 256> table{};
  for (int b = 0; b < 256; ++b) {
    int rank = 0;
    for (int bit = 0; bit < 8; ++bit) {
      if (b & (1 << bit)) table[b][rank++] = static_cast<uint8_t>(bit);
    }
  }
  return table;
}();

// Position of the set bit of rank `r` (0-based) in `x`, branch-free
// (broadword select). REQUIRES: r < Popcount(x).
int SelectInWord(uint64_t x, int r) {
  // Byte i of `sums` holds the number of set bits in bytes 0..i (<= 64).
  uint64_t c = x - ((x >> 1) & 0x5555555555555555ULL);
  c = (c & 0x3333333333333333ULL) + ((c >> 2) & 0x3333333333333333ULL);
  c = (c + (c >> 4)) & 0x0F0F0F0F0F0F0F0FULL;
  const uint64_t sums = c * kOnes;
  // High bit of byte i set iff sums[i] <= r; their count is the byte holding
  // the answer.
  constexpr uint64_t kHigh = 0x8080808080808080ULL;
  const uint64_t le = ((static_cast<uint64_t>(r) * kOnes | kHigh) - sums) & kHigh;
  const int byte = static_cast<int>(((le >> 7) * kOnes) >> 56);
  const int before = byte == 0 ? 0 : static_cast<int>((sums >> (8 * byte - 8)) & 0xFF);
  return 8 * byte + kSelectInByte[(x >> (8 * byte)) & 0xFF][r - before];
}

int64_t ClampDay(int64_t day, int64_t lo, int64_t hi) { return std::min(std::max(day, lo), hi); }

// 1970-01-01 was a Thursday; absl::Weekday counts from Monday = 0.
int WeekdayOfIndex(int64_t day) {
  const int64_t w = (day + 3) % 7;
  return static_cast<int>(w < 0 ? w + 7 : w);
}

}  // namespace

namespace internal {

void DieOnBadBuiltinCalendar(absl::string_view what, const absl::Status& status) {
  // A build whose embedded data is wrong: the host's log callback hears
  // why, then the process stops (never stderr).
  Log(LogLevel::kError,
      absl::StrCat("collabflow: built-in calendar ", what, " is invalid: ", status.ToString()));
  std::abort();
}

}  // namespace internal

// --- Impl: construction ------------------------------------------------------

absl::StatusOr<std::shared_ptr<const Calendar::Impl>> Calendar::Impl::Build(CalendarSpec spec) {
  std::shared_ptr<Impl> impl(new Impl);
  CFLOW_ASSIGN_OR_RETURN(impl->zone_, internal::ZoneTable::Get(spec.time_zone, "time_zone"));
  std::sort(spec.exceptions.begin(), spec.exceptions.end(),
            [](const DatedException& a, const DatedException& b) { return a.date < b.date; });
  impl->spec_ = std::move(spec);
  Impl& c = *impl;
  const CalendarSpec& s = c.spec_;

  const size_t words = (kCalendarDays + 63) / 64;
  c.bits_.assign(words, 0);
  for (int64_t day = 0; day < kCalendarDays; ++day) {
    if (s.working_weekdays[WeekdayOfIndex(day)]) c.bits_[day >> 6] |= uint64_t{1} << (day & 63);
  }
  for (const DatedException& e : s.exceptions) {
    const int64_t day = internal::DayIndex(e.date);
    const uint64_t bit = uint64_t{1} << (day & 63);
    if (IsDayOffKind(e.kind)) {
      c.bits_[day >> 6] &= ~bit;
    } else {
      c.bits_[day >> 6] |= bit;
    }
    c.exception_day_.push_back(day);
  }
  c.word_rank_.resize(words + 1);
  c.word_rank_[0] = 0;
  for (size_t w = 0; w < words; ++w) c.word_rank_[w + 1] = c.word_rank_[w] + Popcount(c.bits_[w]);
  c.count_ = c.word_rank_[words];
  for (size_t w = 0; w < words; ++w) {
    while (int64_t{64} * static_cast<int64_t>(c.select_hint_.size()) < c.word_rank_[w + 1]) {
      c.select_hint_.push_back(static_cast<int32_t>(w));
    }
  }

  const WorkingHours& h = s.hours;
  if (h.has_break()) {
    if (h.break_start > h.start) c.periods_[c.period_count_++] = {h.start, h.break_start, 0, 0};
    if (h.end > h.break_end) c.periods_[c.period_count_++] = {h.break_end, h.end, 0, 0};
  } else {
    c.periods_[c.period_count_++] = {h.start, h.end, 0, 0};
  }
  for (int p = 0; p < c.period_count_; ++p) {
    c.periods_[p].begin_nanos = c.periods_[p].begin * kNanosPerMinute;
    c.periods_[p].end_nanos = c.periods_[p].end * kNanosPerMinute;
  }
  c.day_nanos_ = h.WorkingMinutes() * kNanosPerMinute;
  c.inverse_day_nanos_ = 1.0 / static_cast<double>(c.day_nanos_);

  // Working days whose hours contain a UTC offset change last more or less
  // than nominal; the cumulative working time corrects for them.
  c.odd_prefix_.push_back(0);
  for (int64_t day = 0; day < kCalendarDays; ++day) {
    if (!c.zone_->Irregular(day) || !c.Working(day)) continue;
    const int64_t delta = c.WorkOnDay(day) - c.day_nanos_;
    if (delta == 0) continue;
    c.odd_ordinal_.push_back(c.Rank(day));
    c.odd_prefix_.push_back(c.odd_prefix_.back() + delta);
  }
  return std::shared_ptr<const Impl>(std::move(impl));
}

// --- Impl: days ----------------------------------------------------------------

bool Calendar::Impl::Working(int64_t day) const {
  if (day < 0 || day >= kCalendarDays) return spec_.working_weekdays[WeekdayOfIndex(day)];
  return (bits_[day >> 6] >> (day & 63)) & 1;
}

int32_t Calendar::Impl::Rank(int64_t day) const {
  day = ClampDay(day, 0, kCalendarDays);
  const int64_t w = day >> 6;
  const int b = static_cast<int>(day & 63);
  int32_t r = word_rank_[w];
  if (b != 0) r += Popcount(bits_[w] & ((uint64_t{1} << b) - 1));
  return r;
}

int64_t Calendar::Impl::Select(int32_t ordinal) const {
  if (count_ == 0) return kCalendarDays - 1;
  const int32_t k = std::min(std::max(ordinal, 0), count_ - 1);
  const size_t j = static_cast<size_t>(k) >> 6;
  int32_t lo = select_hint_[j];
  int32_t hi =
      j + 1 < select_hint_.size() ? select_hint_[j + 1] : static_cast<int32_t>(bits_.size()) - 1;
  // The last word whose rank is <= k: usually within a step or two of the
  // hint (a word is 64 days), so scan a little before bisecting.
  // (Invariant: word_rank_[lo] <= k < word_rank_[hi + 1].)
  for (int step = 0; step < 4; ++step) {
    if (lo == hi || word_rank_[lo + 1] > k)
      return int64_t{lo} * 64 + SelectInWord(bits_[lo], k - word_rank_[lo]);
    ++lo;
  }
  while (lo < hi) {
    const int32_t mid = lo + (hi - lo + 1) / 2;
    if (word_rank_[mid] <= k) {
      lo = mid;
    } else {
      hi = mid - 1;
    }
  }
  return int64_t{lo} * 64 + SelectInWord(bits_[lo], k - word_rank_[lo]);
}

const DatedException* Calendar::Impl::ExceptionAt(int64_t day) const {
  auto it = std::lower_bound(exception_day_.begin(), exception_day_.end(), day);
  if (it == exception_day_.end() || *it != day) return nullptr;
  return &spec_.exceptions[it - exception_day_.begin()];
}

// --- Impl: instants --------------------------------------------------------------

int64_t Calendar::Impl::Clamp(int64_t nanos) const {
  return std::min(std::max(nanos, zone_->Midnight(0)), zone_->Midnight(kCalendarDays) - 1);
}

Calendar::Impl::Bounds Calendar::Impl::BoundsOf(int64_t day) const {
  Bounds out;
  if (!zone_->Irregular(day)) {
    const int64_t midnight = zone_->Midnight(day);
    for (int p = 0; p < period_count_; ++p) {
      out.begin[p] = midnight + periods_[p].begin_nanos;
      out.end[p] = midnight + periods_[p].end_nanos;
    }
  } else {
    for (int p = 0; p < period_count_; ++p) {
      out.begin[p] = zone_->LocalToNanos(day, periods_[p].begin);
      out.end[p] = zone_->LocalToNanos(day, periods_[p].end);
    }
  }
  return out;
}

int64_t Calendar::Impl::WorkOnDay(int64_t day) const {
  if (!zone_->Irregular(day)) return day_nanos_;
  const Bounds bounds = BoundsOf(day);
  int64_t sum = 0;
  for (int p = 0; p < period_count_; ++p) sum += bounds.end[p] - bounds.begin[p];
  return sum;
}

int64_t Calendar::Impl::WorkedOnDayBefore(int64_t day, int64_t t) const {
  const Bounds bounds = BoundsOf(day);
  int64_t worked = 0;
  for (int p = 0; p < period_count_ && t > bounds.begin[p]; ++p) {
    worked += std::min(t, bounds.end[p]) - bounds.begin[p];
  }
  return worked;
}

int64_t Calendar::Impl::PlaceOnDay(int64_t day, int64_t rest, bool earliest) const {
  const Bounds bounds = BoundsOf(day);
  for (int p = 0; p < period_count_; ++p) {
    const int64_t length = bounds.end[p] - bounds.begin[p];
    if (earliest ? rest <= length : rest < length) return bounds.begin[p] + rest;
    rest -= length;
  }
  return bounds.end[period_count_ - 1];
}

int64_t Calendar::Impl::CumAt(int32_t ordinal) const {
  int64_t cum = int64_t{ordinal} * day_nanos_;
  if (!odd_ordinal_.empty()) {
    cum += odd_prefix_[std::lower_bound(odd_ordinal_.begin(), odd_ordinal_.end(), ordinal) -
                       odd_ordinal_.begin()];
  }
  return cum;
}

int64_t Calendar::Impl::WorkedBefore(int64_t nanos) const {
  const int64_t t = Clamp(nanos);
  const int64_t day = zone_->DayOf(t);
  const int64_t worked = CumAt(Rank(day));
  return Working(day) ? worked + WorkedOnDayBefore(day, t) : worked;
}

int32_t Calendar::Impl::GuessOrdinal(int64_t worked) const {
  // floor(worked / day_nanos_) through a multiplication (an integer division
  // was a third of a deadline's cost); off by one at most, which the callers'
  // adjustment steps absorb.
  const int64_t k = static_cast<int64_t>(static_cast<double>(worked) * inverse_day_nanos_);
  return static_cast<int32_t>(std::min<int64_t>(std::max<int64_t>(k, 0), count_ - 1));
}

int64_t Calendar::Impl::EarliestAt(int64_t target) const {
  if (count_ == 0) return Clamp(0);
  if (target <= 0) return Opening(Select(0));
  if (target >= total()) return Close(Select(count_ - 1));
  // The working day k with CumAt(k) < target <= CumAt(k + 1). Days of nominal
  // length make the first guess exact; odd days move it by a step or two.
  int32_t k = GuessOrdinal(target - 1);
  while (k > 0 && CumAt(k) >= target) --k;
  while (k + 1 < count_ && CumAt(k + 1) < target) ++k;
  return PlaceOnDay(Select(k), target - CumAt(k), /*earliest=*/true);
}

int64_t Calendar::Impl::LatestAt(int64_t target) const {
  if (count_ == 0) return Clamp(0);
  if (target <= 0) return Opening(Select(0));
  if (target >= total()) return Close(Select(count_ - 1));
  // The working day k with CumAt(k) <= target < CumAt(k + 1).
  int32_t k = GuessOrdinal(target);
  while (k > 0 && CumAt(k) > target) --k;
  while (k + 1 < count_ && CumAt(k + 1) <= target) ++k;
  return PlaceOnDay(Select(k), target - CumAt(k), /*earliest=*/false);
}

int64_t Calendar::Impl::Deadline(int64_t filed, int64_t n) const {
  // With every working day of nominal length L, F(filed) = k * L + w (k the
  // working days before filed's day, w its work on that day, 0 <= w <= L) and
  // the earliest instant with F = (k + n) * L + w is at w into working day
  // k + n -- or, for w = 0, at the close of working day k + n - 1. No search.
  if (!odd_ordinal_.empty() || count_ == 0) return EarliestAt(WorkedBefore(filed) + n * day_nanos_);
  const int64_t t = Clamp(filed);
  const int64_t day = zone_->DayOf(t);
  const int64_t w = Working(day) ? WorkedOnDayBefore(day, t) : 0;
  int64_t ordinal = Rank(day) + n;
  int64_t rest = w;
  if (w == 0) {
    --ordinal;
    rest = day_nanos_;
  }
  if (ordinal >= count_) return Close(Select(count_ - 1));
  return PlaceOnDay(Select(static_cast<int32_t>(ordinal)), rest, /*earliest=*/true);
}

int64_t Calendar::Impl::NextStart(int64_t nanos) const {
  const int64_t t = Clamp(nanos);
  const int64_t day = zone_->DayOf(t);
  if (Working(day)) {
    const Bounds bounds = BoundsOf(day);
    for (int p = 0; p < period_count_; ++p) {
      if (t < bounds.begin[p]) return bounds.begin[p];
      if (t < bounds.end[p]) return t;
    }
  }
  const int32_t k = Rank(day + 1);
  if (k >= count_) return Close(Select(count_ - 1));
  return Opening(Select(k));
}

int64_t Calendar::Impl::Opening(int64_t day) const {
  return zone_->LocalToNanos(day, periods_[0].begin);
}

int64_t Calendar::Impl::Close(int64_t day) const {
  return zone_->LocalToNanos(day, periods_[period_count_ - 1].end);
}

// --- Calendar --------------------------------------------------------------------

Calendar::Calendar() {
  static const auto* const kDefault = [] {
    auto impl = Impl::Build(CalendarSpec{});
    if (!impl.ok()) internal::DieOnBadBuiltinCalendar("default (Asia/Shanghai)", impl.status());
    return new std::shared_ptr<const Impl>(*std::move(impl));
  }();
  impl_ = *kDefault;
}

absl::StatusOr<Calendar> Calendar::Create(const CalendarSpec& spec) {
  CFLOW_RETURN_IF_ERROR(ValidateCalendarSpec(spec));
  CFLOW_ASSIGN_OR_RETURN(auto impl, Impl::Build(spec));
  return Calendar(std::move(impl));
}

absl::StatusOr<Calendar> Calendar::WithOverlay(const CalendarOverlay& overlay) const {
  CFLOW_RETURN_IF_ERROR(ValidateCalendarOverlay(overlay));
  CalendarSpec merged = impl_->spec();
  std::map<absl::CivilDay, DatedException> by_date;
  for (const DatedException& e : merged.exceptions) by_date[e.date] = e;
  for (const DatedException& e : overlay.exceptions) by_date[e.date] = e;
  merged.exceptions.clear();
  for (auto& [date, e] : by_date) merged.exceptions.push_back(std::move(e));
  if (!overlay.name.empty()) {
    merged.name = merged.name.empty() ? overlay.name : absl::StrCat(merged.name, "+", overlay.name);
  }
  return Create(merged);
}

const CalendarSpec& Calendar::spec() const { return impl_->spec(); }
const absl::TimeZone& Calendar::time_zone() const { return impl_->zone().zone(); }

bool Calendar::IsWorkingDay(absl::CivilDay day) const {
  if (day < kCalendarFirstDay || day > kCalendarLastDay) {
    return impl_->spec().working_weekdays[static_cast<int>(absl::GetWeekday(day))];
  }
  return impl_->Working(internal::DayIndex(day));
}

absl::CivilDay Calendar::NextWorkingDay(absl::CivilDay day) const { return AddWorkingDays(day, 1); }

absl::CivilDay Calendar::PreviousWorkingDay(absl::CivilDay day) const {
  return AddWorkingDays(day, -1);
}

absl::CivilDay Calendar::AddWorkingDays(absl::CivilDay day, int64_t n) const {
  if (n == 0) return day;
  const int64_t index = ClampDay(internal::DayIndex(day), -1, kCalendarDays);
  const int64_t k = n > 0 ? impl_->Rank(index + 1) + (n - 1) : impl_->Rank(index) + n;
  if (k < 0) return kCalendarFirstDay;
  if (k >= impl_->count()) return kCalendarLastDay;
  return internal::DayAt(impl_->Select(static_cast<int32_t>(k)));
}

int64_t Calendar::WorkingDaysBetween(absl::CivilDay from, absl::CivilDay to) const {
  return int64_t{impl_->Rank(internal::DayIndex(to))} - impl_->Rank(internal::DayIndex(from));
}

int32_t Calendar::WorkdayOrdinal(absl::CivilDay day) const {
  return impl_->Rank(internal::DayIndex(day));
}

absl::CivilDay Calendar::WorkdayAt(int32_t ordinal) const {
  return internal::DayAt(impl_->Select(ordinal));
}

int32_t Calendar::WorkdayCount() const { return impl_->count(); }

std::optional<DatedException> Calendar::ExceptionOn(absl::CivilDay day) const {
  const DatedException* e = impl_->ExceptionAt(internal::DayIndex(day));
  if (e == nullptr) return std::nullopt;
  return *e;
}

bool Calendar::IsWorkingTime(absl::Time t) const {
  const int64_t nanos = internal::ToNanos(t);
  return nanos == impl_->Clamp(nanos) && impl_->NextStart(nanos) == nanos;
}

absl::Time Calendar::AddWorkingTime(absl::Time from, absl::Duration d) const {
  if (d == absl::ZeroDuration()) return from;
  // Anything beyond the range's total working time saturates; clamping first
  // keeps the sum from overflowing.
  const int64_t limit = impl_->total() + 1;
  const int64_t delta = std::min(std::max(absl::ToInt64Nanoseconds(d), -limit), limit);
  const int64_t target = impl_->WorkedBefore(internal::ToNanos(from)) + delta;
  return internal::FromNanos(delta > 0 ? impl_->EarliestAt(target) : impl_->LatestAt(target));
}

absl::Duration Calendar::WorkingTimeBetween(absl::Time from, absl::Time to) const {
  return absl::Nanoseconds(impl_->WorkedBefore(internal::ToNanos(to)) -
                           impl_->WorkedBefore(internal::ToNanos(from)));
}

absl::Time Calendar::DeadlineWithinWorkingDays(absl::Time filed, int n) const {
  if (n <= 0) return filed;
  const int64_t days = std::min<int64_t>(n, int64_t{impl_->count()} + 1);
  return internal::FromNanos(impl_->Deadline(internal::ToNanos(filed), days));
}

absl::Time Calendar::NextWorkingStart(absl::Time t) const {
  return internal::FromNanos(impl_->NextStart(internal::ToNanos(t)));
}

absl::Time Calendar::OpeningOf(absl::CivilDay day) const {
  int64_t index = ClampDay(internal::DayIndex(day), 0, kCalendarDays - 1);
  if (!impl_->Working(index)) index = internal::DayIndex(NextWorkingDay(internal::DayAt(index)));
  return internal::FromNanos(impl_->Opening(index));
}

absl::Time Calendar::CloseOf(absl::CivilDay day) const {
  int64_t index = ClampDay(internal::DayIndex(day), 0, kCalendarDays - 1);
  if (!impl_->Working(index)) index = internal::DayIndex(NextWorkingDay(internal::DayAt(index)));
  return internal::FromNanos(impl_->Close(index));
}

absl::Duration Calendar::WorkingDayLength() const { return absl::Nanoseconds(impl_->day_nanos()); }

bool Calendar::operator==(const Calendar& o) const {
  return impl_ == o.impl_ || impl_->spec() == o.impl_->spec();
}

}  // namespace collabflow
