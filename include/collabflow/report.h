// The kinds of report the engine renders for a request (Engine::Report).
//
// Thread safety: plain enums.
#ifndef COLLABFLOW_REPORT_H_
#define COLLABFLOW_REPORT_H_

namespace collabflow {

enum class ReportFormat {
  kMarkdown = 0,
  kHtml = 1,      // one self-contained page: inline CSS and SVG, no scripts
  kGanttSvg = 2,  // the Gantt chart alone
};

enum class ReportLanguage {
  kChinese = 0,  // the default
  kEnglish = 1,
};

}  // namespace collabflow

#endif  // COLLABFLOW_REPORT_H_
