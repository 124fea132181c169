// Records through the C ABI: history verification, the process record
// table, the archive bundle (export and verification) and the reports.
#include <string>

#include "absl/strings/str_cat.h"
#include "boundary.h"
#include "collabflow.h"
#include "collabflow/archive.h"
#include "collabflow/engine.h"
#include "collabflow/process_record.h"
#include "collabflow/report.h"
#include "engine_handle.h"
#include "message_io.h"

namespace {

using collabflow::capi::CopyOut;
using collabflow::capi::EncodeMessage;
using collabflow::capi::FindEngine;
using collabflow::capi::Guard;
using collabflow::capi::InputBytes;
using collabflow::capi::RequireNonNull;

absl::Status RequestId(const char* text, std::string* out) {
  return collabflow::capi::TextArg(text, "request_id", /*optional=*/false, /*required=*/false, out);
}

}  // namespace

extern "C" {

CFLOW_EXPORT cflow_status cflow_engine_verify_history(cflow_engine* engine) {
  return Guard([&]() -> absl::Status {
    auto e = FindEngine(engine);
    if (!e.ok()) return e.status();
    return (*e)->VerifyHistory();
  });
}

CFLOW_EXPORT cflow_status cflow_engine_process_record(void** out, size_t* out_len,
                                                      cflow_engine* engine, cflow_format format,
                                                      const char* request_id) {
  return Guard([&]() -> absl::Status {
    auto e = FindEngine(engine);
    if (!e.ok()) return e.status();
    std::string id;
    if (auto s = RequestId(request_id, &id); !s.ok()) return s;
    auto table = collabflow::GetProcessRecord(**e, id);
    if (!table.ok()) return table.status();
    return EncodeMessage(*table, format, out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_engine_export_archive(uint8_t** out, size_t* out_len,
                                                      cflow_engine* engine,
                                                      const char* request_id) {
  return Guard([&]() -> absl::Status {
    if (auto s = RequireNonNull(out, "out"); !s.ok()) return s;
    if (auto s = RequireNonNull(out_len, "out_len"); !s.ok()) return s;
    auto e = FindEngine(engine);
    if (!e.ok()) return e.status();
    std::string id;
    if (auto s = RequestId(request_id, &id); !s.ok()) return s;
    auto bytes = collabflow::ExportArchive(**e, id);
    if (!bytes.ok()) return bytes.status();
    return CopyOut(*bytes, out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_archive_verify(void** out, size_t* out_len, cflow_format format,
                                               const uint8_t* bundle, size_t bundle_len) {
  return Guard([&]() -> absl::Status {
    if ((out == nullptr) != (out_len == nullptr)) {
      return absl::InvalidArgumentError("out, out_len: both NULL or both set");
    }
    absl::string_view bytes;
    if (auto s = InputBytes(bundle, bundle_len, "bundle", &bytes); !s.ok()) return s;
    auto read = collabflow::ReadArchive(bytes);
    if (!read.ok()) return read.status();
    if (out == nullptr) return absl::OkStatus();
    return EncodeMessage(*read, format, out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_engine_report(char** out, size_t* out_len, cflow_engine* engine,
                                              const char* request_id, cflow_report_format format,
                                              cflow_language language, int64_t now_unix_micros) {
  return Guard([&]() -> absl::Status {
    if (auto s = RequireNonNull(out, "out"); !s.ok()) return s;
    if (auto s = RequireNonNull(out_len, "out_len"); !s.ok()) return s;
    auto e = FindEngine(engine);
    if (!e.ok()) return e.status();
    std::string id;
    if (auto s = RequestId(request_id, &id); !s.ok()) return s;
    collabflow::ReportFormat f;
    switch (format) {
      case CFLOW_REPORT_MARKDOWN:
        f = collabflow::ReportFormat::kMarkdown;
        break;
      case CFLOW_REPORT_HTML:
        f = collabflow::ReportFormat::kHtml;
        break;
      case CFLOW_REPORT_GANTT_SVG:
        f = collabflow::ReportFormat::kGanttSvg;
        break;
      default:
        return absl::InvalidArgumentError(absl::StrCat("format: unknown report format ", format));
    }
    collabflow::ReportLanguage l;
    switch (language) {
      case CFLOW_LANGUAGE_CHINESE:
        l = collabflow::ReportLanguage::kChinese;
        break;
      case CFLOW_LANGUAGE_ENGLISH:
        l = collabflow::ReportLanguage::kEnglish;
        break;
      default:
        return absl::InvalidArgumentError(absl::StrCat("language: unknown language ", language));
    }
    auto text = collabflow::RenderReport(**e, id, f, l, absl::FromUnixMicros(now_unix_micros));
    if (!text.ok()) return text.status();
    return CopyOut(*text, out, out_len);
  });
}

}  // extern "C"
