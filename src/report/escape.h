// Escaping user text for the report formats: every string that comes from a
// request, a plan or a directory goes through one of these.
//
// Thread safety: pure functions.
#ifndef COLLABFLOW_SRC_REPORT_ESCAPE_H_
#define COLLABFLOW_SRC_REPORT_ESCAPE_H_

#include <string>

#include "absl/strings/string_view.h"

namespace collabflow::internal {

// & < > " ' as entities (HTML text, attribute values, SVG/XML).
std::string EscapeXml(absl::string_view text);
// For a Markdown table cell or line: < > & as entities (Markdown passes HTML
// through), Markdown's own specials backslash-escaped, line breaks as <br>.
std::string EscapeMarkdown(absl::string_view text);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_REPORT_ESCAPE_H_
