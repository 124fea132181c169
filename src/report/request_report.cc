#include "report/request_report.h"

#include "base/status_macros.h"
#include "collabflow/engine.h"
#include "engine/state/directory_index.h"
#include "report/gantt_svg.h"
#include "report/html_report.h"
#include "report/markdown_report.h"

namespace collabflow {
namespace internal {

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

}  // namespace internal

absl::StatusOr<std::string> RenderReport(const Engine& engine, absl::string_view request_id,
                                         ReportFormat format, ReportLanguage language,
                                         absl::Time now) {
  CFLOW_ASSIGN_OR_RETURN(RequestHistory history, engine.ReadRequestHistory(request_id));
  CFLOW_ASSIGN_OR_RETURN(internal::DirectoryIndex index,
                         internal::DirectoryIndex::Build(history.directory));
  return internal::RenderReport(internal::MakeReportInput(history, index, engine.calendar(), now,
                                                          language == ReportLanguage::kEnglish
                                                              ? internal::RecordLanguage::kEnglish
                                                              : internal::RecordLanguage::kChinese),
                                format, language);
}

}  // namespace collabflow
