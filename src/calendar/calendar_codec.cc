#include "collabflow/calendar_codec.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "base/status_macros.h"
#include "base/utf8.h"
#include "calendar/calendar_proto.h"
#include "google/protobuf/io/tokenizer.h"
#include "google/protobuf/text_format.h"
#include "wire/proto_io.h"

namespace collabflow {
namespace {

// Collects text-format errors instead of letting protobuf log them.
class CollectingErrors : public google::protobuf::io::ErrorCollector {
 public:
  void AddError(int line, google::protobuf::io::ColumnNumber column,
                const std::string& message) override {
    errors_.push_back(absl::StrCat("line ", line + 1, ", column ", column + 1, ": ", message));
  }
  void AddWarning(int line, google::protobuf::io::ColumnNumber column,
                  const std::string& message) override {
    AddError(line, column, message);
  }
  std::string Joined() const { return absl::StrJoin(errors_, "; "); }

 private:
  std::vector<std::string> errors_;
};

absl::Status ParseText(absl::string_view text, google::protobuf::Message* out) {
  if (!internal::IsValidUtf8(text)) {
    return absl::InvalidArgumentError(absl::StrCat(out->GetTypeName(), " text is not valid UTF-8"));
  }
  if (text.size() > static_cast<size_t>(64 << 20)) {
    return absl::ResourceExhaustedError(absl::StrCat(out->GetTypeName(), " text of ", text.size(),
                                                     " bytes exceeds the limit of 64 MiB"));
  }
  CollectingErrors errors;
  google::protobuf::TextFormat::Parser parser;
  parser.RecordErrorsTo(&errors);
  if (!parser.ParseFromString(std::string(text), out)) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid ", out->GetTypeName(), " text: ", errors.Joined()));
  }
  return absl::OkStatus();
}

std::string PrintText(const google::protobuf::Message& message) {
  google::protobuf::TextFormat::Printer printer;
  printer.SetUseUtf8StringEscaping(true);
  std::string text;
  printer.PrintToString(message, &text);
  return text;
}

}  // namespace

absl::StatusOr<Calendar> ParseCalendarText(absl::string_view text) {
  v1::Calendar message;
  CFLOW_RETURN_IF_ERROR(ParseText(text, &message));
  CFLOW_ASSIGN_OR_RETURN(CalendarSpec spec, internal::FromProto(message));
  return Calendar::Create(spec);
}

std::string CalendarToText(const Calendar& calendar) {
  v1::Calendar message;
  internal::ToProto(calendar.spec(), &message);
  return PrintText(message);
}

absl::StatusOr<Calendar> DecodeCalendar(absl::string_view bytes) {
  v1::Calendar message;
  CFLOW_RETURN_IF_ERROR(internal::ParseBinary(bytes, &message));
  CFLOW_ASSIGN_OR_RETURN(CalendarSpec spec, internal::FromProto(message));
  return Calendar::Create(spec);
}

std::string EncodeCalendar(const Calendar& calendar) {
  v1::Calendar message;
  internal::ToProto(calendar.spec(), &message);
  return internal::SerializeBinary(message);
}

absl::StatusOr<CalendarOverlay> ParseCalendarOverlayText(absl::string_view text) {
  v1::CalendarOverlay message;
  CFLOW_RETURN_IF_ERROR(ParseText(text, &message));
  CFLOW_ASSIGN_OR_RETURN(CalendarOverlay overlay, internal::FromProto(message));
  CFLOW_RETURN_IF_ERROR(ValidateCalendarOverlay(overlay));
  return overlay;
}

std::string CalendarOverlayToText(const CalendarOverlay& overlay) {
  v1::CalendarOverlay message;
  internal::ToProto(overlay, &message);
  return PrintText(message);
}

}  // namespace collabflow
