#include "report/text_gantt.h"

#include <algorithm>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/time/civil_time.h"

namespace collabflow::internal {
namespace {

absl::CivilDay Day(const v1::Date& d) { return absl::CivilDay(d.year(), d.month(), d.day()); }
bool HasDate(const v1::Date& d) { return d.year() != 0; }

constexpr int kMaxDays = 120;  // wider charts are cut (the HTML report has the whole)

}  // namespace

std::string RenderTextGantt(const ReportInput& in, ReportLanguage language) {
  if (!in.schedule.has_value() || in.schedule->tasks().empty()) return "";
  const v1::ScheduleView& sv = *in.schedule;
  absl::CivilDay first = Day(sv.tasks(0).early_start());
  absl::CivilDay last = first;
  auto widen = [&](const v1::Date& d) {
    if (!HasDate(d)) return;
    first = std::min(first, Day(d));
    last = std::max(last, Day(d));
  };
  for (const auto& t : sv.tasks()) {
    widen(t.early_start());
    widen(t.early_finish());
  }
  for (const auto& m : sv.milestones()) {
    widen(m.date());
    if (m.served()) widen(m.forecast());
  }
  widen(sv.final_deadline());
  const absl::CivilDay today(absl::ToCivilSecond(in.now, in.calendar.time_zone()));
  if (today >= first - 31 && today <= last + 31) {
    first = std::min(first, today);
    last = std::max(last, today);
  }
  const int days = static_cast<int>(std::min<int64_t>(last - first + 1, kMaxDays));
  auto col = [&](absl::CivilDay d) { return static_cast<int>(d - first); };
  auto in_range = [&](absl::CivilDay d) { return d >= first && col(d) < days; };

  // The background of a row: '.' off (weekend), 'h' holiday, '+' make-up day.
  std::string base(static_cast<size_t>(days), ' ');
  for (int i = 0; i < days; ++i) {
    const absl::CivilDay d = first + i;
    const std::optional<DatedException> ex = in.calendar.ExceptionOn(d);
    if (!in.calendar.IsWorkingDay(d)) {
      base[i] = ex.has_value() && ex->kind != DayKind::kLeave ? 'h' : '.';
    } else if (ex.has_value() && ex->kind == DayKind::kMakeupWorkday) {
      base[i] = '+';
    }
  }
  size_t label_w = 8;
  for (const auto& t : sv.tasks()) label_w = std::max(label_w, t.task_id().size() + 2);
  const bool en = language == ReportLanguage::kEnglish;
  std::string out = absl::StrCat(std::string(label_w, ' '),
                                 absl::StrFormat("%04d-%02d", first.year(), first.month()), "\n");
  std::string tens(label_w, ' '), units(label_w, ' ');
  for (int i = 0; i < days; ++i) {
    const int dom = (first + i).day();
    tens += dom >= 10 ? static_cast<char>('0' + dom / 10) : ' ';
    units += static_cast<char>('0' + dom % 10);
  }
  absl::StrAppend(&out, tens, "\n", units, "\n");
  for (const auto& t : sv.tasks()) {
    std::string row = base;
    if (HasDate(t.early_start()) && HasDate(t.early_finish())) {
      for (absl::CivilDay d = Day(t.early_start()); d <= Day(t.early_finish()); ++d) {
        if (in_range(d) && in.calendar.IsWorkingDay(d)) row[col(d)] = t.critical() ? '#' : '=';
      }
    }
    std::string label = t.task_id();
    label.resize(label_w, ' ');
    absl::StrAppend(&out, label, row, "\n");
  }
  int index = 0;
  for (const auto& m : sv.milestones()) {
    std::string row = base;
    if (m.served() && HasDate(m.forecast()) && in_range(Day(m.forecast()))) {
      row[col(Day(m.forecast()))] = 'o';
    }
    if (HasDate(m.date()) && in_range(Day(m.date()))) row[col(Day(m.date()))] = '*';
    std::string label = absl::StrCat("M", ++index);
    label.resize(label_w, ' ');
    absl::StrAppend(&out, label, row, "\n");
  }
  if (in_range(today)) {
    absl::StrAppend(&out, std::string(label_w + col(today), ' '), "^ ", en ? "today" : "今天",
                    "\n");
  }
  index = 0;
  for (const auto& m : sv.milestones()) {
    absl::StrAppend(&out, "M", ++index, " = ", m.name(), "\n");
  }
  absl::StrAppend(
      &out,
      en ? "# critical task  = task  * milestone  o forecast  . non-working day  "
           "h holiday  + make-up working day"
         : "# 关键路径任务  = 任务  * 里程碑  o 预计完成  . 非工作日  h 法定节假日/调休  "
           "+ 调休上班",
      "\n");
  return out;
}

}  // namespace collabflow::internal
