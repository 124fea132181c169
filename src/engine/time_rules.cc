#include "engine/time_rules.h"

#include "engine/state_fold.h"
#include "time_proto.h"

namespace collabflow::internal {
namespace {

int DaysOr(int configured, int fallback) { return configured > 0 ? configured : fallback; }

}  // namespace

v1::DueItem ResponseDue(const Calendar& calendar, absl::Time submitted,
                        const v1::CollaborationRequest& request, const v1::Receiver& receiver,
                        std::vector<std::string> owed_by) {
  v1::DueItem due;
  due.set_key(ResponseDueKey(receiver.id(), request.version()));
  due.set_kind(v1::DUE_KIND_RESPONSE);
  due.set_request_id(request.id());
  due.set_subject_id(receiver.id());
  for (std::string& p : owed_by) due.add_owed_by(std::move(p));
  ToProto(submitted, due.mutable_opened_at());
  const int days = DaysOr(request.response_due_working_days(), kDefaultResponseWorkingDays);
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
  const int days = DaysOr(request.plan_due_working_days(), kDefaultPlanWorkingDays);
  ToProto(calendar.DeadlineWithinWorkingDays(confirmed, days), due.mutable_due_at());
  return due;
}

std::string FormatLocal(const Calendar& calendar, absl::Time t) {
  return absl::FormatTime("%Y-%m-%d %H:%M", t, calendar.time_zone());
}

}  // namespace collabflow::internal
