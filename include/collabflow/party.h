// A reference to a person or a department of the host's directory.
//
// Thread safety: plain value.
#ifndef COLLABFLOW_PARTY_H_
#define COLLABFLOW_PARTY_H_

#include <string>

namespace collabflow {

struct PartyRef {
  enum class Kind { kNone = 0, kPerson, kDepartment };
  Kind kind = Kind::kNone;
  std::string id;

  static PartyRef Person(std::string id) { return {Kind::kPerson, std::move(id)}; }
  static PartyRef Department(std::string id) { return {Kind::kDepartment, std::move(id)}; }
  bool empty() const { return kind == Kind::kNone; }
  bool operator==(const PartyRef& o) const { return kind == o.kind && id == o.id; }
  bool operator!=(const PartyRef& o) const { return !(*this == o); }
};

}  // namespace collabflow

#endif  // COLLABFLOW_PARTY_H_
