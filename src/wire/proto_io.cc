#include "wire/proto_io.h"

#include <limits>

#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "base/utf8.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/json_util.h"
#include "wire/utf8_fields.h"

namespace collabflow::internal {

absl::Status ParseBinary(absl::string_view bytes, google::protobuf::Message* out) {
  if (bytes.size() > static_cast<size_t>(std::numeric_limits<int>::max())) {
    return absl::ResourceExhaustedError(absl::StrCat(out->GetTypeName(), ": input of ",
                                                     bytes.size(),
                                                     " bytes exceeds the 2 GiB protobuf limit"));
  }
  // Before libprotobuf sees them: it would log each bad string to stderr.
  CFLOW_RETURN_IF_ERROR(CheckUtf8Fields(out->GetDescriptor(), bytes));
  if (!out->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a valid ", out->GetTypeName(), " protobuf (", bytes.size(), " bytes)"));
  }
  return absl::OkStatus();
}

absl::Status ParseJson(absl::string_view json, google::protobuf::Message* out) {
  if (!IsValidUtf8(json)) {
    return absl::InvalidArgumentError(absl::StrCat(out->GetTypeName(), " JSON is not valid UTF-8"));
  }
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), out, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid ", out->GetTypeName(), " JSON: ", std::string(status.message())));
  }
  return absl::OkStatus();
}

std::string SerializeBinary(const google::protobuf::Message& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream raw(&bytes);
    google::protobuf::io::CodedOutputStream coded(&raw);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return bytes;
}

absl::StatusOr<std::string> PrintJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot print ", message.GetTypeName(),
                                            " as JSON: ", std::string(status.message())));
  }
  return json;
}

}  // namespace collabflow::internal
