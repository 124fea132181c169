// An event's protobuf encoding, written without protobuf's serializer.
//
// Proto3 runs a UTF-8 check over every string field each time a message is
// serialized; sealing an event (sealed_batch.h) paid it on every text the
// event carries, although every text was checked once on the way in — a
// tenth of a simple command's time. WriteEventWire writes the same bytes as
// a deterministic serialization, without that second pass, from writers the
// build generates from the .proto files (tools/gen_event_wire.py), so they
// follow the schema whatever it becomes; tests/wire/event_wire_test.cc holds
// the bytes equal to protobuf's on random events of every kind.
//
// Thread safety: reads `event` only.
#ifndef COLLABFLOW_SRC_WIRE_EVENT_WIRE_H_
#define COLLABFLOW_SRC_WIRE_EVENT_WIRE_H_

#include <cstdint>

#include "collabflow/v1/event.pb.h"

namespace collabflow::internal {

// Writes `event` at `out` and returns the end: exactly event.ByteSizeLong()
// bytes, unless a message inside carries unknown fields (parsed from a newer
// writer's bytes), which only protobuf's serializer writes: then the result
// ends short of that (and nested lengths are wrong), and the caller must
// serialize with protobuf instead. Never writes past ByteSizeLong() bytes.
// REQUIRES: event.ByteSizeLong() was called after the last change to
// `event` (nested lengths come from the sizes it cached).
uint8_t* WriteEventWire(const v1::Event& event, uint8_t* out);

// The same for one notification (the outbox keeps them as bytes:
// outbox_log.h): exactly notification.ByteSizeLong() bytes unless it
// carries unknown fields. REQUIRES: as above, for `notification`.
uint8_t* WriteNotificationWire(const v1::Notification& notification, uint8_t* out);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_WIRE_EVENT_WIRE_H_
