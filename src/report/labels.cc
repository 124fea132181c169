#include "report/labels.h"

#include <map>

#include "absl/strings/str_cat.h"

namespace collabflow::internal {
namespace {

constexpr Labels kChinese = {
    "zh-CN",
    "协作报告",
    "需求编号",
    "状态",
    "版本",
    "发起人",
    "负责人",
    "接收方",
    "优先级",
    "复杂度",
    "协作背景",
    "协作目标",
    "最终截止",
    "里程碑",
    "生成时间",
    "协作流程记录表",
    "步骤",
    "负责人",
    "时间要求",
    "实际开始",
    "实际结束",
    "期限",
    "是否按时",
    "输出成果",
    "协作成员",
    "备注(风险、调整事项)",
    "任务计划与进度",
    "编号",
    "任务名称",
    "承办人",
    "工期(工作日)",
    "最早开始",
    "最早完成",
    "最迟完成",
    "总浮动",
    "关键",
    "前置任务",
    "状态",
    "进度",
    "关键路径",
    "里程碑",
    "计划日期",
    "预计完成",
    "余量(工作日)",
    "距最终截止余量",
    "无任务承担",
    "甘特图",
    "历史记录",
    "时间",
    "操作人",
    "事件",
    "说明",
    "尚未发布任务拆分清单。",
    "今天",
    "关键路径任务",
    "任务",
    "非工作日",
    "法定节假日/调休",
    "调休上班",
    "里程碑",
    "班",
    "是",
    "否",
    "个工作日",
};

constexpr Labels kEnglish = {
    "en",
    "Collaboration report",
    "Request",
    "State",
    "Version",
    "Initiator",
    "Owner",
    "Receivers",
    "Priority",
    "Complexity",
    "Background",
    "Goal",
    "Final deadline",
    "Milestones",
    "Generated",
    "Process record table",
    "Step",
    "Responsible",
    "Time requirement",
    "Started",
    "Ended",
    "Due",
    "On time",
    "Outputs",
    "Members",
    "Notes (risks, adjustments)",
    "Plan and schedule",
    "ID",
    "Task",
    "Assignee",
    "Duration (working days)",
    "Early start",
    "Early finish",
    "Late finish",
    "Total float",
    "Critical",
    "Predecessors",
    "State",
    "Progress",
    "Critical path",
    "Milestone",
    "Planned date",
    "Forecast",
    "Slack (working days)",
    "Slack to the final deadline",
    "no task serves it",
    "Gantt chart",
    "History",
    "Time",
    "Actor",
    "Event",
    "Detail",
    "No plan has been published yet.",
    "Today",
    "Critical task",
    "Task",
    "Non-working day",
    "Holiday / day off in lieu",
    "Make-up working day",
    "Milestone",
    "W",
    "yes",
    "no",
    "working days",
};

bool English(ReportLanguage l) { return l == ReportLanguage::kEnglish; }

}  // namespace

const Labels& LabelsFor(ReportLanguage language) { return English(language) ? kEnglish : kChinese; }

std::string StepName(int step, const std::string& recorded, ReportLanguage language) {
  static const char* const kNames[] = {"Request and confirmation", "Breakdown and assignment",
                                       "Communication and resources", "Tracking and feedback",
                                       "Acceptance and archive"};
  if (!English(language) || step < 1 || step > 5) return recorded;
  return kNames[step - 1];
}

std::string RoleName(int step, const std::string& recorded, ReportLanguage language) {
  static const char* const kRoles[] = {"Initiator", "Owner", "Owner / assignees", "Assignees",
                                       "Owner"};
  if (!English(language) || step < 1 || step > 5) return recorded;
  return kRoles[step - 1];
}

std::string TimeRequirementText(int step, const std::string& recorded,
                                const v1::CollaborationRequest& request, ReportLanguage language) {
  if (!English(language)) return recorded;
  auto days = [](int n) {
    n = n > 0 ? n : 1;
    return absl::StrCat(n, n == 1 ? " working day" : " working days");
  };
  switch (step) {
    case 1:
      return absl::StrCat("Receivers answer within ", days(request.response_due_working_days()),
                          " of the request");
    case 2:
      return absl::StrCat("Within ", days(request.plan_due_working_days()), " of confirmation");
    case 3:
      return "At once, from the start of the collaboration";
    case 4:
      return "Progress reports at the agreed cadence";
    case 5:
      return "Deliver on time; rework by the rectification deadline (default 2 working days)";
    default:
      return recorded;
  }
}

std::string MetName(v1::ProcessStepRecord::Met met, ReportLanguage language) {
  const bool en = English(language);
  switch (met) {
    case v1::ProcessStepRecord::MET_YES:
      return en ? "met" : "按时";
    case v1::ProcessStepRecord::MET_NO:
      return en ? "missed" : "未按时";
    case v1::ProcessStepRecord::MET_NOT_APPLICABLE:
      return en ? "n/a" : "不适用";
    default:
      return en ? "open" : "进行中";
  }
}

std::string RequestStateName(v1::RequestState state, ReportLanguage language) {
  static const std::map<v1::RequestState, std::pair<const char*, const char*>> kNames = {
      {v1::REQUEST_STATE_DRAFT, {"草稿", "draft"}},
      {v1::REQUEST_STATE_SUBMITTED, {"待确认", "submitted"}},
      {v1::REQUEST_STATE_NEGOTIATING, {"协商中", "negotiating"}},
      {v1::REQUEST_STATE_CONFIRMED, {"已确认", "confirmed"}},
      {v1::REQUEST_STATE_PLANNED, {"已分工", "planned"}},
      {v1::REQUEST_STATE_IN_PROGRESS, {"执行中", "in progress"}},
      {v1::REQUEST_STATE_ACCEPTED, {"已验收", "accepted"}},
      {v1::REQUEST_STATE_ARCHIVED, {"已归档", "archived"}},
      {v1::REQUEST_STATE_CANCELLED, {"已取消", "cancelled"}},
  };
  auto it = kNames.find(state);
  if (it == kNames.end()) return "—";
  return English(language) ? it->second.second : it->second.first;
}

std::string TaskStateName(v1::TaskState state, ReportLanguage language) {
  static const std::map<v1::TaskState, std::pair<const char*, const char*>> kNames = {
      {v1::TASK_STATE_NOT_STARTED, {"未开始", "not started"}},
      {v1::TASK_STATE_READY, {"可开始", "ready"}},
      {v1::TASK_STATE_IN_PROGRESS, {"进行中", "in progress"}},
      {v1::TASK_STATE_BLOCKED, {"受阻", "blocked"}},
      {v1::TASK_STATE_SUBMITTED, {"待验收", "submitted"}},
      {v1::TASK_STATE_REWORK, {"整改中", "rework"}},
      {v1::TASK_STATE_DONE, {"已完成", "done"}},
      {v1::TASK_STATE_CANCELLED, {"已取消", "cancelled"}},
  };
  auto it = kNames.find(state);
  if (it == kNames.end()) return English(language) ? "not started" : "未开始";
  return English(language) ? it->second.second : it->second.first;
}

std::string PriorityName(v1::Priority priority, ReportLanguage language) {
  const bool en = English(language);
  switch (priority) {
    case v1::PRIORITY_LOW:
      return en ? "low" : "低";
    case v1::PRIORITY_HIGH:
      return en ? "high" : "高";
    case v1::PRIORITY_URGENT:
      return en ? "urgent" : "紧急";
    default:
      return en ? "normal" : "普通";
  }
}

std::string ComplexityName(v1::Complexity complexity, ReportLanguage language) {
  const bool en = English(language);
  switch (complexity) {
    case v1::COMPLEXITY_COMPLEX:
      return en ? "complex (collaboration platform)" : "复杂项目(线上协作平台)";
    case v1::COMPLEXITY_KEY_DECISION:
      return en ? "key decision (meeting with minutes)" : "关键决策(会议并记录纪要)";
    default:
      return en ? "simple (group chat)" : "简单事务(企业群)";
  }
}

std::string EventKindName(const std::string& field, ReportLanguage language) {
  static const std::map<std::string, std::pair<const char*, const char*>> kNames = {
      {"request_created", {"创建需求", "request created"}},
      {"request_submitted", {"提交需求", "request submitted"}},
      {"request_revised", {"修订需求", "request revised"}},
      {"response_recorded", {"接收方反馈", "receiver answered"}},
      {"request_confirmed", {"需求确认", "request confirmed"}},
      {"request_cancelled", {"取消需求", "request cancelled"}},
      {"kickoff_recorded", {"启动会", "kickoff recorded"}},
      {"plan_published", {"发布任务拆分清单", "plan published"}},
      {"reminder_sent", {"催办", "reminder sent"}},
      {"task_started", {"任务开始", "task started"}},
      {"progress_reported", {"进度反馈", "progress reported"}},
      {"report_missed", {"进度反馈逾期", "progress report missed"}},
      {"risk_raised", {"提出风险", "risk raised"}},
      {"risk_responded", {"回应风险", "risk answered"}},
      {"risk_resolved", {"风险解决", "risk resolved"}},
      {"resource_requested", {"资源申请", "resource requested"}},
      {"resource_decided", {"资源决定", "resource decided"}},
      {"plan_revised", {"调整计划", "plan revised"}},
      {"minutes_recorded", {"会议纪要", "minutes recorded"}},
      {"channel_recorded", {"沟通渠道", "channel recorded"}},
      {"escalation_sent", {"升级催办", "escalation sent"}},
  };
  auto it = kNames.find(field);
  if (it == kNames.end()) return field;
  return English(language) ? it->second.second : it->second.first;
}

}  // namespace collabflow::internal
