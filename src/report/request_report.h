// A report in the format asked for: the renderer it names (markdown_report.h,
// html_report.h, gantt_svg.h) over the report's input (records/report_input.h).
//
// Thread safety: a pure function.
#ifndef COLLABFLOW_SRC_REPORT_REQUEST_REPORT_H_
#define COLLABFLOW_SRC_REPORT_REQUEST_REPORT_H_

#include <string>

#include "collabflow/report.h"
#include "records/report_input.h"

namespace collabflow::internal {

std::string RenderReport(const ReportInput& input, ReportFormat format, ReportLanguage language);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_REPORT_REQUEST_REPORT_H_
