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

// Writes the name of the stream `event` belongs to into `*out` (whose
// capacity is reused: no allocation once it is large enough).
inline void StreamNameOf(const v1::Event& event, std::string* out) {
  switch (event.payload_case()) {
    case v1::Event::kDirectoryUpdated:
      out->assign(kDirectoryStream.data(), kDirectoryStream.size());
      return;
    case v1::Event::kOutboxAcknowledged:
      out->assign(kOutboxStream.data(), kOutboxStream.size());
      return;
    default:
      out->assign(kRequestStreamPrefix.data(), kRequestStreamPrefix.size());
      out->append(event.request_id());
      return;
  }
}

// The stream `event` belongs to.
inline std::string StreamOf(const v1::Event& event) {
  std::string name;
  StreamNameOf(event, &name);
  return name;
}

// Whether `event` changes a request's record: an event of a request's
// stream with a payload.
inline bool IsRequestEvent(const v1::Event& event) {
  return event.payload_case() != v1::Event::kDirectoryUpdated &&
         event.payload_case() != v1::Event::kOutboxAcknowledged &&
         event.payload_case() != v1::Event::PAYLOAD_NOT_SET;
}

// Whether `event` belongs to a request's stream.
inline bool IsRequestStream(const v1::Event& event) {
  return event.payload_case() != v1::Event::kDirectoryUpdated &&
         event.payload_case() != v1::Event::kOutboxAcknowledged;
}

// Whether two events belong to the same stream (without naming it).
inline bool SameStream(const v1::Event& a, const v1::Event& b) {
  const auto kind = [](const v1::Event& e) {
    return e.payload_case() == v1::Event::kDirectoryUpdated     ? 1
           : e.payload_case() == v1::Event::kOutboxAcknowledged ? 2
                                                                : 0;
  };
  return kind(a) == kind(b) && (kind(a) != 0 || a.request_id() == b.request_id());
}

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_STREAMS_H_
