// The fixed words of the reports in each language (Chinese by default).
//
// Thread safety: immutable tables.
#ifndef COLLABFLOW_SRC_REPORT_LABELS_H_
#define COLLABFLOW_SRC_REPORT_LABELS_H_

#include <string>

#include "collabflow/report.h"
#include "collabflow/v1/acceptance.pb.h"
#include "collabflow/v1/request.pb.h"
#include "collabflow/v1/state.pb.h"
#include "collabflow/v1/tracking.pb.h"

namespace collabflow::internal {

struct Labels {
  const char* lang_tag;  // for <html lang>
  const char* title_prefix;
  const char* request_id;
  const char* state;
  const char* version;
  const char* initiator;
  const char* owner;
  const char* receivers;
  const char* priority;
  const char* complexity;
  const char* background;
  const char* goal;
  const char* final_deadline;
  const char* milestones;
  const char* generated_at;
  const char* record_table;
  const char* step;
  const char* responsible;
  const char* time_requirement;
  const char* started;
  const char* ended;
  const char* due;
  const char* met;
  const char* outputs;
  const char* members;
  const char* notes;
  const char* plan;
  const char* task_id;
  const char* task_name;
  const char* assignee;
  const char* duration_days;
  const char* early_start;
  const char* early_finish;
  const char* late_finish;
  const char* total_float;
  const char* critical;
  const char* predecessors;
  const char* task_state;
  const char* progress;
  const char* critical_path;
  const char* milestone;
  const char* planned_date;
  const char* forecast;
  const char* slack_days;
  const char* deadline_slack;
  const char* not_served;
  const char* gantt;
  const char* history;
  const char* time;
  const char* actor;
  const char* event;
  const char* detail;
  const char* no_plan;
  const char* today;
  const char* legend_critical;
  const char* legend_task;
  const char* legend_non_working;
  const char* legend_holiday;
  const char* legend_makeup;
  const char* legend_milestone;
  const char* makeup_mark;  // on a make-up working day's column
  const char* yes;
  const char* no;
  const char* days_unit;
};

const Labels& LabelsFor(ReportLanguage language);

std::string StepName(int step, const std::string& recorded, ReportLanguage language);
std::string RoleName(int step, const std::string& recorded, ReportLanguage language);
// The step's time rule: as recorded (Chinese), or in English from the step
// and the request's working-day settings.
std::string TimeRequirementText(int step, const std::string& recorded,
                                const v1::CollaborationRequest& request, ReportLanguage language);
std::string MetName(v1::ProcessStepRecord::Met met, ReportLanguage language);
std::string RequestStateName(v1::RequestState state, ReportLanguage language);
std::string TaskStateName(v1::TaskState state, ReportLanguage language);
std::string PriorityName(v1::Priority priority, ReportLanguage language);
std::string ComplexityName(v1::Complexity complexity, ReportLanguage language);
// An event's kind, from its payload field name (e.g. "response_recorded").
std::string EventKindName(const std::string& payload_field, ReportLanguage language);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_REPORT_LABELS_H_
