// The streams of the engine's history (event_store.h): each request's
// events are a stream of their own, "request/<id>"; directory updates are
// "directory" and outbox acknowledgements "outbox". Which stream an event
// belongs to follows from its content, so the hash that covers the content
// covers the stream too.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_STREAMS_H_
#define COLLABFLOW_SRC_ENGINE_STATE_STREAMS_H_

#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "collabflow/v1/event.pb.h"

namespace collabflow::internal {

inline constexpr absl::string_view kRequestStreamPrefix = "request/";
inline constexpr absl::string_view kDirectoryStream = "directory";
inline constexpr absl::string_view kOutboxStream = "outbox";

inline std::string RequestStream(absl::string_view request_id) {
  return absl::StrCat(kRequestStreamPrefix, request_id);
}

// The stream `event` belongs to.
inline std::string StreamOf(const v1::Event& event) {
  switch (event.payload_case()) {
    case v1::Event::kDirectoryUpdated:
      return std::string(kDirectoryStream);
    case v1::Event::kOutboxAcknowledged:
      return std::string(kOutboxStream);
    default:
      return RequestStream(event.request_id());
  }
}

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_STREAMS_H_
