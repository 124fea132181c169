// A request's report as Markdown (GitHub-flavoured tables). User text is
// escaped (report/escape.h). The Gantt chart is a monospace text chart in a
// fenced code block (report/text_gantt.h).
//
// Thread safety: a pure function.
#ifndef COLLABFLOW_SRC_REPORT_MARKDOWN_REPORT_H_
#define COLLABFLOW_SRC_REPORT_MARKDOWN_REPORT_H_

#include <string>

#include "collabflow/report.h"
#include "records/report_input.h"

namespace collabflow::internal {

std::string RenderMarkdown(const ReportInput& input, ReportLanguage language);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_REPORT_MARKDOWN_REPORT_H_
