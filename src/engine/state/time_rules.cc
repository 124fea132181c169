#include "engine/state/time_rules.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "engine/state/state_fold.h"
#include "wire/time_proto.h"

namespace collabflow::internal {
namespace {}  // namespace

v1::DueItem ResponseDue(const Calendar& calendar, absl::Time submitted,
                        const v1::CollaborationRequest& request, const v1::Receiver& receiver,
                        absl::Span<const absl::string_view> owed_by) {
  v1::DueItem due;
  due.set_key(ResponseDueKey(receiver.id(), request.version()));
  due.set_kind(v1::DUE_KIND_RESPONSE);
  due.set_request_id(request.id());
  due.set_subject_id(receiver.id());
  for (absl::string_view p : owed_by) due.add_owed_by(std::string(p));
  ToProto(submitted, due.mutable_opened_at());
  const int days = ConfiguredOr(request.response_due_working_days(), kDefaultResponseWorkingDays);
  ToProto(calendar.DeadlineWithinWorkingDays(submitted, days), due.mutable_due_at());
  return due;
}

v1::DueItem PlanDue(const Calendar& calendar, absl::Time confirmed,
                    const v1::CollaborationRequest& request, std::string owner) {
  v1::DueItem due;
  due.set_key(kPlanDueKey);
  due.set_kind(v1::DUE_KIND_PLAN);
  due.set_request_id(request.id());
  due.add_owed_by(std::move(owner));
  ToProto(confirmed, due.mutable_opened_at());
  const int days = ConfiguredOr(request.plan_due_working_days(), kDefaultPlanWorkingDays);
  ToProto(calendar.DeadlineWithinWorkingDays(confirmed, days), due.mutable_due_at());
  return due;
}

v1::DueItem ReportDue(const Calendar& calendar, const v1::Cadence& cadence, absl::Time last,
                      const std::string& request_id, const std::string& task_id,
                      std::vector<std::string> owed_by) {
  const absl::CivilDay last_day = absl::ToCivilDay(last, calendar.time_zone());
  absl::CivilDay due_day;
  switch (cadence.kind()) {
    case v1::Cadence::KIND_EVERY_N_WORKING_DAYS:
      due_day = calendar.AddWorkingDays(last_day, std::max(1, cadence.every_n_days()));
      break;
    case v1::Cadence::KIND_WEEKLY: {
      // absl::Weekday: monday = 0 .. sunday = 6; cadence.weekday: 1..7.
      const int want = std::clamp(cadence.weekday(), 1, 7) - 1;
      absl::CivilDay d = last_day + 1;
      while (static_cast<int>(absl::GetWeekday(d)) != want) d += 1;
      due_day = calendar.IsWorkingDay(d) ? d : calendar.NextWorkingDay(d);
      break;
    }
    default:  // daily
      due_day = calendar.AddWorkingDays(last_day, 1);
      break;
  }
  v1::DueItem due;
  due.set_key(absl::StrCat("report/", task_id));
  due.set_kind(v1::DUE_KIND_PROGRESS_REPORT);
  due.set_request_id(request_id);
  due.set_subject_id(task_id);
  due.set_task_id(task_id);
  for (std::string& p : owed_by) due.add_owed_by(std::move(p));
  ToProto(last, due.mutable_opened_at());
  ToProto(calendar.CloseOf(due_day), due.mutable_due_at());
  return due;
}

v1::DueItem DueAfter(const Calendar& calendar, absl::Time opened, int days, v1::DueKind kind,
                     std::string key, const std::string& request_id, std::string subject_id,
                     std::vector<std::string> owed_by) {
  v1::DueItem due;
  due.set_key(std::move(key));
  due.set_kind(kind);
  due.set_request_id(request_id);
  due.set_subject_id(std::move(subject_id));
  for (std::string& p : owed_by) due.add_owed_by(std::move(p));
  ToProto(opened, due.mutable_opened_at());
  ToProto(calendar.DeadlineWithinWorkingDays(opened, days), due.mutable_due_at());
  return due;
}

absl::Time RungTime(const Calendar& calendar, const v1::DueItem& due, int rung,
                    int every_working_days) {
  const absl::Time at = FromProto(due.due_at());
  if (rung <= 1) return at;
  return calendar.DeadlineWithinWorkingDays(at, (rung - 1) * std::max(1, every_working_days));
}

std::string DueDescription(const v1::DueItem& due) {
  switch (due.kind()) {
    case v1::DUE_KIND_RESPONSE:
      return absl::StrCat("需求确认(", due.subject_id(), ")");
    case v1::DUE_KIND_PLAN:
      return "任务拆分清单";
    case v1::DUE_KIND_PROGRESS_REPORT:
      return absl::StrCat("进度反馈(", due.task_id(), ")");
    case v1::DUE_KIND_RISK_RESPONSE:
      return absl::StrCat("风险回应(", due.subject_id(), ")");
    case v1::DUE_KIND_RESOURCE_DECISION:
      return absl::StrCat("资源申请决策(", due.subject_id(), ")");
    case v1::DUE_KIND_REWORK:
      return absl::StrCat("整改提交(", due.task_id(), ")");
    default:
      return due.key();
  }
}

std::string FormatLocal(const Calendar& calendar, absl::Time t) {
  const absl::CivilMinute m = absl::ToCivilMinute(t, calendar.time_zone());
  if (t == absl::InfiniteFuture() || t == absl::InfinitePast() || m.year() < 0 || m.year() > 9999) {
    return absl::FormatTime("%Y-%m-%d %H:%M", t, calendar.time_zone());
  }
  // The same text as FormatTime's "%Y-%m-%d %H:%M", without parsing a
  // format on every notification (it was ~3% of a simple command).
  char text[] = "0000-00-00 00:00";
  const auto put2 = [&text](int at, int v) {
    text[at] = static_cast<char>('0' + v / 10);
    text[at + 1] = static_cast<char>('0' + v % 10);
  };
  const int year = static_cast<int>(m.year());
  put2(0, year / 100);
  put2(2, year % 100);
  put2(5, m.month());
  put2(8, m.day());
  put2(11, m.hour());
  put2(14, m.minute());
  return std::string(text, sizeof(text) - 1);
}

}  // namespace collabflow::internal
