#include "report/html_report.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "report/escape.h"
#include "report/gantt_svg.h"
#include "report/report_document.h"

namespace collabflow::internal {
namespace {

constexpr char kStyle[] = R"css(
body { font-family: 'Noto Sans CJK SC', 'Noto Sans SC', 'PingFang SC', 'Microsoft YaHei', sans-serif;
       margin: 24px; color: #222; font-size: 14px; line-height: 1.45; }
h1 { font-size: 22px; margin: 0 0 12px; }
h2 { font-size: 17px; margin: 26px 0 8px; border-bottom: 2px solid #4a90d9; padding-bottom: 3px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 3px 14px; margin: 0; }
dl.facts dt { font-weight: bold; color: #555; }
dl.facts dd { margin: 0; }
table { border-collapse: collapse; margin: 6px 0 10px; width: 100%; }
th, td { border: 1px solid #ccc; padding: 4px 6px; vertical-align: top; text-align: left; }
th { background: #eef3fa; white-space: nowrap; }
tr.highlight td { background: #fdecec; }
tr.highlight td:first-child { border-left: 3px solid #d64541; }
.gantt { overflow-x: auto; border: 1px solid #ddd; padding: 4px; }
p { margin: 4px 0; }
table.record td:nth-child(4), table.record td:nth-child(5), table.record td:nth-child(6),
table.history td:nth-child(2) { white-space: nowrap; }
)css";

std::string CellText(const std::string& s) {
  return absl::StrReplaceAll(EscapeXml(s), {{"\n", "<br>"}});
}

}  // namespace

std::string RenderHtml(const ReportInput& input, ReportLanguage language) {
  const ReportDocument doc = BuildReportDocument(input, language);
  std::string out =
      absl::StrCat("<!DOCTYPE html>\n<html lang=\"", doc.lang_tag,
                   "\">\n<head>\n<meta charset=\"utf-8\">\n<title>", EscapeXml(doc.title),
                   "</title>\n<style>", kStyle, "</style>\n</head>\n<body>\n<h1>",
                   EscapeXml(doc.title), "</h1>\n<dl class=\"facts\">\n");
  for (const auto& [label, value] : doc.facts) {
    absl::StrAppend(&out, "<dt>", EscapeXml(label), "</dt><dd>", CellText(value), "</dd>\n");
  }
  absl::StrAppend(&out, "</dl>\n");
  for (const ReportSection& s : doc.sections) {
    absl::StrAppend(&out, "<section id=\"", s.id, "\">\n<h2>", EscapeXml(s.title), "</h2>\n");
    for (const ReportTable& t : s.tables) {
      absl::StrAppend(&out, "<table class=\"", s.id, "\">\n<thead><tr>");
      for (const std::string& h : t.header) absl::StrAppend(&out, "<th>", EscapeXml(h), "</th>");
      absl::StrAppend(&out, "</tr></thead>\n<tbody>\n");
      for (size_t r = 0; r < t.rows.size(); ++r) {
        const bool strong = r < t.highlighted.size() && t.highlighted[r];
        absl::StrAppend(&out, strong ? "<tr class=\"highlight\">" : "<tr>");
        for (const std::string& c : t.rows[r]) absl::StrAppend(&out, "<td>", CellText(c), "</td>");
        absl::StrAppend(&out, "</tr>\n");
      }
      absl::StrAppend(&out, "</tbody>\n</table>\n");
    }
    for (const std::string& p : s.paragraphs) absl::StrAppend(&out, "<p>", CellText(p), "</p>\n");
    if (s.gantt) {
      absl::StrAppend(&out, "<div class=\"gantt\">\n", RenderGanttSvg(input, language), "</div>\n");
    }
    absl::StrAppend(&out, "</section>\n");
  }
  absl::StrAppend(&out, "</body>\n</html>\n");
  return out;
}

}  // namespace collabflow::internal
