#include "calendar/calendar_proto.h"

#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "base/status_macros.h"
#include "wire/common_proto.h"

namespace collabflow::internal {
namespace {

std::string FormatHm(int minutes) {
  return minutes < 0 ? std::string() : absl::StrFormat("%02d:%02d", minutes / 60, minutes % 60);
}

// "HH:MM" (00:00..24:00) -> minutes; empty -> `if_empty`.
absl::StatusOr<int> ParseHm(absl::string_view field, absl::string_view text, int if_empty) {
  if (text.empty()) return if_empty;
  int h = 0, m = 0;
  if (text.size() != 5 || text[2] != ':' || !absl::SimpleAtoi(text.substr(0, 2), &h) ||
      !absl::SimpleAtoi(text.substr(3, 2), &m) || h < 0 || h > 24 || m < 0 || m > 59 ||
      (h == 24 && m != 0)) {
    return absl::InvalidArgumentError(
        absl::StrCat(field, ": \"", text, "\" is not a time of day HH:MM (00:00..24:00)"));
  }
  return h * 60 + m;
}

v1::DayKind KindToProto(DayKind kind) {
  switch (kind) {
    case DayKind::kStatutoryHoliday:
      return v1::DAY_KIND_STATUTORY_HOLIDAY;
    case DayKind::kInLieuDayOff:
      return v1::DAY_KIND_IN_LIEU_DAY_OFF;
    case DayKind::kMakeupWorkday:
      return v1::DAY_KIND_MAKEUP_WORKDAY;
    case DayKind::kCompanyDayOff:
      return v1::DAY_KIND_COMPANY_DAY_OFF;
    case DayKind::kLeave:
      return v1::DAY_KIND_LEAVE;
  }
  return v1::DAY_KIND_UNSPECIFIED;
}

absl::StatusOr<DayKind> KindFromProto(v1::DayKind kind, absl::string_view field) {
  switch (kind) {
    case v1::DAY_KIND_STATUTORY_HOLIDAY:
      return DayKind::kStatutoryHoliday;
    case v1::DAY_KIND_IN_LIEU_DAY_OFF:
      return DayKind::kInLieuDayOff;
    case v1::DAY_KIND_MAKEUP_WORKDAY:
      return DayKind::kMakeupWorkday;
    case v1::DAY_KIND_COMPANY_DAY_OFF:
      return DayKind::kCompanyDayOff;
    case v1::DAY_KIND_LEAVE:
      return DayKind::kLeave;
    default:
      return absl::InvalidArgumentError(
          absl::StrCat(field, ": unknown or unspecified day kind ", static_cast<int>(kind)));
  }
}

void ExceptionsToProto(const std::vector<DatedException>& list,
                       google::protobuf::RepeatedPtrField<v1::DatedException>* out) {
  for (const DatedException& e : list) {
    v1::DatedException* m = out->Add();
    ToProto(e.date, m->mutable_date());
    m->set_kind(KindToProto(e.kind));
    m->set_name(e.name);
  }
}

absl::StatusOr<std::vector<DatedException>> ExceptionsFromProto(
    const google::protobuf::RepeatedPtrField<v1::DatedException>& list) {
  std::vector<DatedException> out;
  out.reserve(list.size());
  for (int i = 0; i < list.size(); ++i) {
    const std::string at = absl::StrCat("exceptions[", i, "]");
    DatedException e;
    if (!list[i].has_date()) return absl::InvalidArgumentError(absl::StrCat(at, ".date: required"));
    CFLOW_ASSIGN_OR_RETURN(e.date, FromProto(list[i].date(), absl::StrCat(at, ".date")));
    CFLOW_ASSIGN_OR_RETURN(e.kind, KindFromProto(list[i].kind(), absl::StrCat(at, ".kind")));
    e.name = list[i].name();
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace

void ToProto(const CalendarSpec& spec, v1::Calendar* out) {
  out->Clear();
  out->set_name(spec.name);
  out->set_time_zone(spec.time_zone);
  for (int d = 0; d < 7; ++d) {
    if (spec.working_weekdays[d]) out->add_working_weekdays(static_cast<v1::Weekday>(d + 1));
  }
  v1::WorkingHours* h = out->mutable_working_hours();
  h->set_start(FormatHm(spec.hours.start));
  h->set_end(FormatHm(spec.hours.end));
  if (spec.hours.has_break()) {
    h->set_break_start(FormatHm(spec.hours.break_start));
    h->set_break_end(FormatHm(spec.hours.break_end));
  }
  ExceptionsToProto(spec.exceptions, out->mutable_exceptions());
}

absl::StatusOr<CalendarSpec> FromProto(const v1::Calendar& message) {
  CalendarSpec spec;
  spec.name = message.name();
  if (!message.time_zone().empty()) spec.time_zone = message.time_zone();
  if (message.working_weekdays_size() > 0) {
    spec.working_weekdays.fill(false);
    for (int i = 0; i < message.working_weekdays_size(); ++i) {
      const int d = message.working_weekdays(i);
      if (d < v1::WEEKDAY_MONDAY || d > v1::WEEKDAY_SUNDAY) {
        return absl::InvalidArgumentError(
            absl::StrCat("working_weekdays[", i, "]: unknown or unspecified weekday ", d));
      }
      if (spec.working_weekdays[d - 1]) {
        return absl::InvalidArgumentError(
            absl::StrCat("working_weekdays[", i, "]: ", v1::Weekday_Name(d), " is listed twice"));
      }
      spec.working_weekdays[d - 1] = true;
    }
  }
  if (message.has_working_hours()) {
    const v1::WorkingHours& h = message.working_hours();
    if (h.break_start().empty() != h.break_end().empty()) {
      return absl::InvalidArgumentError(
          "working_hours: break_start and break_end must both be set or both be empty");
    }
    CFLOW_ASSIGN_OR_RETURN(spec.hours.start, ParseHm("working_hours.start", h.start(), 9 * 60));
    CFLOW_ASSIGN_OR_RETURN(spec.hours.end, ParseHm("working_hours.end", h.end(), 18 * 60));
    CFLOW_ASSIGN_OR_RETURN(spec.hours.break_start,
                           ParseHm("working_hours.break_start", h.break_start(), -1));
    CFLOW_ASSIGN_OR_RETURN(spec.hours.break_end,
                           ParseHm("working_hours.break_end", h.break_end(), -1));
  }
  CFLOW_ASSIGN_OR_RETURN(spec.exceptions, ExceptionsFromProto(message.exceptions()));
  return spec;
}

void ToProto(const CalendarOverlay& overlay, v1::CalendarOverlay* out) {
  out->Clear();
  out->set_name(overlay.name);
  ExceptionsToProto(overlay.exceptions, out->mutable_exceptions());
}

absl::StatusOr<CalendarOverlay> FromProto(const v1::CalendarOverlay& message) {
  CalendarOverlay overlay;
  overlay.name = message.name();
  CFLOW_ASSIGN_OR_RETURN(overlay.exceptions, ExceptionsFromProto(message.exceptions()));
  return overlay;
}

}  // namespace collabflow::internal
