// The Gantt chart as monospace text, for the Markdown report (a fenced code
// block renders the same everywhere, where inline SVG often does not). One
// column a day; ASCII only, so columns line up in any font.
//
// Thread safety: a pure function.
#ifndef COLLABFLOW_SRC_REPORT_TEXT_GANTT_H_
#define COLLABFLOW_SRC_REPORT_TEXT_GANTT_H_

#include <string>

#include "collabflow/report.h"
#include "records/report_input.h"

namespace collabflow::internal {

// "" without a schedule.
std::string RenderTextGantt(const ReportInput& input, ReportLanguage language);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_REPORT_TEXT_GANTT_H_
