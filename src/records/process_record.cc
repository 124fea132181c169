#include "records/process_record.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "base/status_macros.h"
#include "collabflow/engine.h"
#include "collabflow/process_record.h"
#include "engine/state/receivers.h"
#include "engine/state/roles.h"
#include "engine/state/time_rules.h"
#include "engine/state/timeliness.h"
#include "wire/message_walk.h"
#include "wire/time_proto.h"

namespace collabflow::internal {
namespace {

using Met = v1::ProcessStepRecord;

std::string PersonName(const DirectoryIndex& dir, absl::string_view id) {
  const v1::Person* p = dir.FindPerson(id);
  return p != nullptr && !p->name().empty() ? p->name() : std::string(id);
}

std::string ReceiverName(const v1::Receiver& r, const DirectoryIndex& dir) {
  switch (r.who_case()) {
    case v1::Receiver::kPersonId:
      return PersonName(dir, r.person_id());
    case v1::Receiver::kDepartmentId: {
      const v1::Department* d = dir.FindDepartment(r.department_id());
      return d != nullptr && !d->name().empty() ? d->name() : r.department_id();
    }
    default:
      return r.id();
  }
}

// The words the table writes itself, in Chinese or English (`en`).
const char* DecisionName(v1::Decision d, bool en) {
  switch (d) {
    case v1::DECISION_ACCEPT:
      return en ? "accepted" : "接受";
    case v1::DECISION_ACCEPT_WITH_CHANGES:
      return en ? "accepted with changes" : "有条件接受";
    case v1::DECISION_DECLINE:
      return en ? "declined" : "拒绝";
    default:
      return en ? "no answer" : "未答复";
  }
}

const char* RiskTypeName(v1::RiskType t, bool en) {
  switch (t) {
    case v1::RISK_TYPE_DELAY:
      return en ? "delay" : "进度延迟";
    case v1::RISK_TYPE_RESOURCE_SHORTAGE:
      return en ? "resource shortage" : "资源不足";
    case v1::RISK_TYPE_DISAGREEMENT:
      return en ? "disagreement" : "意见分歧";
    default:
      return en ? "other" : "其他";
  }
}

const char* ResourceDecisionName(v1::ResourceDecision d, bool en) {
  switch (d) {
    case v1::RESOURCE_DECISION_GRANTED:
      return en ? "granted" : "批准";
    case v1::RESOURCE_DECISION_DENIED:
      return en ? "denied" : "驳回";
    case v1::RESOURCE_DECISION_ESCALATED:
      return en ? "escalated to the superior" : "已上报上级";
    default:
      return en ? "pending" : "待决定";
  }
}

const char* ChannelName(v1::Channel c, bool en) {
  switch (c) {
    case v1::CHANNEL_GROUP_CHAT:
      return en ? "group chat" : "企业群/钉钉群";
    case v1::CHANNEL_COLLABORATION_PLATFORM:
      return en ? "collaboration platform" : "线上协作平台";
    case v1::CHANNEL_MEETING:
      return en ? "meeting" : "会议";
    default:
      return en ? "channel" : "沟通渠道";
  }
}

const char* RecommendedChannel(v1::Complexity c, bool en) {
  switch (c) {
    case v1::COMPLEXITY_COMPLEX:
      return en ? "complex: collaboration platform" : "复杂项目:线上协作平台";
    case v1::COMPLEXITY_KEY_DECISION:
      return en ? "key decision: meeting with minutes" : "关键决策:会议并记录纪要";
    default:
      return en ? "simple: group chat" : "简单事务:企业群/钉钉群";
  }
}

std::string CadenceText(const v1::Cadence& c, bool en) {
  switch (c.kind()) {
    case v1::Cadence::KIND_EVERY_N_WORKING_DAYS:
      return en ? absl::StrCat("every ", c.every_n_days(), " working days")
                : absl::StrCat("每", c.every_n_days(), "个工作日");
    case v1::Cadence::KIND_WEEKLY:
      return en ? "weekly" : "每周";
    default:
      return en ? "daily" : "每日";
  }
}

void SetTime(absl::Time t, google::protobuf::Timestamp* out) { ToProto(t, out); }

// A "by date d" rule: the close of d, or of the last working day before it.
absl::Time EndOfDay(const Calendar& calendar, const v1::Date& d) {
  return DueByEndOf(calendar, absl::CivilDay(d.year(), d.month(), d.day()));
}

void AddUnique(std::vector<std::string>* ids, const std::string& id) {
  if (!id.empty() && std::find(ids->begin(), ids->end(), id) == ids->end()) ids->push_back(id);
}

// Met for a step that ended (or not) against a due time, as of `as_of`.
Met::Met Judge(std::optional<absl::Time> ended, std::optional<absl::Time> due,
               std::optional<absl::Time> as_of) {
  if (!due.has_value()) return Met::MET_UNSPECIFIED;
  if (ended.has_value()) return *ended <= *due ? Met::MET_YES : Met::MET_NO;
  if (as_of.has_value() && *as_of > *due) return Met::MET_NO;
  return Met::MET_UNSPECIFIED;
}

std::optional<absl::Time> TimeOf(const google::protobuf::Timestamp& ts, bool has) {
  if (!has) return std::nullopt;
  return FromProto(ts);
}

class Builder {
 public:
  Builder(const v1::RequestRecord& record, absl::Span<const v1::Event> events,
          const Calendar& calendar, const DirectoryIndex& dir, RecordLanguage language)
      : record_(record), calendar_(calendar), dir_(dir), en_(language == RecordLanguage::kEnglish) {
    const std::string& id = record.request().id();
    for (const v1::Event& e : events) {
      if (e.request_id() != id) continue;
      events_.push_back(&e);
      as_of_ = FromProto(e.time());
    }
  }

  v1::ProcessRecordTable Build() {
    v1::ProcessRecordTable table;
    table.set_request_id(record_.request().id());
    table.set_topic(record_.request().topic());
    const bool cancelled = record_.state() == v1::REQUEST_STATE_CANCELLED;
    Step1(table.add_steps());
    Step2(table.add_steps());
    Step3(table.add_steps());
    Step4(table.add_steps());
    Step5(table.add_steps());
    if (cancelled) {
      for (v1::ProcessStepRecord& s : *table.mutable_steps()) {
        if (!s.has_ended_at() && s.met() == Met::MET_UNSPECIFIED) {
          s.set_met(Met::MET_NOT_APPLICABLE);
          s.add_notes(
              absl::StrCat(en_ ? "Request cancelled: " : "需求已取消:", record_.cancel_reason()));
        }
      }
    }
    return table;
  }

 private:
  void Step1(v1::ProcessStepRecord* s) {
    const v1::CollaborationRequest& req = record_.request();
    s->set_step(1);
    s->set_name("需求发起与确认");
    s->set_responsible_role("发起人");
    s->add_responsible_ids(req.initiator_id());
    const int answer_days =
        ConfiguredOr(req.response_due_working_days(), kDefaultResponseWorkingDays);
    s->set_time_requirement(
        en_ ? absl::StrCat("receivers answer within ", answer_days,
                           " working day(s) of the request")
            : absl::StrCat("接收方在需求提出后", answer_days, "个工作日内反馈"));
    if (record_.has_first_submitted_at()) *s->mutable_started_at() = record_.first_submitted_at();
    if (record_.has_confirmed_at()) *s->mutable_ended_at() = record_.confirmed_at();

    // Each version's response dues, in order; a revision supersedes them.
    struct VersionDues {
      int version;
      absl::Time opened;
      std::vector<const v1::DueItem*> dues;
      std::optional<absl::Time> superseded;
    };
    std::vector<VersionDues> versions;
    std::map<std::pair<std::string, int>, absl::Time> first_answer;
    int version = 1;
    for (const v1::Event* e : events_) {
      const absl::Time t = FromProto(e->time());
      if (e->has_request_submitted()) {
        versions.push_back({e->request_submitted().version(), t, {}, std::nullopt});
        for (const auto& d : e->request_submitted().dues()) versions.back().dues.push_back(&d);
      } else if (e->has_request_revised()) {
        if (!versions.empty()) versions.back().superseded = t;
        version = e->request_revised().request().version();
        versions.push_back({version, t, {}, std::nullopt});
        for (const auto& d : e->request_revised().dues()) versions.back().dues.push_back(&d);
        s->add_notes(en_ ? absl::StrCat("Change: the initiator revised the request to version ",
                                        version, " (", e->request_revised().change_note(), ")")
                         : absl::StrCat("调整:发起人修订需求为第", version, "版(",
                                        e->request_revised().change_note(), ")"));
      } else if (e->has_response_recorded()) {
        const v1::ReceiverResponse& r = e->response_recorded().response();
        first_answer.emplace(std::make_pair(r.receiver_id(), r.request_version()), t);
        const v1::Receiver* rc = FindReceiver(req, r.receiver_id());
        const std::string who = rc != nullptr ? ReceiverName(*rc, dir_) : r.receiver_id();
        std::string line =
            en_ ? absl::StrCat(who, " (", PersonName(dir_, r.responder_id()), ") on version ",
                               r.request_version(), ": ", DecisionName(r.decision(), true))
                : absl::StrCat(who, "(", PersonName(dir_, r.responder_id()), ")对第",
                               r.request_version(), "版:", DecisionName(r.decision(), false));
        if (r.duties_size() > 0) {
          absl::StrAppend(
              &line, en_ ? "; duties: " : ";职责:", absl::StrJoin(r.duties(), en_ ? ", " : "、"));
        }
        for (const v1::MilestoneCounter& c : r.counter_proposals()) {
          if (!c.condition().empty()) {
            absl::StrAppend(&line, en_ ? "; condition: " : ";条件:", c.condition());
          }
        }
        for (const v1::ResourceFeasibility& f : r.resources()) {
          if (!f.note().empty()) absl::StrAppend(&line, en_ ? "; resource: " : ";资源:", f.note());
        }
        s->add_notes(std::move(line));
      } else if (e->has_kickoff_recorded()) {
        s->add_outputs(en_ ? "kickoff meeting record" : "启动会记录");
      }
    }
    // Late answers: answered after the due, or still owed past it.
    bool late = false;
    std::optional<absl::Time> due;
    for (const VersionDues& v : versions) {
      for (const v1::DueItem* d : v.dues) {
        const absl::Time due_at = FromProto(d->due_at());
        auto it = first_answer.find({d->subject_id(), v.version});
        std::optional<absl::Time> answered;
        if (it != first_answer.end()) answered = it->second;
        const std::optional<absl::Time> closed =
            answered.has_value()
                ? answered
                : (v.superseded.has_value()
                       ? v.superseded
                       : TimeOf(record_.confirmed_at(), record_.has_confirmed_at()));
        const std::optional<absl::Time> judged = closed.has_value() ? closed : as_of_;
        if (judged.has_value() && *judged > due_at &&
            (answered.has_value() || !v.superseded.has_value() || *v.superseded > due_at)) {
          late = true;
          const v1::Receiver* rc = FindReceiver(req, d->subject_id());
          const std::string who = rc != nullptr ? ReceiverName(*rc, dir_) : d->subject_id();
          const std::string due_text = FormatLocal(calendar_, due_at);
          if (en_) {
            s->add_notes(
                absl::StrCat("Late: ", who, " was to answer version ", v.version, " by ", due_text,
                             answered.has_value()
                                 ? absl::StrCat(", answered ", FormatLocal(calendar_, *answered))
                                 : ", no answer in time"));
          } else {
            s->add_notes(absl::StrCat("逾期:", who, "对第", v.version, "版应于", due_text, "前反馈",
                                      answered.has_value()
                                          ? absl::StrCat(",实际", FormatLocal(calendar_, *answered))
                                          : ",未按时反馈"));
          }
        }
      }
    }
    // The due of the step: the latest receiver due of the version in force.
    if (!versions.empty()) {
      for (const v1::DueItem* d : versions.back().dues) {
        const absl::Time t = FromProto(d->due_at());
        if (!due.has_value() || t > *due) due = t;
      }
    }
    if (due.has_value()) SetTime(*due, s->mutable_due_at());
    const std::optional<absl::Time> ended =
        TimeOf(record_.confirmed_at(), record_.has_confirmed_at());
    s->set_met(late ? Met::MET_NO : Judge(ended, due, as_of_));
    for (int v = 1; v <= req.version(); ++v) {
      s->add_outputs(en_ ? absl::StrCat("collaboration request form, version ", v)
                         : absl::StrCat("《协作需求申请表》第", v, "版"));
    }
    std::vector<std::string> members;
    for (const v1::Receiver& r : req.receivers()) {
      for (absl::string_view p : MayAnswerFor(r, dir_)) AddUnique(&members, std::string(p));
    }
    for (std::string& m : members) s->add_member_ids(std::move(m));
  }

  void Step2(v1::ProcessStepRecord* s) {
    const v1::CollaborationRequest& req = record_.request();
    s->set_step(2);
    s->set_name("任务拆分与分工");
    s->set_responsible_role("负责人");
    s->add_responsible_ids(OwnerOf(req));
    const int plan_days = ConfiguredOr(req.plan_due_working_days(), kDefaultPlanWorkingDays);
    s->set_time_requirement(
        en_ ? absl::StrCat("within ", plan_days, " working day(s) of confirmation")
            : absl::StrCat("需求确认后", plan_days, "个工作日内"));
    if (record_.has_confirmed_at()) *s->mutable_started_at() = record_.confirmed_at();
    std::optional<absl::Time> due;
    std::optional<absl::Time> published;
    for (const v1::Event* e : events_) {
      if (e->has_request_confirmed()) due = FromProto(e->request_confirmed().plan_due().due_at());
      if (e->has_plan_published() && !published.has_value()) published = FromProto(e->time());
    }
    if (!published.has_value() && record_.has_planned_at())
      published = FromProto(record_.planned_at());
    if (due.has_value()) SetTime(*due, s->mutable_due_at());
    if (published.has_value()) SetTime(*published, s->mutable_ended_at());
    s->set_met(record_.has_confirmed_at() ? Judge(published, due, as_of_) : Met::MET_UNSPECIFIED);
    if (record_.plan().tasks_size() > 0) {
      s->add_outputs(
          en_ ? absl::StrCat("task breakdown list (", record_.plan().tasks_size(), " tasks)")
              : absl::StrCat("《协作任务拆分清单》(", record_.plan().tasks_size(), "项任务)"));
      for (std::string& m : MembersOf(record_, dir_)) s->add_member_ids(std::move(m));
    }
    for (const v1::Task& t : record_.plan().tasks()) {
      if (t.description().empty() && t.delivery_standard_size() == 0) {
        s->add_notes(
            en_ ? absl::StrCat("Task ", t.id(), " (", t.name(),
                               ") states no description or delivery standard")
                : absl::StrCat("任务", t.id(), "(", t.name(), ")未写明任务描述与交付标准"));
      }
    }
    const v1::CoverageReport& cov = record_.coverage();
    if (!cov.uncovered_milestone_ids().empty() || cov.goal_uncovered() ||
        !cov.uncovered_resource_ids().empty()) {
      std::vector<std::string> items(cov.uncovered_milestone_ids().begin(),
                                     cov.uncovered_milestone_ids().end());
      items.insert(items.end(), cov.uncovered_resource_ids().begin(),
                   cov.uncovered_resource_ids().end());
      if (cov.goal_uncovered()) items.push_back(en_ ? "the goal" : "协作目标");
      s->add_notes(
          en_ ? absl::StrCat("Omission: no task serves ", absl::StrJoin(items, ", "),
                             record_.omissions_acknowledged()
                                 ? " (published as acknowledged by the owner)"
                                 : "")
              : absl::StrCat("遗漏:无任务承担 ", absl::StrJoin(items, "、"),
                             record_.omissions_acknowledged() ? "(负责人已确认发布)" : ""));
    }
    for (const std::string& id : cov.uncovered_receiver_ids()) {
      const v1::Receiver* rc = FindReceiver(req, id);
      const std::string who = rc != nullptr ? ReceiverName(*rc, dir_) : id;
      s->add_notes(en_ ? absl::StrCat("Omission: ", who, " confirmed its duties but has no task")
                       : absl::StrCat("遗漏:", who, "已确认职责但无任务"));
    }
    for (const auto& o : cov.overlaps()) {
      if (o.deliverable().empty() && !o.name().empty()) {
        s->add_notes(en_ ? absl::StrCat("Overlap: tasks ", o.task_a(), " and ", o.task_b(),
                                        " have the same assignee and name \"", o.name(), "\"")
                         : absl::StrCat("重叠:任务", o.task_a(), "与", o.task_b(),
                                        "承办人与名称相同「", o.name(), "」"));
        continue;
      }
      s->add_notes(en_ ? absl::StrCat("Overlap: tasks ", o.task_a(), " and ", o.task_b(),
                                      " deliver the same \"", o.deliverable(), "\"")
                       : absl::StrCat("重叠:任务", o.task_a(), "与", o.task_b(), "交付同一成果「",
                                      o.deliverable(), "」"));
    }
    for (const auto& l : cov.short_lead_times()) {
      const v1::Receiver* rc = FindReceiver(req, l.receiver_id());
      const std::string who = rc != nullptr ? ReceiverName(*rc, dir_) : l.receiver_id();
      std::string what = l.resource_id();
      for (const v1::ResourceNeed& need : req.resources()) {
        if (need.id() == l.resource_id() && !need.description().empty()) what = need.description();
      }
      s->add_notes(en_ ? absl::StrCat("Lead time: ", who, " needs ", l.days_needed(),
                                      " working days for ", what, ", but task ", l.task_id(),
                                      " starts ", l.planned_after_days(),
                                      " working days after confirmation")
                       : absl::StrCat("准备期不足:", who, "答复", what, "需", l.days_needed(),
                                      "个工作日,任务", l.task_id(), "计划于确认后第",
                                      l.planned_after_days(), "个工作日开始"));
    }
  }

  // The end of execution: every live task done; the latest actual finish.
  std::optional<absl::Time> ExecutionEnd() const {
    const auto executions = FindAll<v1::TaskExecution>(record_);
    std::optional<absl::Time> end;
    bool any_done = false;
    for (const v1::TaskExecution* x : executions) {
      if (x->state() == v1::TASK_STATE_CANCELLED) continue;
      if (x->state() != v1::TASK_STATE_DONE || !x->has_actual_finish()) return std::nullopt;
      any_done = true;
      const absl::Time f = FromProto(x->actual_finish());
      if (!end.has_value() || f > *end) end = f;
    }
    return any_done ? end : std::nullopt;
  }

  void Step3(v1::ProcessStepRecord* s) {
    const v1::CollaborationRequest& req = record_.request();
    s->set_step(3);
    s->set_name("信息同步与资源协调");
    s->set_responsible_role("负责人/承办人");
    s->add_responsible_ids(OwnerOf(req));
    s->set_time_requirement(
        en_ ? absl::StrCat("at once after the start (", RecommendedChannel(req.complexity(), true),
                           ")")
            : absl::StrCat("协作启动后即时(", RecommendedChannel(req.complexity(), false), ")"));
    if (record_.has_planned_at()) {
      std::optional<absl::Time> first;
      for (const v1::Event* e : events_) {
        if (e->has_plan_published()) {
          first = FromProto(e->time());
          break;
        }
      }
      SetTime(first.value_or(FromProto(record_.planned_at())), s->mutable_started_at());
    }
    const std::optional<absl::Time> end = ExecutionEnd();
    if (end.has_value()) SetTime(*end, s->mutable_ended_at());

    std::vector<std::string> members;
    for (const v1::ChannelLink* c : FindAll<v1::ChannelLink>(record_)) {
      s->add_outputs(absl::StrCat(en_ ? "channel: " : "沟通渠道:", ChannelName(c->channel(), en_),
                                  c->uri().empty() ? "" : absl::StrCat(" ", c->uri())));
    }
    const auto minutes = FindAll<v1::Minutes>(record_);
    if (!minutes.empty()) {
      s->add_outputs(en_ ? absl::StrCat("minutes (", minutes.size(), ")")
                         : absl::StrCat("会议纪要", minutes.size(), "份"));
    }
    for (const v1::Minutes* m : minutes) {
      for (const std::string& a : m->attendee_ids()) AddUnique(&members, a);
      for (const std::string& d : m->decisions()) {
        s->add_notes(en_ ? absl::StrCat("Decision (", m->title(), "): ", d)
                         : absl::StrCat("会议决定(", m->title(), "):", d));
      }
    }
    const auto resources = FindAll<v1::ResourceRequest>(record_);
    if (!resources.empty()) {
      s->add_outputs(en_ ? absl::StrCat("resource requests (", resources.size(), ")")
                         : absl::StrCat("资源申请单", resources.size(), "份"));
    }
    bool late = false;
    // Decision dues come with the events that opened them.
    std::map<std::string, absl::Time> decision_due;
    std::map<std::string, absl::Time> decided_at;
    for (const v1::Event* e : events_) {
      if (e->has_resource_requested()) {
        decision_due[e->resource_requested().request().id()] =
            FromProto(e->resource_requested().decision_due().due_at());
      } else if (e->has_resource_decided()) {
        decided_at.emplace(e->resource_decided().resource_request_id(), FromProto(e->time()));
      }
    }
    for (const v1::ResourceRequest* r : resources) {
      AddUnique(&members, r->requested_by());
      AddUnique(&members, r->decided_by());
      AddUnique(&members, r->escalated_to());
      std::string line =
          en_ ? absl::StrCat("Resource request ", r->id(), " (",
                             PersonName(dir_, r->requested_by()), "): ", r->description(), " → ",
                             ResourceDecisionName(r->decision(), true))
              : absl::StrCat("资源申请", r->id(), "(", PersonName(dir_, r->requested_by()),
                             "):", r->description(), " → ",
                             ResourceDecisionName(r->decision(), false));
      if (!r->reason().empty()) {
        absl::StrAppend(&line, en_ ? " (" : "(", r->reason(), ")");
      }
      auto due = decision_due.find(r->id());
      if (due != decision_due.end() && due->second != absl::UnixEpoch()) {
        auto done = decided_at.find(r->id());
        const std::optional<absl::Time> at =
            done != decided_at.end() ? std::optional<absl::Time>(done->second) : as_of_;
        if (at.has_value() && *at > due->second) {
          late = true;
          absl::StrAppend(&line, en_ ? "; late: to be decided by " : ";逾期:应于",
                          FormatLocal(calendar_, due->second), en_ ? "" : "前决定");
        }
      }
      s->add_notes(std::move(line));
    }
    for (std::string& m : members) s->add_member_ids(std::move(m));
    if (late) {
      s->set_met(Met::MET_NO);
    } else if (end.has_value()) {
      if (s->outputs_size() == 0) {
        s->add_notes(en_ ? "No channel or minutes were recorded" : "未记录沟通渠道或会议纪要");
      }
      s->set_met(s->outputs_size() > 0 ? Met::MET_YES : Met::MET_NO);
    }
  }

  void Step4(v1::ProcessStepRecord* s) {
    const v1::CollaborationRequest& req = record_.request();
    s->set_step(4);
    s->set_name("执行跟踪与反馈");
    s->set_responsible_role("承办人");
    std::vector<std::string> assignees;
    for (const v1::Task& t : record_.plan().tasks()) {
      for (std::string& p : PeopleForParty(t.assignee(), dir_)) AddUnique(&assignees, p);
    }
    for (const std::string& a : assignees) {
      s->add_responsible_ids(a);
      s->add_member_ids(a);
    }
    s->set_time_requirement(en_ ? absl::StrCat("progress reports at the agreed cadence (",
                                               CadenceText(record_.plan().cadence(), true), ")")
                                : absl::StrCat("按约定频率反馈进度(",
                                               CadenceText(record_.plan().cadence(), false), ")"));
    if (record_.has_started_at()) *s->mutable_started_at() = record_.started_at();
    const std::optional<absl::Time> end = ExecutionEnd();
    if (end.has_value()) SetTime(*end, s->mutable_ended_at());
    std::optional<absl::Time> due;
    if (req.has_final_deadline()) {
      due = EndOfDay(calendar_, req.final_deadline());
      SetTime(*due, s->mutable_due_at());
    }
    const auto reports = FindAll<v1::ProgressReport>(record_);
    const auto risks = FindAll<v1::Risk>(record_);
    const auto revisions = FindAll<v1::PlanRevision>(record_);
    if (!reports.empty()) {
      s->add_outputs(en_ ? absl::StrCat("progress reports (", reports.size(), ")")
                         : absl::StrCat("进度反馈", reports.size(), "次"));
    }
    if (!risks.empty()) {
      s->add_outputs(en_ ? absl::StrCat("risks and issues (", risks.size(), ")")
                         : absl::StrCat("风险与问题", risks.size(), "项"));
    }
    if (!revisions.empty()) {
      s->add_outputs(en_ ? absl::StrCat("plan revisions (", revisions.size(), ")")
                         : absl::StrCat("计划调整", revisions.size(), "次"));
    }
    for (const v1::Risk* r : risks) {
      std::string line =
          en_ ? absl::StrCat("Risk ", r->id(), " [", RiskTypeName(r->type(), true), "]",
                             r->blocker() ? " (blocker)" : "", ": ", r->description())
              : absl::StrCat("风险", r->id(), "[", RiskTypeName(r->type(), false), "]",
                             r->blocker() ? "(阻塞)" : "", ":", r->description());
      if (!r->owner_response().empty()) {
        absl::StrAppend(&line, en_ ? "; owner: " : ";负责人:", r->owner_response());
      }
      if (r->resolved()) {
        absl::StrAppend(&line, en_ ? "; resolved: " : ";已解决:", r->resolution());
      } else {
        absl::StrAppend(&line, en_ ? "; unresolved" : ";未解决");
      }
      s->add_notes(std::move(line));
    }
    for (const v1::PlanRevision* r : revisions) {
      s->add_notes(en_ ? absl::StrCat("Plan revision #", r->number(), " (",
                                      PersonName(dir_, r->revised_by()), "): ", r->reason())
                       : absl::StrCat("计划调整#", r->number(), "(",
                                      PersonName(dir_, r->revised_by()), "):", r->reason()));
    }
    int missed = 0;
    for (const v1::Event* e : events_) {
      if (e->has_report_missed()) {
        ++missed;
        // The due time missed; an event written before it was recorded
        // stands for it with its own time.
        const v1::ReportMissed& m = e->report_missed();
        const std::string when =
            FormatLocal(calendar_, FromProto(m.has_due_at() ? m.due_at() : e->time()));
        s->add_notes(
            en_ ? absl::StrCat("Missed progress report: task ", m.task_id(), " (", when, ")")
                : absl::StrCat("进度反馈逾期:任务", m.task_id(), "(", when, ")"));
      }
    }
    s->set_met(missed > 0
                   ? Met::MET_NO
                   : (record_.has_started_at() ? Judge(end, due, as_of_) : Met::MET_UNSPECIFIED));
  }

  void Step5(v1::ProcessStepRecord* s) {
    const v1::CollaborationRequest& req = record_.request();
    s->set_step(5);
    s->set_name("成果验收与归档");
    s->set_responsible_role("负责人");
    s->add_responsible_ids(OwnerOf(req));
    s->set_time_requirement(
        en_ ? "submit on time; after a failed review, resubmit within the rectification period "
              "(2 working days by default)"
            : "按约定时间提交;验收不通过须在整改期限内(默认2个工作日)重新提交");
    // Read from the record and from the events, deduplicated by identity.
    std::vector<const v1::Submission*> submissions = FindAll<v1::Submission>(record_);
    std::vector<const v1::Review*> reviews = FindAll<v1::Review>(record_);
    std::vector<const v1::Archive*> archives = FindAll<v1::Archive>(record_);
    if (submissions.empty() || reviews.empty() || archives.empty()) {
      for (const v1::Event* e : events_) {
        if (submissions.empty()) {
          for (auto* x : FindAll<v1::Submission>(*e)) event_submissions_.push_back(x);
        }
        if (reviews.empty()) {
          for (auto* x : FindAll<v1::Review>(*e)) event_reviews_.push_back(x);
        }
        if (archives.empty()) {
          for (auto* x : FindAll<v1::Archive>(*e)) event_archives_.push_back(x);
        }
      }
      if (submissions.empty()) submissions = event_submissions_;
      if (reviews.empty()) reviews = event_reviews_;
      if (archives.empty()) archives = event_archives_;
    }
    std::optional<absl::Time> first_submission;
    for (const v1::Submission* x : submissions) {
      AddUnique(&members_5_, x->submitted_by());
      const absl::Time t = FromProto(x->time());
      if (!first_submission.has_value() || t < *first_submission) first_submission = t;
    }
    if (first_submission.has_value()) SetTime(*first_submission, s->mutable_started_at());
    std::optional<absl::Time> due;
    if (req.has_final_deadline()) {
      due = EndOfDay(calendar_, req.final_deadline());
      SetTime(*due, s->mutable_due_at());
    }
    std::optional<absl::Time> archived;
    for (const v1::Archive* a : archives) {
      if (a->has_archived_at()) archived = FromProto(a->archived_at());
      AddUnique(&members_5_, a->archived_by());
    }
    if (archived.has_value()) SetTime(*archived, s->mutable_ended_at());
    int passed = 0;
    int failed = 0;
    bool late = false;
    for (const v1::Review* r : reviews) {
      AddUnique(&members_5_, r->reviewer_id());
      if (r->verdict() == v1::VERDICT_PASS) ++passed;
      if (r->verdict() == v1::VERDICT_FAIL) {
        ++failed;
        for (const v1::RectificationItem& item : r->rectification()) {
          const std::string due_text =
              item.has_due() ? FormatLocal(calendar_, FromProto(item.due())) : std::string();
          if (en_) {
            s->add_notes(
                absl::StrCat("Review failed",
                             r->task_id().empty() ? "" : absl::StrCat(" (task ", r->task_id(), ")"),
                             ": ", item.description(),
                             item.has_due() ? absl::StrCat("; resubmit by ", due_text) : ""));
          } else {
            s->add_notes(absl::StrCat(
                "验收不通过", r->task_id().empty() ? "" : absl::StrCat("(任务", r->task_id(), ")"),
                ":", item.description(),
                item.has_due() ? absl::StrCat(",应于", due_text, "前提交修订版") : ""));
          }
        }
      }
      if (!r->on_time() && r->verdict() != v1::VERDICT_UNSPECIFIED) {
        if (r->timeliness_waived()) {
          s->add_notes(
              absl::StrCat(en_ ? "Timeliness waived: " : "时效性豁免:", r->waiver_reason()));
        } else {
          late = true;
          s->add_notes(
              en_ ? absl::StrCat(
                        "Late delivery",
                        r->task_id().empty() ? "" : absl::StrCat(" (task ", r->task_id(), ")"),
                        ": ", r->late_by_working_minutes(), " working minutes late")
                  : absl::StrCat(
                        "逾期交付",
                        r->task_id().empty() ? "" : absl::StrCat("(任务", r->task_id(), ")"), ":晚",
                        r->late_by_working_minutes(), "个工作分钟"));
        }
      }
    }
    if (!submissions.empty()) {
      s->add_outputs(en_ ? absl::StrCat("submissions (", submissions.size(), ")")
                         : absl::StrCat("成果提交", submissions.size(), "次"));
    }
    if (!reviews.empty()) {
      s->add_outputs(
          en_ ? absl::StrCat("reviews (", reviews.size(), ": ", passed, " passed, ", failed,
                             " failed)")
              : absl::StrCat("验收", reviews.size(), "次(通过", passed, ",不通过", failed, ")"));
    }
    if (archived.has_value()) s->add_outputs(en_ ? "archive bundle" : "归档包");
    for (std::string& m : members_5_) s->add_member_ids(std::move(m));
    if (late) {
      s->set_met(Met::MET_NO);
    } else if (archived.has_value()) {
      s->set_met(Met::MET_YES);
    }
  }

  const v1::RequestRecord& record_;
  const Calendar& calendar_;
  const DirectoryIndex& dir_;
  const bool en_;  // the table's own texts in English (else Chinese)
  std::vector<const v1::Event*> events_;
  std::optional<absl::Time> as_of_;
  std::vector<const v1::Submission*> event_submissions_;
  std::vector<const v1::Review*> event_reviews_;
  std::vector<const v1::Archive*> event_archives_;
  std::vector<std::string> members_5_;
};

const char* MetText(Met::Met m) {
  switch (m) {
    case Met::MET_YES:
      return "按时";
    case Met::MET_NO:
      return "未按时";
    case Met::MET_NOT_APPLICABLE:
      return "不适用";
    default:
      return "进行中";
  }
}

}  // namespace

v1::ProcessRecordTable BuildProcessRecord(const v1::RequestRecord& record,
                                          absl::Span<const v1::Event> events,
                                          const Calendar& calendar, const DirectoryIndex& directory,
                                          RecordLanguage language) {
  return Builder(record, events, calendar, directory, language).Build();
}

std::string ProcessRecordText(const v1::ProcessRecordTable& table, const Calendar& calendar) {
  auto when = [&](const google::protobuf::Timestamp& ts, bool has) {
    return has ? FormatLocal(calendar, FromProto(ts)) : std::string("—");
  };
  std::string out = absl::StrCat("协作流程记录表:", table.topic(), "(", table.request_id(), ")\n");
  for (const v1::ProcessStepRecord& s : table.steps()) {
    absl::StrAppend(&out, "\n", s.step(), ". ", s.name(), "\n");
    absl::StrAppend(&out, "   负责人:", s.responsible_role(), " ",
                    absl::StrJoin(s.responsible_ids(), "、"), "\n");
    absl::StrAppend(&out, "   时间要求:", s.time_requirement(), "\n");
    absl::StrAppend(&out, "   开始:", when(s.started_at(), s.has_started_at()),
                    "  结束:", when(s.ended_at(), s.has_ended_at()),
                    "  期限:", when(s.due_at(), s.has_due_at()), "  ", MetText(s.met()), "\n");
    absl::StrAppend(
        &out, "   输出成果:", s.outputs().empty() ? "—" : absl::StrJoin(s.outputs(), ";"), "\n");
    absl::StrAppend(&out, "   协作成员:",
                    s.member_ids().empty() ? "—" : absl::StrJoin(s.member_ids(), "、"), "\n");
    for (const std::string& n : s.notes()) absl::StrAppend(&out, "   备注:", n, "\n");
  }
  return out;
}

}  // namespace collabflow::internal

namespace collabflow {

absl::StatusOr<v1::ProcessRecordTable> GetProcessRecord(const Engine& engine,
                                                        absl::string_view request_id) {
  CFLOW_ASSIGN_OR_RETURN(RequestHistory history, engine.ReadRequestHistory(request_id));
  CFLOW_ASSIGN_OR_RETURN(internal::DirectoryIndex index,
                         internal::DirectoryIndex::Build(history.directory));
  return internal::BuildProcessRecord(history.record, history.events, engine.calendar(), index);
}

}  // namespace collabflow
