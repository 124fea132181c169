#include "report/gantt_svg.h"

#include <algorithm>
#include <map>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"
#include "report/escape.h"
#include "report/labels.h"

namespace collabflow::internal {
namespace {

constexpr double kLabelWidth = 250;
constexpr double kHeaderHeight = 58;
constexpr double kRowHeight = 30;
constexpr double kLegendHeight = 44;
constexpr size_t kMaxLabelCodePoints = 16;

const char kFont[] =
    "font-family=\"'Noto Sans CJK SC','Noto Sans SC','PingFang SC','Microsoft YaHei',sans-serif\"";

absl::CivilDay Day(const v1::Date& d) { return absl::CivilDay(d.year(), d.month(), d.day()); }
bool HasDate(const v1::Date& d) { return d.year() != 0; }

// At most `max` code points of UTF-8 text, with an ellipsis when cut.
std::string Clip(const std::string& s, size_t max) {
  size_t points = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (points == max) return s.substr(0, i) + "…";
      ++points;
    }
  }
  return s;
}

std::string Num(double v) { return absl::StrFormat("%.1f", v); }

}  // namespace

std::string RenderGanttSvg(const ReportInput& in, ReportLanguage lang) {
  const Labels& L = LabelsFor(lang);
  if (!in.schedule.has_value() || in.schedule->tasks().empty()) {
    return absl::StrCat(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"420\" height=\"40\" "
        "viewBox=\"0 0 420 40\" role=\"img\"><text x=\"10\" y=\"25\" font-size=\"14\" ",
        kFont, ">", EscapeXml(L.no_plan), "</text></svg>");
  }
  const v1::ScheduleView& sv = *in.schedule;
  const absl::TimeZone& tz = in.calendar.time_zone();

  // The span: every bar, milestone and the deadline, padded; today if near.
  absl::CivilDay first = Day(sv.tasks(0).early_start());
  absl::CivilDay last = Day(sv.tasks(0).early_finish());
  auto widen = [&](absl::CivilDay d) {
    first = std::min(first, d);
    last = std::max(last, d);
  };
  for (const auto& t : sv.tasks()) {
    if (HasDate(t.early_start())) widen(Day(t.early_start()));
    if (HasDate(t.early_finish())) widen(Day(t.early_finish()));
  }
  for (const auto& m : sv.milestones()) {
    if (HasDate(m.date())) widen(Day(m.date()));
    if (m.served() && HasDate(m.forecast())) widen(Day(m.forecast()));
  }
  if (HasDate(sv.final_deadline())) widen(Day(sv.final_deadline()));
  const absl::CivilSecond now_local = absl::ToCivilSecond(in.now, tz);
  const absl::CivilDay today = absl::CivilDay(now_local);
  if (today >= first - 31 && today <= last + 31) widen(today);
  first -= 1;
  last += 2;
  const int64_t days = last - first + 1;
  const double day_w = std::clamp(960.0 / static_cast<double>(days), 6.0, 30.0);
  const int rows = sv.tasks_size() + sv.milestones_size();
  const double chart_w = static_cast<double>(days) * day_w;
  const double width = kLabelWidth + chart_w + 20;
  const double chart_bottom = kHeaderHeight + rows * kRowHeight;
  const double height = chart_bottom + kLegendHeight;
  auto x_of = [&](absl::CivilDay d) {
    return kLabelWidth + static_cast<double>(d - first) * day_w;
  };

  std::string svg = absl::StrCat(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"", Num(width), "\" height=\"", Num(height),
      "\" viewBox=\"0 0 ", Num(width), " ", Num(height), "\" role=\"img\" ", kFont,
      " font-size=\"12\">\n<title>", EscapeXml(L.gantt), ": ",
      EscapeXml(in.record.request().topic()), "</title>\n", "<rect x=\"0\" y=\"0\" width=\"",
      Num(width), "\" height=\"", Num(height), "\" fill=\"#ffffff\"/>\n");

  // Day columns: shading and the header.
  for (absl::CivilDay d = first; d <= last; ++d) {
    const double x = x_of(d);
    const std::optional<DatedException> ex = in.calendar.ExceptionOn(d);
    const bool working = in.calendar.IsWorkingDay(d);
    const bool holiday = ex.has_value() && !working && ex->kind != DayKind::kLeave;
    const bool makeup = ex.has_value() && working && ex->kind == DayKind::kMakeupWorkday;
    if (!working) {
      absl::StrAppend(&svg, "<rect class=\"", holiday ? "holiday" : "weekend", "\" x=\"", Num(x),
                      "\" y=\"", Num(kHeaderHeight - 20), "\" width=\"", Num(day_w), "\" height=\"",
                      Num(chart_bottom - kHeaderHeight + 20), "\" fill=\"",
                      holiday ? "#fbdada" : "#ececec", "\">");
      if (holiday && !ex->name.empty()) {
        absl::StrAppend(&svg, "<title>", EscapeXml(ex->name), "</title>");
      }
      absl::StrAppend(&svg, "</rect>\n");
    }
    if (makeup) {
      absl::StrAppend(&svg, "<rect class=\"makeup\" x=\"", Num(x), "\" y=\"",
                      Num(kHeaderHeight - 20), "\" width=\"", Num(day_w), "\" height=\"",
                      Num(chart_bottom - kHeaderHeight + 20), "\" fill=\"#e2f3e2\"><title>",
                      EscapeXml(ex->name.empty() ? L.legend_makeup : ex->name),
                      "</title></rect>\n");
    }
    if (d.day() == 1 || d == first) {
      absl::StrAppend(&svg, "<text x=\"", Num(x + 2), "\" y=\"14\" font-weight=\"bold\">",
                      absl::StrFormat("%04d-%02d", d.year(), d.month()), "</text>\n");
    }
    if (day_w >= 14 || absl::GetWeekday(d) == absl::Weekday::monday) {
      absl::StrAppend(&svg, "<text x=\"", Num(x + day_w / 2), "\" y=\"32\" text-anchor=\"middle\"",
                      makeup ? " fill=\"#2e7d32\" font-weight=\"bold\"" : "", ">", d.day(),
                      "</text>\n");
    }
    if (makeup && day_w >= 12) {
      absl::StrAppend(&svg, "<text x=\"", Num(x + day_w / 2),
                      "\" y=\"48\" text-anchor=\"middle\" fill=\"#2e7d32\" font-size=\"10\">",
                      EscapeXml(L.makeup_mark), "</text>\n");
    }
    if (absl::GetWeekday(d) == absl::Weekday::monday) {
      absl::StrAppend(&svg, "<line x1=\"", Num(x), "\" y1=\"", Num(kHeaderHeight - 20), "\" x2=\"",
                      Num(x), "\" y2=\"", Num(chart_bottom), "\" stroke=\"#cccccc\"/>\n");
    }
  }
  absl::StrAppend(&svg, "<line x1=\"0\" y1=\"", Num(kHeaderHeight), "\" x2=\"", Num(width),
                  "\" y2=\"", Num(kHeaderHeight), "\" stroke=\"#999999\"/>\n");

  // Task bars.
  std::map<std::string, int> percent;
  for (const v1::TaskExecution& x : in.record.executions())
    percent[x.task_id()] = x.percent_complete();
  int row = 0;
  for (const v1::ScheduledTaskRow& t : sv.tasks()) {
    const double y = kHeaderHeight + row * kRowHeight;
    if (row % 2 == 1) {
      absl::StrAppend(&svg, "<rect x=\"0\" y=\"", Num(y), "\" width=\"", Num(kLabelWidth),
                      "\" height=\"", Num(kRowHeight), "\" fill=\"#f7f7f7\"/>\n");
    }
    absl::StrAppend(&svg, "<text x=\"8\" y=\"", Num(y + 19), "\"",
                    t.critical() ? " fill=\"#b71c1c\" font-weight=\"bold\"" : "", ">",
                    EscapeXml(t.task_id()), " ", EscapeXml(Clip(t.name(), kMaxLabelCodePoints)),
                    "</text>\n");
    if (HasDate(t.early_start()) && HasDate(t.early_finish())) {
      const double x0 = x_of(Day(t.early_start()));
      const double x1 = t.duration_days() > 0 ? x_of(Day(t.early_finish()) + 1) : x0;
      const char* fill = t.critical() ? "#d64541" : "#4a90d9";
      if (t.duration_days() > 0) {
        absl::StrAppend(&svg, "<rect class=\"", t.critical() ? "bar critical" : "bar", "\" x=\"",
                        Num(x0), "\" y=\"", Num(y + 7), "\" width=\"", Num(x1 - x0),
                        "\" height=\"16\" rx=\"3\" fill=\"", fill, "\"><title>",
                        EscapeXml(t.task_id()), " ", EscapeXml(t.name()), "</title></rect>\n");
        auto p = percent.find(t.task_id());
        if (p != percent.end() && p->second > 0) {
          absl::StrAppend(&svg, "<rect x=\"", Num(x0), "\" y=\"", Num(y + 19), "\" width=\"",
                          Num((x1 - x0) * std::min(p->second, 100) / 100.0),
                          "\" height=\"4\" fill=\"#1b3a5c\"/>\n");
        }
      } else {
        absl::StrAppend(&svg, "<path d=\"M", Num(x0), " ", Num(y + 7),
                        " l7 8 l-7 8 l-7 -8 z\" fill=\"", fill, "\"/>\n");
      }
    }
    ++row;
  }

  // Milestones: the date (filled diamond) and the forecast (hollow circle).
  for (const v1::MilestoneForecast& m : sv.milestones()) {
    const double y = kHeaderHeight + row * kRowHeight;
    absl::StrAppend(&svg, "<text x=\"8\" y=\"", Num(y + 19), "\">◆ ",
                    EscapeXml(Clip(m.name(), kMaxLabelCodePoints)), "</text>\n");
    if (HasDate(m.date())) {
      const double x = x_of(Day(m.date()) + 1);
      if (m.served() && HasDate(m.forecast())) {
        const double fx = x_of(Day(m.forecast()) + 1);
        absl::StrAppend(&svg, "<line x1=\"", Num(std::min(x, fx)), "\" y1=\"", Num(y + 15),
                        "\" x2=\"", Num(std::max(x, fx)), "\" y2=\"", Num(y + 15), "\" stroke=\"",
                        m.slack_days() < 0 ? "#d64541" : "#888888",
                        "\" stroke-dasharray=\"3 2\"/>\n<circle cx=\"", Num(fx), "\" cy=\"",
                        Num(y + 15),
                        "\" r=\"5\" fill=\"#ffffff\" stroke=\"#555555\" "
                        "stroke-width=\"1.5\"><title>",
                        EscapeXml(L.forecast), "</title></circle>\n");
      }
      absl::StrAppend(&svg, "<path class=\"milestone\" d=\"M", Num(x), " ", Num(y + 6),
                      " l8 9 l-8 9 l-8 -9 z\" fill=\"#f0a020\" stroke=\"#8a5a00\"><title>",
                      EscapeXml(m.name()), "</title></path>\n");
    }
    ++row;
  }

  // The final deadline and today.
  if (HasDate(sv.final_deadline())) {
    const double x = x_of(Day(sv.final_deadline()) + 1);
    absl::StrAppend(&svg, "<line x1=\"", Num(x), "\" y1=\"", Num(kHeaderHeight - 20), "\" x2=\"",
                    Num(x), "\" y2=\"", Num(chart_bottom),
                    "\" stroke=\"#333333\" "
                    "stroke-width=\"1.5\" stroke-dasharray=\"6 3\"><title>",
                    EscapeXml(L.final_deadline), "</title></line>\n");
  }
  if (today >= first && today <= last) {
    const double frac = static_cast<double>(now_local - absl::CivilSecond(today)) / (24.0 * 3600.0);
    const double x = x_of(today) + frac * day_w;
    absl::StrAppend(&svg, "<line class=\"today\" x1=\"", Num(x), "\" y1=\"",
                    Num(kHeaderHeight - 20), "\" x2=\"", Num(x), "\" y2=\"", Num(chart_bottom),
                    "\" stroke=\"#e00000\" stroke-width=\"2\"/>\n<text x=\"", Num(x + 3), "\" y=\"",
                    Num(chart_bottom - 4), "\" fill=\"#e00000\" font-size=\"11\">",
                    EscapeXml(L.today), "</text>\n");
  }

  // Legend.
  const double ly = chart_bottom + 16;
  struct Key {
    const char* fill;
    const char* label;
  };
  const Key keys[] = {{"#d64541", L.legend_critical},    {"#4a90d9", L.legend_task},
                      {"#ececec", L.legend_non_working}, {"#fbdada", L.legend_holiday},
                      {"#e2f3e2", L.legend_makeup},      {"#f0a020", L.legend_milestone}};
  double lx = 8;
  for (const Key& k : keys) {
    absl::StrAppend(&svg, "<rect x=\"", Num(lx), "\" y=\"", Num(ly),
                    "\" width=\"14\" height=\"14\" fill=\"", k.fill,
                    "\" stroke=\"#999999\"/><text x=\"", Num(lx + 19), "\" y=\"", Num(ly + 12),
                    "\">", EscapeXml(k.label), "</text>\n");
    lx += 40 + 8.0 * static_cast<double>(std::string(k.label).size()) * 0.9;
  }
  absl::StrAppend(&svg, "</svg>\n");
  return svg;
}

}  // namespace collabflow::internal
