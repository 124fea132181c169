// A report as plain content: a title, key facts, and sections of paragraphs
// and tables, all as raw (unescaped) UTF-8 text. The Markdown and HTML
// renderers lay the same document out, so both always say the same thing.
//
// Thread safety: pure functions; the document is a plain value.
#ifndef COLLABFLOW_SRC_REPORT_REPORT_DOCUMENT_H_
#define COLLABFLOW_SRC_REPORT_REPORT_DOCUMENT_H_

#include <string>
#include <utility>
#include <vector>

#include "collabflow/report.h"
#include "records/report_input.h"

namespace collabflow::internal {

struct ReportTable {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<bool> highlighted;  // parallel to rows: critical tasks, missed steps
};

struct ReportSection {
  std::string id;  // an anchor: "record", "plan", "gantt", "history"
  std::string title;
  std::vector<std::string> paragraphs;
  std::vector<ReportTable> tables;
  bool gantt = false;  // the Gantt chart goes after the paragraphs
};

struct ReportDocument {
  std::string lang_tag;
  std::string title;
  std::vector<std::pair<std::string, std::string>> facts;
  std::vector<ReportSection> sections;
};

ReportDocument BuildReportDocument(const ReportInput& input, ReportLanguage language);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_REPORT_REPORT_DOCUMENT_H_
