#include "report/request_report.h"

#include "engine/state/schedule_view.h"
#include "records/process_record.h"
#include "report/gantt_svg.h"
#include "report/html_report.h"
#include "report/markdown_report.h"

namespace collabflow::internal {

ReportInput MakeReportInput(const RequestHistory& history, const v1::Directory& directory,
                            const DirectoryIndex& directory_index, const Calendar& calendar,
                            absl::Time now) {
  ReportInput in{history.record, std::nullopt, {}, history.events, directory, calendar, now};
  if (history.record.plan().tasks_size() > 0) {
    absl::StatusOr<v1::ScheduleView> schedule = BuildScheduleView(history.record, calendar);
    if (schedule.ok()) in.schedule = *std::move(schedule);
  }
  in.process_record = BuildProcessRecord(history.record, history.events, calendar, directory_index);
  return in;
}

std::string RenderReport(const ReportInput& input, ReportFormat format, ReportLanguage language) {
  switch (format) {
    case ReportFormat::kHtml:
      return RenderHtml(input, language);
    case ReportFormat::kGanttSvg:
      return RenderGanttSvg(input, language);
    case ReportFormat::kMarkdown:
      break;
  }
  return RenderMarkdown(input, language);
}

std::string RenderRequestReport(const RequestHistory& history, const v1::Directory& directory,
                                const DirectoryIndex& directory_index, const Calendar& calendar,
                                ReportFormat format, ReportLanguage language, absl::Time now) {
  return RenderReport(MakeReportInput(history, directory, directory_index, calendar, now), format,
                      language);
}

}  // namespace collabflow::internal
