#include "base/name_fold.h"

#include <cstdint>

#include "base/utf8.h"

namespace collabflow::internal {
namespace {

void AppendUtf8(uint32_t c, std::string* out) {
  if (c < 0x80) {
    out->push_back(static_cast<char>(c));
  } else if (c < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (c >> 6)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else if (c < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (c >> 12)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (c >> 18)));
    out->push_back(static_cast<char>(0x80 | ((c >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((c >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (c & 0x3F)));
  }
}

uint32_t Fold(uint32_t c) {
  if (c == 0x3000) return ' ';                            // ideographic space
  if (c >= 0xFF01 && c <= 0xFF5E) c = c - 0xFF01 + 0x21;  // full-width ASCII
  if (c >= 'A' && c <= 'Z') c = c - 'A' + 'a';
  return c;
}

}  // namespace

std::string FoldName(absl::string_view name) {
  std::string out;
  out.reserve(name.size());
  const auto* p = reinterpret_cast<const uint8_t*>(name.data());
  const uint8_t* const end = p + name.size();
  while (p < end) {
    const uint8_t b = *p;
    const int len = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    if (end - p < len) break;
    uint32_t c = len == 1 ? b : len == 2 ? (b & 0x1F) : len == 3 ? (b & 0x0F) : (b & 0x07);
    for (int i = 1; i < len; ++i) c = (c << 6) | (p[i] & 0x3F);
    AppendUtf8(Fold(c), &out);
    p += len;
  }
  // Trim: the blank prefix and suffix (white space is ASCII after folding,
  // or one of the other Unicode spaces IsBlank knows).
  size_t begin = 0;
  while (begin < out.size()) {
    const size_t len = (static_cast<uint8_t>(out[begin]) < 0x80)   ? 1
                       : (static_cast<uint8_t>(out[begin]) < 0xE0) ? 2
                       : (static_cast<uint8_t>(out[begin]) < 0xF0) ? 3
                                                                   : 4;
    if (!IsBlank(absl::string_view(out).substr(begin, len))) break;
    begin += len;
  }
  size_t stop = out.size();
  while (stop > begin) {
    size_t start = stop - 1;
    while (start > begin && (static_cast<uint8_t>(out[start]) & 0xC0) == 0x80) --start;
    if (!IsBlank(absl::string_view(out).substr(start, stop - start))) break;
    stop = start;
  }
  return out.substr(begin, stop - begin);
}

}  // namespace collabflow::internal
