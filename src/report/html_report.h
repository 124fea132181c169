// A request's report as one self-contained HTML page: inline CSS and the
// Gantt chart as inline SVG; no scripts, no external resources, so it can
// be mailed or archived as a single file. User text is escaped.
//
// Thread safety: a pure function.
#ifndef COLLABFLOW_SRC_REPORT_HTML_REPORT_H_
#define COLLABFLOW_SRC_REPORT_HTML_REPORT_H_

#include <string>

#include "collabflow/report.h"
#include "records/report_input.h"

namespace collabflow::internal {

std::string RenderHtml(const ReportInput& input, ReportLanguage language);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_REPORT_HTML_REPORT_H_
