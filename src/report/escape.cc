#include "report/escape.h"

#include <array>

namespace collabflow::internal {
namespace {

// What a format writes for each byte instead of the byte itself (nullptr:
// the byte as it is). Both formats write & < > as entities: HTML and SVG
// need them, and Markdown passes HTML through.
using Replacements = std::array<const char*, 256>;

constexpr Replacements HtmlEntities() {
  Replacements r{};
  r['&'] = "&amp;";
  r['<'] = "&lt;";
  r['>'] = "&gt;";
  return r;
}

constexpr Replacements kXml = [] {
  Replacements r = HtmlEntities();
  r['"'] = "&quot;";
  r['\''] = "&#39;";
  // XML 1.0 forbids most control characters even as references.
  for (int c = 0; c < 0x20; ++c) {
    if (c != '\n' && c != '\t') r[c] = " ";
  }
  return r;
}();

constexpr Replacements kMarkdown = [] {
  Replacements r = HtmlEntities();
  // A table cell or line: line breaks as <br>, carriage returns dropped,
  // Markdown's own specials backslash-escaped.
  r['\n'] = "<br>";
  r['\r'] = "";
  r['\\'] = "\\\\";
  r['|'] = "\\|";
  r['*'] = "\\*";
  r['_'] = "\\_";
  r['`'] = "\\`";
  r['['] = "\\[";
  r[']'] = "\\]";
  r['#'] = "\\#";
  return r;
}();

std::string Escape(absl::string_view text, const Replacements& replacements) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const char* replacement = replacements[static_cast<unsigned char>(c)];
    if (replacement == nullptr) {
      out += c;
    } else {
      out += replacement;
    }
  }
  return out;
}

}  // namespace

std::string EscapeXml(absl::string_view text) { return Escape(text, kXml); }

std::string EscapeMarkdown(absl::string_view text) { return Escape(text, kMarkdown); }

}  // namespace collabflow::internal
