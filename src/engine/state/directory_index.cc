#include "engine/state/directory_index.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "base/input_checks.h"
#include "base/status_macros.h"
#include "collabflow/limits.h"

namespace collabflow::internal {

absl::StatusOr<DirectoryIndex> DirectoryIndex::Build(const v1::Directory& directory) {
  DirectoryIndex index;
  CFLOW_RETURN_IF_ERROR(
      CheckCount("directory.people", directory.people_size(), kMaxDirectoryEntries));
  CFLOW_RETURN_IF_ERROR(
      CheckCount("directory.departments", directory.departments_size(), kMaxDirectoryEntries));
  for (int i = 0; i < directory.people_size(); ++i) {
    const v1::Person& p = directory.people(i);
    const std::string f = absl::StrCat("directory.people[", i, "]");
    CFLOW_RETURN_IF_ERROR(CheckId(f + ".id", p.id()));
    CFLOW_RETURN_IF_ERROR(CheckText(f + ".name", p.name(), kMaxShortTextBytes));
    if (!index.person_index_.emplace(p.id(), i).second) {
      return absl::InvalidArgumentError(absl::StrCat(f, ".id: duplicate id \"", p.id(), "\""));
    }
  }
  for (int i = 0; i < directory.departments_size(); ++i) {
    const v1::Department& d = directory.departments(i);
    const std::string f = absl::StrCat("directory.departments[", i, "]");
    CFLOW_RETURN_IF_ERROR(CheckId(f + ".id", d.id()));
    CFLOW_RETURN_IF_ERROR(CheckText(f + ".name", d.name(), kMaxShortTextBytes));
    if (!index.department_index_.emplace(d.id(), i).second) {
      return absl::InvalidArgumentError(absl::StrCat(f, ".id: duplicate id \"", d.id(), "\""));
    }
    if (!d.head_id().empty() && !index.person_index_.contains(d.head_id())) {
      return absl::InvalidArgumentError(
          absl::StrCat(f, ".head_id: unknown person \"", d.head_id(), "\""));
    }
    for (int j = 0; j < d.delegate_ids_size(); ++j) {
      if (!index.person_index_.contains(d.delegate_ids(j))) {
        return absl::InvalidArgumentError(
            absl::StrCat(f, ".delegate_ids[", j, "]: unknown person \"", d.delegate_ids(j), "\""));
      }
    }
  }
  for (int i = 0; i < directory.people_size(); ++i) {
    const v1::Person& p = directory.people(i);
    const std::string f = absl::StrCat("directory.people[", i, "]");
    if (!p.department_id().empty()) {
      if (!index.department_index_.contains(p.department_id())) {
        return absl::InvalidArgumentError(
            absl::StrCat(f, ".department_id: unknown department \"", p.department_id(), "\""));
      }
      index.members_[p.department_id()].push_back(p.id());
    }
    if (!p.superior_id().empty() && !index.person_index_.contains(p.superior_id())) {
      return absl::InvalidArgumentError(
          absl::StrCat(f, ".superior_id: unknown person \"", p.superior_id(), "\""));
    }
  }
  // The management chain must end: walk each chain at most |people| steps.
  const int n = directory.people_size();
  for (int i = 0; i < n; ++i) {
    int steps = 0;
    const v1::Person* p = &directory.people(i);
    while (!p->superior_id().empty()) {
      if (++steps > n) {
        return absl::InvalidArgumentError(absl::StrCat("directory: the superior chain from \"",
                                                       directory.people(i).id(), "\" is a cycle"));
      }
      p = &directory.people(index.person_index_.at(p->superior_id()));
    }
  }
  index.directory_ = directory;
  return index;
}

const v1::Person* DirectoryIndex::FindPerson(absl::string_view id) const {
  auto it = person_index_.find(id);
  return it == person_index_.end() ? nullptr : &directory_.people(it->second);
}

const v1::Department* DirectoryIndex::FindDepartment(absl::string_view id) const {
  auto it = department_index_.find(id);
  return it == department_index_.end() ? nullptr : &directory_.departments(it->second);
}

std::string DirectoryIndex::SuperiorOf(absl::string_view person_id) const {
  const v1::Person* p = FindPerson(person_id);
  return p == nullptr ? std::string() : p->superior_id();
}

std::vector<std::string> DirectoryIndex::ActorsFor(absl::string_view department_id) const {
  const PeopleViews views = ActorViews(department_id);
  return std::vector<std::string>(views.begin(), views.end());
}

PeopleViews DirectoryIndex::ActorViews(absl::string_view department_id) const {
  PeopleViews actors;
  const v1::Department* d = FindDepartment(department_id);
  if (d == nullptr) return actors;
  if (!d->head_id().empty()) actors.push_back(d->head_id());
  for (const std::string& id : d->delegate_ids()) {
    if (std::find(actors.begin(), actors.end(), id) == actors.end()) actors.push_back(id);
  }
  return actors;
}

bool DirectoryIndex::HasActorFor(absl::string_view department_id) const {
  const v1::Department* d = FindDepartment(department_id);
  return d != nullptr && (!d->head_id().empty() || d->delegate_ids_size() > 0);
}

bool DirectoryIndex::MayActFor(absl::string_view person_id, absl::string_view department_id) const {
  const v1::Department* d = FindDepartment(department_id);
  if (d == nullptr || person_id.empty()) return false;
  if (d->head_id() == person_id) return true;
  return std::find(d->delegate_ids().begin(), d->delegate_ids().end(), person_id) !=
         d->delegate_ids().end();
}

std::vector<std::string> DirectoryIndex::MembersOf(absl::string_view department_id) const {
  auto it = members_.find(department_id);
  return it == members_.end() ? std::vector<std::string>() : it->second;
}

}  // namespace collabflow::internal
