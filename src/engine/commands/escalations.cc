#include "engine/commands/escalations.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/commands/notifications.h"
#include "engine/state/time_rules.h"
#include "wire/time_proto.h"

namespace collabflow::internal {
namespace {

// The people rung `rung` (>= 2) reaches: (rung - 1) levels up the management
// chain from each person who owes the item.
std::vector<std::string> EscalationTargets(const DirectoryIndex& directory, const v1::DueItem& due,
                                           int rung) {
  std::vector<std::string> out;
  for (const std::string& p : due.owed_by()) {
    std::string boss = p;
    for (int level = 1; level < rung && !boss.empty(); ++level) boss = directory.SuperiorOf(boss);
    if (!boss.empty() && std::find(out.begin(), out.end(), boss) == out.end()) {
      out.push_back(boss);
    }
  }
  return out;
}

}  // namespace

void DecideEscalations(const EscalationContext& ctx, const std::vector<TimerIndex::DueTimer>& due,
                       DecidedEvents* out) {
  google::protobuf::Timestamp stamp;
  ToProto(ctx.now, &stamp);
  for (const TimerIndex::DueTimer& timer : due) {
    const v1::RequestRecord& record = ctx.record_of(*timer.request_id);
    if (timer.due >= static_cast<uint32_t>(record.open_dues_size())) continue;  // never: refreshed
    const v1::DueItem& item = record.open_dues(static_cast<int>(timer.due));
    for (int rung = item.reminders_sent() + 1; rung <= ctx.ladder.last_rung(); ++rung) {
      const absl::Time scheduled =
          RungTime(ctx.calendar, item, rung, ctx.ladder.every_working_days);
      if (scheduled > ctx.now) break;
      if (rung == 1 && item.kind() == v1::DUE_KIND_PROGRESS_REPORT) {
        v1::Event& missed = out->emplace_back();
        *missed.mutable_time() = stamp;
        missed.set_actor_id(ctx.host_actor_id);
        missed.set_request_id(record.request().id());
        missed.mutable_report_missed()->set_task_id(item.task_id());
        missed.mutable_report_missed()->set_due_key(item.key());
        *missed.mutable_report_missed()->mutable_due_at() = item.due_at();
        if (const TaskGraph* graph = ctx.plan_graph(record); graph != nullptr) {
          if (const absl::StatusOr<TaskHandle> h = graph->Find(item.task_id()); h.ok()) {
            missed.mutable_report_missed()->set_task_index(*h);
          }
        }
      }
      v1::Event& e = out->emplace_back();
      *e.mutable_time() = stamp;
      e.set_actor_id(ctx.host_actor_id);
      e.set_request_id(record.request().id());
      v1::EscalationSent* sent = e.mutable_escalation_sent();
      sent->set_due_key(item.key());
      sent->set_rung(rung);
      ToProto(scheduled, sent->mutable_scheduled_for());
      NotificationSpec n;
      n.due_key = item.key();
      if (!item.task_id().empty()) n.task_ids = {item.task_id()};
      const std::string what = DueDescription(item);
      const std::string when = FormatLocal(ctx.calendar, FromProto(item.due_at()));
      if (rung == 1) {
        n.kind = v1::NOTIFICATION_KIND_REMINDER;
        n.recipients.assign(item.owed_by().begin(), item.owed_by().end());
        n.subject = absl::StrCat("催办:", what, "(", record.request().topic(), ")");
        n.body = absl::StrCat("应于 ", when, " 前完成。");
      } else {
        n.kind = v1::NOTIFICATION_KIND_ESCALATION;
        n.recipients = EscalationTargets(ctx.directory, item, rung);
        n.subject =
            absl::StrCat("逾期上报(第", rung - 1, "级):", what, "(", record.request().topic(), ")");
        n.body = absl::StrCat("应于 ", when, " 前完成,责任人:", absl::StrJoin(item.owed_by(), "、"),
                              "。");
      }
      for (const std::string& p : n.recipients) sent->add_notified_ids(p);
      Notify(e, std::move(n));
    }
  }
}

}  // namespace collabflow::internal
