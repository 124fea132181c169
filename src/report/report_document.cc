#include "report/report_document.h"

#include <cstdio>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "engine/state/time_rules.h"
#include "report/labels.h"
#include "wire/time_proto.h"

namespace collabflow::internal {
namespace {

class NameBook {
 public:
  // `separator` joins names in a list: "、" in Chinese, ", " in English.
  NameBook(const v1::Directory& d, std::string separator) : separator_(std::move(separator)) {
    for (const v1::Person& p : d.people()) people_[p.id()] = p.name();
    for (const v1::Department& x : d.departments()) departments_[x.id()] = x.name();
  }
  std::string Person(const std::string& id) const {
    auto it = people_.find(id);
    return it != people_.end() && !it->second.empty() ? it->second : id;
  }
  std::string People(const google::protobuf::RepeatedPtrField<std::string>& ids) const {
    std::vector<std::string> names;
    for (const std::string& id : ids) names.push_back(Person(id));
    return names.empty() ? "—" : absl::StrJoin(names, separator_);
  }
  std::string Department(const std::string& id) const {
    auto it = departments_.find(id);
    return it != departments_.end() && !it->second.empty() ? it->second : id;
  }
  std::string Party(const v1::PartyRef& p) const {
    if (p.has_person_id()) return Person(p.person_id());
    if (p.has_department_id()) return Department(p.department_id());
    return "—";
  }
  std::string Receiver(const v1::Receiver& r) const {
    if (r.has_person_id()) return Person(r.person_id());
    if (r.has_department_id()) return Department(r.department_id());
    std::vector<std::string> names;
    for (const std::string& id : r.sign_group().person_ids()) names.push_back(Person(id));
    return absl::StrCat(r.id(), "(", absl::StrJoin(names, separator_), ")");
  }

 private:
  std::map<std::string, std::string> people_;
  std::map<std::string, std::string> departments_;
  std::string separator_;
};

std::string DateText(const v1::Date& d) {
  if (d.year() == 0) return "—";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year(), d.month(), d.day());
  return buf;
}

std::string When(const Calendar& c, const google::protobuf::Timestamp& ts, bool has) {
  return has ? FormatLocal(c, FromProto(ts)) : "—";
}

// One line on what an event did, in the report's language where it is our
// wording; user text stays as written.
std::string EventDetail(const v1::Event& e, const Calendar& cal, ReportLanguage lang) {
  const bool en = lang == ReportLanguage::kEnglish;
  switch (e.payload_case()) {
    case v1::Event::kRequestCreated:
      return e.request_created().request().topic();
    case v1::Event::kRequestSubmitted:
      return absl::StrCat(en ? "version " : "第", e.request_submitted().version(), en ? "" : "版");
    case v1::Event::kRequestRevised:
      return absl::StrCat(en ? "version " : "第", e.request_revised().request().version(),
                          en ? ": " : "版:", e.request_revised().change_note());
    case v1::Event::kResponseRecorded: {
      const v1::ReceiverResponse& r = e.response_recorded().response();
      std::string d = r.decision() == v1::DECISION_ACCEPT ? (en ? "accepts" : "接受")
                      : r.decision() == v1::DECISION_ACCEPT_WITH_CHANGES
                          ? (en ? "accepts with changes" : "有条件接受")
                          : (en ? "declines" : "拒绝");
      std::string line = absl::StrCat(r.receiver_id(), " v", r.request_version(), ": ", d);
      for (const v1::MilestoneCounter& c : r.counter_proposals()) {
        if (!c.condition().empty()) absl::StrAppend(&line, " — ", c.condition());
      }
      if (!r.comment().empty()) absl::StrAppend(&line, " — ", r.comment());
      return line;
    }
    case v1::Event::kRequestConfirmed:
      return absl::StrCat(en ? "plan due by " : "任务拆分清单期限 ",
                          When(cal, e.request_confirmed().plan_due().due_at(),
                               e.request_confirmed().plan_due().has_due_at()));
    case v1::Event::kRequestCancelled:
      return e.request_cancelled().reason();
    case v1::Event::kPlanPublished:
      return absl::StrCat(e.plan_published().plan().tasks_size(), en ? " tasks" : "项任务");
    case v1::Event::kPlanRevised:
      return absl::StrCat("#", e.plan_revised().revision().number(), " ",
                          e.plan_revised().revision().reason());
    case v1::Event::kRiskRaised:
      return e.risk_raised().risk().description();
    case v1::Event::kProgressReported:
      return absl::StrCat(e.progress_reported().report().task_id(), " ",
                          e.progress_reported().report().percent_complete(), "% ",
                          e.progress_reported().report().work_done());
    case v1::Event::kMinutesRecorded:
      return e.minutes_recorded().minutes().title();
    case v1::Event::kEscalationSent:
      return absl::StrCat(e.escalation_sent().due_key(), " #", e.escalation_sent().rung());
    case v1::Event::kTaskStarted:
      return e.task_started().task_id();
    case v1::Event::kReportMissed:
      return absl::StrCat(e.report_missed().task_id(), en ? ", due " : ",应于 ",
                          When(cal, e.report_missed().due_at(), e.report_missed().has_due_at()));
    case v1::Event::kRiskResponded:
      return absl::StrCat(e.risk_responded().risk_id(), ": ", e.risk_responded().response());
    case v1::Event::kRiskResolved:
      return absl::StrCat(e.risk_resolved().risk_id(), ": ", e.risk_resolved().resolution());
    case v1::Event::kResourceRequested:
      return absl::StrCat(e.resource_requested().request().id(), ": ",
                          e.resource_requested().request().description());
    case v1::Event::kResourceDecided:
      return absl::StrCat(e.resource_decided().resource_request_id(),
                          e.resource_decided().reason().empty() ? "" : ": ",
                          e.resource_decided().reason());
    case v1::Event::kDeliverablesSubmitted:
      return e.deliverables_submitted().submission().task_id();
    case v1::Event::kSubmissionReviewed: {
      const v1::Review& r = e.submission_reviewed().review();
      const bool pass = r.verdict() == v1::VERDICT_PASS;
      return absl::StrCat(r.task_id(), " ",
                          pass ? (en ? "passed" : "通过") : (en ? "failed" : "不通过"));
    }
    case v1::Event::kFinalReviewed: {
      const v1::Review& r = e.final_reviewed().review();
      const bool pass = r.verdict() == v1::VERDICT_PASS;
      return pass ? (en ? "passed" : "通过") : (en ? "failed" : "不通过");
    }
    default:
      break;
  }
  // The first notification's subject is our Chinese wording: only in a
  // Chinese report.
  if (!en && !e.notifications().empty()) return e.notifications(0).subject();
  return "";
}

}  // namespace

ReportDocument BuildReportDocument(const ReportInput& in, ReportLanguage lang) {
  const Labels& L = LabelsFor(lang);
  const std::string separator = lang == ReportLanguage::kEnglish ? ", " : "、";
  const NameBook names(in.directory, separator);
  const v1::CollaborationRequest& req = in.record.request();
  ReportDocument doc;
  doc.lang_tag = L.lang_tag;
  doc.title =
      absl::StrCat(L.title_prefix, lang == ReportLanguage::kEnglish ? ": " : ":", req.topic());

  // ---- header ----
  std::vector<std::string> receivers;
  for (const v1::Receiver& r : req.receivers()) receivers.push_back(names.Receiver(r));
  std::vector<std::string> milestones;
  for (const v1::Milestone& m : req.milestones()) {
    milestones.push_back(absl::StrCat(m.name(), " ", DateText(m.date())));
  }
  doc.facts = {
      {L.request_id, req.id()},
      {L.state, RequestStateName(in.record.state(), lang)},
      {L.version, absl::StrCat(req.version())},
      {L.initiator, names.Person(req.initiator_id())},
      {L.owner, names.Person(req.owner_id().empty() ? req.initiator_id() : req.owner_id())},
      {L.receivers, receivers.empty() ? "—" : absl::StrJoin(receivers, separator)},
      {L.priority, PriorityName(req.priority(), lang)},
      {L.complexity, ComplexityName(req.complexity(), lang)},
      {L.background, req.background().empty() ? "—" : req.background()},
      {L.goal, req.goal().empty() ? "—" : req.goal()},
      {L.milestones, milestones.empty() ? "—" : absl::StrJoin(milestones, ";")},
      {L.final_deadline, DateText(req.final_deadline())},
      {L.generated_at, FormatLocal(in.calendar, in.now)},
  };

  // ---- the process record table ----
  ReportSection record{"record", L.record_table, {}, {}, false};
  ReportTable rt;
  rt.header = {L.step, L.responsible, L.time_requirement, L.started, L.ended,
               L.due,  L.met,         L.outputs,          L.members, L.notes};
  for (const v1::ProcessStepRecord& s : in.process_record.steps()) {
    rt.rows.push_back({
        absl::StrCat(s.step(), ". ", StepName(s.step(), s.name(), lang)),
        absl::StrCat(RoleName(s.step(), s.responsible_role(), lang), " ",
                     names.People(s.responsible_ids())),
        TimeRequirementText(s.step(), s.time_requirement(), req, lang),
        When(in.calendar, s.started_at(), s.has_started_at()),
        When(in.calendar, s.ended_at(), s.has_ended_at()),
        When(in.calendar, s.due_at(), s.has_due_at()),
        MetName(s.met(), lang),
        s.outputs().empty() ? "—" : absl::StrJoin(s.outputs(), ";"),
        names.People(s.member_ids()),
        s.notes().empty() ? "—" : absl::StrJoin(s.notes(), "\n"),
    });
    rt.highlighted.push_back(s.met() == v1::ProcessStepRecord::MET_NO);
  }
  record.tables.push_back(std::move(rt));
  doc.sections.push_back(std::move(record));

  // ---- plan with schedule ----
  ReportSection plan{"plan", L.plan, {}, {}, false};
  if (!in.schedule.has_value()) {
    plan.paragraphs.push_back(L.no_plan);
  } else {
    const v1::ScheduleView& sv = *in.schedule;
    std::map<std::string, const v1::TaskExecution*> exec;
    for (const v1::TaskExecution& x : in.record.executions()) exec[x.task_id()] = &x;
    std::map<std::string, const v1::Task*> tasks;
    for (const v1::Task& t : in.record.plan().tasks()) tasks[t.id()] = &t;
    ReportTable pt;
    pt.header = {L.task_id,     L.task_name,    L.assignee,    L.duration_days,
                 L.early_start, L.early_finish, L.late_finish, L.total_float,
                 L.critical,    L.predecessors, L.task_state,  L.progress};
    for (const v1::ScheduledTaskRow& row : sv.tasks()) {
      std::vector<std::string> preds;
      auto t = tasks.find(row.task_id());
      if (t != tasks.end()) {
        for (const v1::Dependency& d : t->second->predecessors())
          preds.push_back(d.predecessor_id());
      }
      auto x = exec.find(row.task_id());
      pt.rows.push_back({
          row.task_id(),
          row.name(),
          names.Party(row.assignee()),
          absl::StrCat(row.duration_days()),
          DateText(row.early_start()),
          DateText(row.early_finish()),
          DateText(row.late_finish()),
          absl::StrCat(row.total_float_days()),
          row.critical() ? L.yes : L.no,
          preds.empty() ? "—" : absl::StrJoin(preds, ", "),
          TaskStateName(x != exec.end() ? x->second->state() : v1::TASK_STATE_NOT_STARTED, lang),
          absl::StrCat(x != exec.end() ? x->second->percent_complete() : 0, "%"),
      });
      pt.highlighted.push_back(row.critical());
    }
    plan.tables.push_back(std::move(pt));
    // Every task a row marks critical (negative float included), in plan
    // order: the table and the summary never disagree.
    std::vector<std::string> critical;
    for (const v1::ScheduledTaskRow& row : sv.tasks()) {
      if (row.critical()) critical.push_back(row.task_id());
    }
    plan.paragraphs.push_back(absl::StrCat(
        L.critical_path, ": ", critical.empty() ? "—" : absl::StrJoin(critical, " → ")));
    plan.paragraphs.push_back(
        absl::StrCat(L.deadline_slack, ": ", sv.deadline_slack_days(), " ", L.days_unit));
    ReportTable mt;
    mt.header = {L.milestone, L.planned_date, L.forecast, L.slack_days};
    for (const v1::MilestoneForecast& m : sv.milestones()) {
      mt.rows.push_back({m.name(), DateText(m.date()),
                         m.served() ? DateText(m.forecast()) : L.not_served,
                         m.served() ? absl::StrCat(m.slack_days()) : "—"});
      mt.highlighted.push_back(m.served() && m.slack_days() < 0);
    }
    plan.tables.push_back(std::move(mt));
  }
  doc.sections.push_back(std::move(plan));

  if (in.schedule.has_value()) {
    doc.sections.push_back(ReportSection{"gantt", L.gantt, {}, {}, true});
  }

  // ---- history ----
  ReportSection history{"history", L.history, {}, {}, false};
  ReportTable ht;
  ht.header = {"#", L.time, L.actor, L.event, L.detail};
  for (const v1::Event& e : in.events) {
    const auto* field = v1::Event::descriptor()->FindFieldByNumber(e.payload_case());
    ht.rows.push_back({absl::StrCat(e.sequence() != 0 ? e.sequence() : e.version()),
                       FormatLocal(in.calendar, FromProto(e.time())), names.Person(e.actor_id()),
                       field != nullptr ? EventKindName(field->name(), lang) : "—",
                       EventDetail(e, in.calendar, lang)});
    ht.highlighted.push_back(false);
  }
  history.tables.push_back(std::move(ht));
  doc.sections.push_back(std::move(history));
  return doc;
}

}  // namespace collabflow::internal
