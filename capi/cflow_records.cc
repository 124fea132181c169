// Records through the C ABI: history verification, the process record
// table, the archive bundle (export and verification) and the reports.
#include <string>

#include "base/status_macros.h"
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
using collabflow::capi::EncodeResult;
using collabflow::capi::EnumArg;
using collabflow::capi::FindEngine;
using collabflow::capi::FindRequestArgs;
using collabflow::capi::Guard;
using collabflow::capi::InputBytes;
using collabflow::capi::RequestArgs;
using collabflow::capi::RequireNonNull;

// The C constants are the positions in these tables (collabflow.h).
constexpr collabflow::ReportFormat kReportFormats[] = {collabflow::ReportFormat::kMarkdown,
                                                       collabflow::ReportFormat::kHtml,
                                                       collabflow::ReportFormat::kGanttSvg};
static_assert(CFLOW_REPORT_MARKDOWN == 0 && CFLOW_REPORT_HTML == 1 && CFLOW_REPORT_GANTT_SVG == 2);
constexpr collabflow::ReportLanguage kLanguages[] = {collabflow::ReportLanguage::kChinese,
                                                     collabflow::ReportLanguage::kEnglish};
static_assert(CFLOW_LANGUAGE_CHINESE == 0 && CFLOW_LANGUAGE_ENGLISH == 1);

}  // namespace

extern "C" {

CFLOW_EXPORT cflow_status cflow_engine_verify_history(cflow_engine* engine) {
  return Guard([&]() -> absl::Status {
    auto e = FindEngine(engine);
    if (!e.ok()) return e.status();
    return (*e)->VerifyHistory();
  });
}

CFLOW_EXPORT cflow_status cflow_engine_process_record(uint8_t** out, size_t* out_len,
                                                      cflow_engine* engine, cflow_format format,
                                                      const char* request_id) {
  return Guard([&]() -> absl::Status {
    CFLOW_ASSIGN_OR_RETURN(RequestArgs args, FindRequestArgs(engine, request_id));
    return EncodeResult(collabflow::GetProcessRecord(*args.engine, args.request_id), format, out,
                        out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_engine_export_archive(uint8_t** out, size_t* out_len,
                                                      cflow_engine* engine,
                                                      const char* request_id) {
  return Guard([&]() -> absl::Status {
    if (auto s = RequireNonNull(out, "out"); !s.ok()) return s;
    if (auto s = RequireNonNull(out_len, "out_len"); !s.ok()) return s;
    CFLOW_ASSIGN_OR_RETURN(RequestArgs args, FindRequestArgs(engine, request_id));
    auto bytes = collabflow::ExportArchive(*args.engine, args.request_id);
    if (!bytes.ok()) return bytes.status();
    return CopyOut(*bytes, out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_archive_verify(uint8_t** out, size_t* out_len, cflow_format format,
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
    CFLOW_ASSIGN_OR_RETURN(RequestArgs args, FindRequestArgs(engine, request_id));
    CFLOW_ASSIGN_OR_RETURN(collabflow::ReportFormat f, EnumArg(format, kReportFormats, "format"));
    CFLOW_ASSIGN_OR_RETURN(collabflow::ReportLanguage l, EnumArg(language, kLanguages, "language"));
    auto text = collabflow::RenderReport(*args.engine, args.request_id, f, l,
                                         absl::FromUnixMicros(now_unix_micros));
    if (!text.ok()) return text.status();
    return CopyOut(*text, out, out_len);
  });
}

}  // extern "C"
