// A small XML well-formedness checker for the tests (no DTDs, no
// processing instructions beyond an XML declaration): one root element,
// matching start and end tags, quoted unique attributes, only the five
// predefined entities and character references, no raw '<' or '&' in text.
#ifndef COLLABFLOW_TESTS_REPORT_XML_WELL_FORMED_H_
#define COLLABFLOW_TESTS_REPORT_XML_WELL_FORMED_H_

#include <cctype>
#include <set>
#include <string>
#include <vector>

namespace collabflow::testing {

// "" when well-formed, else what is wrong and where (byte offset).
inline std::string XmlProblem(const std::string& xml) {
  size_t i = 0;
  std::vector<std::string> open;
  int roots = 0;
  auto fail = [&](const std::string& what) { return what + " at byte " + std::to_string(i); };
  auto name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == ':' ||
           c == '.' || (static_cast<unsigned char>(c) & 0x80);
  };
  auto check_entity = [&](size_t& k) -> bool {  // at '&'
    size_t end = xml.find(';', k);
    if (end == std::string::npos || end - k > 10) return false;
    const std::string ent = xml.substr(k + 1, end - k - 1);
    static const std::set<std::string> kNamed = {"amp", "lt", "gt", "quot", "apos"};
    bool ok = kNamed.count(ent) > 0;
    if (!ok && ent.size() > 1 && ent[0] == '#') {
      ok = true;
      const bool hex = ent[1] == 'x';
      for (size_t j = hex ? 2 : 1; j < ent.size(); ++j) {
        ok = ok && (hex ? std::isxdigit(static_cast<unsigned char>(ent[j]))
                        : std::isdigit(static_cast<unsigned char>(ent[j])));
      }
    }
    k = end + 1;
    return ok;
  };
  if (xml.compare(0, 5, "<?xml") == 0) {
    i = xml.find("?>");
    if (i == std::string::npos) return "unterminated XML declaration";
    i += 2;
  }
  while (i < xml.size()) {
    const char c = xml[i];
    if (c == '<') {
      if (xml.compare(i, 4, "<!--") == 0) {
        size_t end = xml.find("-->", i);
        if (end == std::string::npos) return fail("unterminated comment");
        i = end + 3;
        continue;
      }
      const bool closing = i + 1 < xml.size() && xml[i + 1] == '/';
      size_t k = i + (closing ? 2 : 1);
      size_t start = k;
      while (k < xml.size() && name_char(xml[k])) ++k;
      const std::string name = xml.substr(start, k - start);
      if (name.empty()) return fail("tag without a name");
      if (closing) {
        while (k < xml.size() && std::isspace(static_cast<unsigned char>(xml[k]))) ++k;
        if (k >= xml.size() || xml[k] != '>') return fail("malformed end tag </" + name);
        if (open.empty() || open.back() != name) {
          return fail("end tag </" + name + "> does not match <" +
                      (open.empty() ? std::string("(none)") : open.back()) + ">");
        }
        open.pop_back();
        i = k + 1;
        continue;
      }
      if (open.empty()) {
        if (++roots > 1) return fail("a second root element <" + name + ">");
      }
      std::set<std::string> attrs;
      bool self_closing = false;
      while (true) {
        while (k < xml.size() && std::isspace(static_cast<unsigned char>(xml[k]))) ++k;
        if (k >= xml.size()) return fail("unterminated tag <" + name);
        if (xml[k] == '>') break;
        if (xml[k] == '/' && k + 1 < xml.size() && xml[k + 1] == '>') {
          self_closing = true;
          ++k;
          break;
        }
        size_t a = k;
        while (k < xml.size() && name_char(xml[k])) ++k;
        const std::string attr = xml.substr(a, k - a);
        if (attr.empty()) return fail("bad attribute in <" + name);
        if (!attrs.insert(attr).second) return fail("duplicate attribute " + attr);
        if (k >= xml.size() || xml[k] != '=') return fail("attribute " + attr + " without value");
        ++k;
        if (k >= xml.size() || (xml[k] != '"' && xml[k] != '\'')) {
          return fail("unquoted attribute " + attr);
        }
        const char q = xml[k++];
        while (k < xml.size() && xml[k] != q) {
          if (xml[k] == '<') return fail("'<' in attribute " + attr);
          if (xml[k] == '&') {
            if (!check_entity(k)) return fail("bad entity in attribute " + attr);
            continue;
          }
          ++k;
        }
        if (k >= xml.size()) return fail("unterminated attribute " + attr);
        ++k;
      }
      if (!self_closing) open.push_back(name);
      i = k + 1;
    } else if (c == '&') {
      size_t k = i;
      if (!check_entity(k)) return fail("bad entity");
      i = k;
    } else {
      if (open.empty() && !std::isspace(static_cast<unsigned char>(c))) {
        return fail("text outside the root element");
      }
      ++i;
    }
  }
  if (!open.empty()) return "unclosed element <" + open.back() + ">";
  if (roots != 1) return "no root element";
  return "";
}

}  // namespace collabflow::testing

#endif  // COLLABFLOW_TESTS_REPORT_XML_WELL_FORMED_H_
