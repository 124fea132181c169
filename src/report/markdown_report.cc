#include "report/markdown_report.h"

#include "absl/strings/str_cat.h"
#include "report/escape.h"
#include "report/report_document.h"
#include "report/text_gantt.h"

namespace collabflow::internal {
namespace {

void AppendTable(const ReportTable& t, std::string* out) {
  absl::StrAppend(out, "\n|");
  for (const std::string& h : t.header) absl::StrAppend(out, " ", EscapeMarkdown(h), " |");
  absl::StrAppend(out, "\n|");
  for (size_t i = 0; i < t.header.size(); ++i) absl::StrAppend(out, " --- |");
  absl::StrAppend(out, "\n");
  for (size_t r = 0; r < t.rows.size(); ++r) {
    const bool strong = r < t.highlighted.size() && t.highlighted[r];
    absl::StrAppend(out, "|");
    for (size_t c = 0; c < t.rows[r].size(); ++c) {
      const std::string cell = EscapeMarkdown(t.rows[r][c]);
      absl::StrAppend(out, " ", strong && c == 0 ? absl::StrCat("**", cell, "**") : cell, " |");
    }
    absl::StrAppend(out, "\n");
  }
}

}  // namespace

std::string RenderMarkdown(const ReportInput& input, ReportLanguage language) {
  const ReportDocument doc = BuildReportDocument(input, language);
  std::string out = absl::StrCat("# ", EscapeMarkdown(doc.title), "\n\n");
  for (const auto& [label, value] : doc.facts) {
    absl::StrAppend(&out, "- **", EscapeMarkdown(label), "**: ", EscapeMarkdown(value), "\n");
  }
  for (const ReportSection& s : doc.sections) {
    absl::StrAppend(&out, "\n## ", EscapeMarkdown(s.title), "\n");
    if (s.gantt) {  // as text; the HTML report has it as SVG
      absl::StrAppend(&out, "\n```text\n", RenderTextGantt(input, language), "```\n");
    }
    for (const ReportTable& t : s.tables) AppendTable(t, &out);
    for (const std::string& p : s.paragraphs) absl::StrAppend(&out, "\n", EscapeMarkdown(p), "\n");
  }
  return out;
}

}  // namespace collabflow::internal
