// The two escapers character by character: what each format rewrites, and
// that everything else (UTF-8 text included) passes through unchanged.
#include "report/escape.h"

#include <string>

#include "gtest/gtest.h"

namespace collabflow::internal {
namespace {

struct Case {
  const char* text;
  const char* xml;       // EscapeXml(text)
  const char* markdown;  // EscapeMarkdown(text)
};

TEST(EscapeTest, EachFormatRewritesItsOwnSpecialsAndNothingElse) {
  const Case cases[] = {
      {"", "", ""},
      // HTML's specials: entities in both (Markdown passes HTML through).
      {"a & b <c>", "a &amp; b &lt;c&gt;", "a &amp; b &lt;c&gt;"},
      // Quotes: entities in XML (attribute values), plain in Markdown.
      {"\"q\" 'q'", "&quot;q&quot; &#39;q&#39;", "\"q\" 'q'"},
      // Markdown's specials: backslash-escaped in Markdown only.
      {"\\|*_`[]#", "\\|*_`[]#", "\\\\\\|\\*\\_\\`\\[\\]\\#"},
      // Line breaks: kept in XML, <br> in a Markdown cell (CR dropped).
      {"l1\r\nl2\nl3", "l1 \nl2\nl3", "l1<br>l2<br>l3"},
      // Tab is allowed in XML 1.0, other C0 controls are not.
      {"a\001b\tc\037d", "a b\tc d", "a\001b\tc\037d"},
      {"协作报告 ✓", "协作报告 ✓", "协作报告 ✓"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(EscapeXml(c.text), c.xml) << c.text;
    EXPECT_EQ(EscapeMarkdown(c.text), c.markdown) << c.text;
  }
}

TEST(EscapeTest, XmlReplacesNulWithASpace) { EXPECT_EQ(EscapeXml(std::string(1, '\0')), " "); }

}  // namespace
}  // namespace collabflow::internal
