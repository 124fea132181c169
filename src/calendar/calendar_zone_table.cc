#include "calendar/calendar_zone_table.h"

#include <map>
#include <mutex>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace collabflow::internal {
namespace {

constexpr absl::string_view kChinaZone = "Asia/Shanghai";

// Our rule for a local time that is skipped or repeated (calendar.h).
absl::Time LocalToTime(const absl::TimeZone& zone, absl::CivilSecond local) {
  const absl::TimeZone::TimeInfo info = zone.At(local);
  return info.kind == absl::TimeZone::TimeInfo::SKIPPED ? info.trans : info.pre;
}

}  // namespace

ZoneTable::ZoneTable(absl::TimeZone zone) : zone_(std::move(zone)) {
  // Midnights of days -1 .. kCalendarDays + 1 (DayOf looks one day either side).
  offset_.resize(kCalendarDays + 3);
  for (int64_t day = -1; day <= kCalendarDays + 1; ++day) {
    const int64_t unix_seconds =
        absl::ToUnixSeconds(LocalToTime(zone_, absl::CivilSecond(DayAt(day))));
    offset_[day + 1] = static_cast<int32_t>(day * 86400 - unix_seconds);
  }
  irregular_.assign((kCalendarDays + 63) / 64, 0);
  auto mark = [this](int64_t day) {
    if (day >= 0 && day < kCalendarDays) irregular_[day >> 6] |= uint64_t{1} << (day & 63);
  };
  for (int64_t day = 0; day < kCalendarDays; ++day) {
    if (offset_[day + 1] != offset_[day + 2]) mark(day);
  }
  // Offset changes that return within the same day leave both midnights equal;
  // the zone's transition list catches those.
  absl::Time t = FromNanos(Midnight(0));
  const absl::Time end = FromNanos(Midnight(kCalendarDays));
  absl::TimeZone::CivilTransition trans;
  while (t < end && zone_.NextTransition(t, &trans)) {
    const absl::CivilDay a(trans.from), b(trans.to);
    for (absl::CivilDay d = std::min(a, b); d <= std::max(a, b); ++d) mark(DayIndex(d));
    const absl::Time next = zone_.At(trans.to).trans;
    if (next <= t) break;  // defensive: the chain must advance
    t = next;
  }
}

const absl::CivilDay* CivilDayTable() {
  static const absl::CivilDay* const kTable = [] {
    auto* table = new absl::CivilDay[kCalendarDays];
    for (int64_t i = 0; i < kCalendarDays; ++i) table[i] = CivilFromDays(i);
    return table;
  }();
  return kTable;
}

int64_t ZoneTable::SlowLocalToNanos(int64_t day, int minute) const {
  const absl::CivilSecond local = absl::CivilSecond(DayAt(day)) + int64_t{minute} * 60;
  return ToNanos(LocalToTime(zone_, local));
}

absl::StatusOr<std::shared_ptr<const ZoneTable>> ZoneTable::Get(absl::string_view name,
                                                                absl::string_view field) {
  // One table per zone for the life of the process: there are a few hundred
  // zones at most and a table is ~340 KiB.
  static std::mutex* mu = new std::mutex;
  static auto* cache = new std::map<std::string, std::shared_ptr<const ZoneTable>, std::less<>>;
  {
    std::lock_guard<std::mutex> lock(*mu);
    auto it = cache->find(name);
    if (it != cache->end()) return it->second;
  }
  absl::TimeZone zone;
  if (name.empty() || !absl::LoadTimeZone(std::string(name), &zone)) {
    if (name != kChinaZone) {
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": unknown IANA time zone \"", name,
                       "\" (or no time zone database: install tzdata or set TZDIR)"));
    }
    // The default zone must work everywhere (Calendar() and ChinaMainland()
    // cannot fail): without a zone database, China's UTC+8, which has had no
    // daylight saving time since 1991.
    zone = absl::FixedTimeZone(8 * 3600);
  }
  std::shared_ptr<const ZoneTable> table(new ZoneTable(std::move(zone)));
  std::lock_guard<std::mutex> lock(*mu);
  return cache->emplace(std::string(name), std::move(table)).first->second;
}

}  // namespace collabflow::internal
