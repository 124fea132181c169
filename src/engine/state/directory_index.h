// Lookups over the host's directory: people, departments, the management
// chain, and who may act for a department. Built once per directory version.
//
// Thread safety: immutable after Build(); safe to read from many threads.
#ifndef COLLABFLOW_SRC_ENGINE_STATE_DIRECTORY_INDEX_H_
#define COLLABFLOW_SRC_ENGINE_STATE_DIRECTORY_INDEX_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "collabflow/v1/directory.pb.h"

namespace collabflow::internal {

// Person ids viewed where they are kept (the directory, a request).
using PeopleViews = absl::InlinedVector<absl::string_view, 4>;

class DirectoryIndex {
 public:
  DirectoryIndex() = default;
  // Validates the directory: ids well-formed and unique, every referenced
  // person and department exists, and the superior chain has no cycle.
  static absl::StatusOr<DirectoryIndex> Build(const v1::Directory& directory);

  const v1::Person* FindPerson(absl::string_view id) const;
  const v1::Department* FindDepartment(absl::string_view id) const;
  bool HasPerson(absl::string_view id) const { return FindPerson(id) != nullptr; }
  // The person's superior ("" at the top of the chain or when unknown).
  std::string SuperiorOf(absl::string_view person_id) const;
  // The department's head followed by its delegates.
  std::vector<std::string> ActorsFor(absl::string_view department_id) const;
  // The same as views into this index (valid while it lives), without
  // allocating for the usual head and few delegates.
  PeopleViews ActorViews(absl::string_view department_id) const;
  // Whether ActorsFor(department_id) is non-empty, without building it.
  bool HasActorFor(absl::string_view department_id) const;
  bool MayActFor(absl::string_view person_id, absl::string_view department_id) const;
  // Every person whose department is `department_id`, in directory order.
  std::vector<std::string> MembersOf(absl::string_view department_id) const;

 private:
  v1::Directory directory_;
  absl::flat_hash_map<std::string, int> person_index_;
  absl::flat_hash_map<std::string, int> department_index_;
  absl::flat_hash_map<std::string, std::vector<std::string>> members_;
};

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_ENGINE_STATE_DIRECTORY_INDEX_H_
