#include "collabflow/calendar_spec.h"

#include <map>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/input_checks.h"
#include "base/status_macros.h"
#include "calendar/calendar_zone_table.h"
#include "collabflow/limits.h"

namespace collabflow {
namespace {

std::string Hm(int minutes) { return absl::StrFormat("%02d:%02d", minutes / 60, minutes % 60); }

absl::Status CheckHours(const WorkingHours& h) {
  if (h.start < 0 || h.start >= 24 * 60) {
    return absl::InvalidArgumentError(
        absl::StrCat("working_hours.start: ", h.start, " minutes is outside 00:00..23:59"));
  }
  if (h.end <= 0 || h.end > 24 * 60) {
    return absl::InvalidArgumentError(
        absl::StrCat("working_hours.end: ", h.end, " minutes is outside 00:01..24:00"));
  }
  if (h.end <= h.start) {
    return absl::InvalidArgumentError(
        absl::StrCat("working_hours: end ", Hm(h.end), " is not after start ", Hm(h.start)));
  }
  if (h.break_start == -1 && h.break_end == -1) return absl::OkStatus();
  if (h.break_start < 0 || h.break_end < 0 || h.break_end <= h.break_start) {
    return absl::InvalidArgumentError(
        absl::StrCat("working_hours.break: [", h.break_start, ", ", h.break_end,
                     ") minutes is not a break (both -1 for none, or start < end)"));
  }
  if (h.break_start < h.start || h.break_end > h.end) {
    return absl::InvalidArgumentError(absl::StrCat("working_hours.break: ", Hm(h.break_start), "-",
                                                   Hm(h.break_end), " is outside working hours ",
                                                   Hm(h.start), "-", Hm(h.end)));
  }
  if (h.break_start == h.start && h.break_end == h.end) {
    return absl::InvalidArgumentError(absl::StrCat("working_hours.break: ", Hm(h.break_start), "-",
                                                   Hm(h.break_end), " covers all working hours"));
  }
  return absl::OkStatus();
}

absl::Status CheckTimeZoneName(absl::string_view name) {
  if (name.empty()) return absl::InvalidArgumentError("time_zone: required IANA name is empty");
  if (name.size() > 64) {
    return absl::InvalidArgumentError(
        absl::StrCat("time_zone: name of ", name.size(), " bytes is not an IANA zone name"));
  }
  // IANA names only: no paths out of the zoneinfo directory, no "localtime"
  // (a calendar must mean the same on every machine).
  for (char c : name) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '/' && c != '_' && c != '-' &&
        c != '+') {
      return absl::InvalidArgumentError(
          absl::StrCat("time_zone: unknown IANA time zone \"", name, "\""));
    }
  }
  if (name == "localtime" || name.front() == '/' || name.find("//") != absl::string_view::npos) {
    return absl::InvalidArgumentError(
        absl::StrCat("time_zone: unknown IANA time zone \"", name, "\""));
  }
  return internal::ZoneTable::Get(name, "time_zone").status();
}

absl::Status CheckExceptions(absl::string_view field, const std::vector<DatedException>& list) {
  CFLOW_RETURN_IF_ERROR(internal::CheckCount(field, list.size(), kMaxCalendarExceptions));
  std::map<absl::CivilDay, size_t> seen;
  for (size_t i = 0; i < list.size(); ++i) {
    const DatedException& e = list[i];
    const std::string at = absl::StrCat(field, "[", i, "]");
    if (e.date.year() < kMinYear || e.date.year() > kMaxYear) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s.date: %s is outside the supported range %d..%d", at,
                          absl::FormatCivilTime(e.date), kMinYear, kMaxYear));
    }
    const int kind = static_cast<int>(e.kind);
    if (kind < static_cast<int>(DayKind::kStatutoryHoliday) ||
        kind > static_cast<int>(DayKind::kLeave)) {
      return absl::InvalidArgumentError(absl::StrCat(at, ".kind: unknown day kind ", kind));
    }
    CFLOW_RETURN_IF_ERROR(
        internal::CheckText(absl::StrCat(at, ".name"), e.name, kMaxShortTextBytes));
    auto [it, inserted] = seen.emplace(e.date, i);
    if (!inserted) {
      const DatedException& first = list[it->second];
      return absl::InvalidArgumentError(absl::StrCat(
          at, ": ", absl::FormatCivilTime(e.date), " is already listed at ", field, "[", it->second,
          "] (", DayKindName(first.kind), " and ", DayKindName(e.kind), ")"));
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::string_view DayKindName(DayKind kind) {
  switch (kind) {
    case DayKind::kStatutoryHoliday:
      return "statutory_holiday";
    case DayKind::kInLieuDayOff:
      return "in_lieu_day_off";
    case DayKind::kMakeupWorkday:
      return "makeup_workday";
    case DayKind::kCompanyDayOff:
      return "company_day_off";
    case DayKind::kLeave:
      return "leave";
  }
  return "unknown";
}

bool IsDayOffKind(DayKind kind) { return kind != DayKind::kMakeupWorkday; }

absl::Status ValidateCalendarSpec(const CalendarSpec& spec) {
  CFLOW_RETURN_IF_ERROR(internal::CheckText("name", spec.name, kMaxShortTextBytes));
  CFLOW_RETURN_IF_ERROR(CheckTimeZoneName(spec.time_zone));
  bool any = false;
  for (bool on : spec.working_weekdays) any = any || on;
  if (!any) return absl::InvalidArgumentError("working_weekdays: no working weekday");
  CFLOW_RETURN_IF_ERROR(CheckHours(spec.hours));
  return CheckExceptions("exceptions", spec.exceptions);
}

absl::Status ValidateCalendarOverlay(const CalendarOverlay& overlay) {
  CFLOW_RETURN_IF_ERROR(internal::CheckText("name", overlay.name, kMaxShortTextBytes));
  return CheckExceptions("exceptions", overlay.exceptions);
}

}  // namespace collabflow
