// One request's history as the records read it (Engine::ReadRequestHistory).
//
// Thread safety: a plain value.
#ifndef COLLABFLOW_REQUEST_HISTORY_H_
#define COLLABFLOW_REQUEST_HISTORY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/time/time.h"
#include "collabflow/v1/directory.pb.h"
#include "collabflow/v1/event.pb.h"
#include "collabflow/v1/state.pb.h"

namespace collabflow {

// One request's history as the records read it (process_record.h,
// archive.h, report.h): its record, and its events — its stream — in order,
// each with its position and the hash of the event before it, so that they
// can be verified apart from the rest.
struct RequestHistory {
  v1::RequestRecord record;
  std::vector<v1::Event> events;
  std::vector<std::string> prev_hashes;  // parallel to `events`
  // The request's stream as it stood when read: its last event's hash and
  // version; and the engine's directory.
  std::string head_hash;
  uint64_t last_version = 0;
  v1::Directory directory;
  absl::Time read_at;  // by the engine's clock
};

}  // namespace collabflow

#endif  // COLLABFLOW_REQUEST_HISTORY_H_
