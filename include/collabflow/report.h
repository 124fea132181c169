// Reports people can read about a request: Markdown, a self-contained HTML
// page, or the Gantt chart as SVG, in Chinese or English.
//
// Thread safety: may be called from any thread.
#ifndef COLLABFLOW_REPORT_H_
#define COLLABFLOW_REPORT_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"

namespace collabflow {

class Engine;  // engine.h

enum class ReportFormat {
  kMarkdown = 0,
  kHtml = 1,      // one self-contained page: inline CSS and SVG, no scripts
  kGanttSvg = 2,  // the Gantt chart alone
};

enum class ReportLanguage {
  kChinese = 0,  // the default
  kEnglish = 1,
};

// The report of the request as its history stands (Engine::ReadRequestHistory),
// as of `now` (the Gantt chart's today line). UTF-8. NOT_FOUND if unknown.
absl::StatusOr<std::string> RenderReport(const Engine& engine, absl::string_view request_id,
                                         ReportFormat format, ReportLanguage language,
                                         absl::Time now);

}  // namespace collabflow

#endif  // COLLABFLOW_REPORT_H_
