// Finding every sub-message of one type inside a message, by reflection, so
// records can read fields that later schema versions add (a RequestRecord
// that gains submissions and reviews needs no change here).
//
// Thread safety: pure functions over their arguments.
#ifndef COLLABFLOW_SRC_WIRE_MESSAGE_WALK_H_
#define COLLABFLOW_SRC_WIRE_MESSAGE_WALK_H_

#include <vector>

#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace collabflow::internal {

// Every message of `type` reachable from `root` (root excluded), depth first
// in field-number order, repeated fields in order. A found message is not
// searched further. Pointers into `root`; valid while it is unchanged.
void FindAllOfType(const google::protobuf::Message& root, const google::protobuf::Descriptor* type,
                   std::vector<const google::protobuf::Message*>* out);

template <typename T>
std::vector<const T*> FindAll(const google::protobuf::Message& root) {
  std::vector<const google::protobuf::Message*> found;
  FindAllOfType(root, T::descriptor(), &found);
  std::vector<const T*> out;
  out.reserve(found.size());
  for (const google::protobuf::Message* m : found) out.push_back(static_cast<const T*>(m));
  return out;
}

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_WIRE_MESSAGE_WALK_H_
