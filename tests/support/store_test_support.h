// Test support for the event store suites: a scratch directory, and a small
// deterministic state machine standing in for the engine (records are
// "set key=value" / "delete key" commands; the folded state is a map; the
// state hash is a CRC over its canonical encoding). Tests only.
#ifndef COLLABFLOW_TESTS_SUPPORT_STORE_TEST_SUPPORT_H_
#define COLLABFLOW_TESTS_SUPPORT_STORE_TEST_SUPPORT_H_

#include <stdlib.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "collabflow/event_store.h"
#include "store/crc32c.h"

namespace collabflow::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with its contents.
class ScratchDir {
 public:
  ScratchDir() {
    const char* tmp = getenv("TMPDIR");
    std::string pattern =
        absl::StrCat(tmp != nullptr && *tmp ? tmp : "/tmp", "/cflow-store-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) abort();
    path_ = pattern;
  }
  ~ScratchDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }
  // A path inside the scratch directory (the store directory itself, usually).
  std::string Sub(absl::string_view name) const { return absl::StrCat(path_, "/", name); }

 private:
  std::string path_;
};

// The reference model: a command is "S<key>=<value>" or "D<key>".
class KvModel {
 public:
  static std::string Set(absl::string_view key, absl::string_view value) {
    return absl::StrCat("S", key, "=", value);
  }
  static std::string Delete(absl::string_view key) { return absl::StrCat("D", key); }

  // A random valid command over a small key space (so deletes hit).
  static std::string RandomCommand(std::mt19937_64& rng) {
    const std::string key = absl::StrCat("k", rng() % 37);
    if (rng() % 4 == 0) return Delete(key);
    std::string value(rng() % 120, 'a');
    for (char& c : value) c = static_cast<char>('a' + rng() % 26);
    return Set(key, value);
  }

  absl::Status Apply(absl::string_view command) {
    if (command.empty()) return absl::InvalidArgumentError("empty command");
    if (command[0] == 'D') {
      map_.erase(std::string(command.substr(1)));
      return absl::OkStatus();
    }
    const size_t eq = command.find('=');
    if (command[0] != 'S' || eq == absl::string_view::npos) {
      return absl::InvalidArgumentError(absl::StrCat("bad command: ", command));
    }
    map_[std::string(command.substr(1, eq - 1))] = std::string(command.substr(eq + 1));
    return absl::OkStatus();
  }

  // Canonical encoding: the snapshot state and the input of Hash().
  std::string Encode() const {
    std::string out;
    for (const auto& [k, v] : map_) absl::StrAppend(&out, k.size(), ":", k, v.size(), ":", v);
    return out;
  }
  absl::Status Decode(absl::string_view bytes) {
    map_.clear();
    while (!bytes.empty()) {
      std::string parts[2];
      for (std::string& part : parts) {
        const size_t colon = bytes.find(':');
        size_t n = 0;
        if (colon == absl::string_view::npos) return absl::DataLossError("bad model state");
        for (char c : bytes.substr(0, colon)) n = n * 10 + static_cast<size_t>(c - '0');
        if (colon + 1 + n > bytes.size()) return absl::DataLossError("bad model state");
        part = std::string(bytes.substr(colon + 1, n));
        bytes.remove_prefix(colon + 1 + n);
      }
      map_[parts[0]] = parts[1];
    }
    return absl::OkStatus();
  }
  uint32_t Hash() const { return internal::crc32c::Value(Encode()); }
  const std::map<std::string, std::string>& map() const { return map_; }

 private:
  std::map<std::string, std::string> map_;
};

// What the engine does at open: the latest snapshot, then every record after it.
struct Recovered {
  KvModel model;
  uint64_t snapshot_covers = 0;
  std::vector<std::string> tail;  // records after the snapshot, in order
};
inline absl::StatusOr<Recovered> Replay(const EventStore& store) {
  Recovered r;
  absl::StatusOr<std::optional<EventStore::Snapshot>> snap = store.LatestSnapshot();
  if (!snap.ok()) return snap.status();
  if (snap->has_value()) {
    r.snapshot_covers = (*snap)->covers;
    if (absl::Status s = r.model.Decode((*snap)->state); !s.ok()) return s;
  }
  uint64_t expect = r.snapshot_covers + 1;
  absl::Status s = store.ReadAll(r.snapshot_covers, [&](const StoredRecord& record) {
    if (record.position != expect++)
      return absl::InternalError(absl::StrCat("out of order: ", record.position));
    r.tail.emplace_back(record.payload);
    return r.model.Apply(record.payload);
  });
  if (!s.ok()) return s;
  return r;
}

// A file's bytes (empty if it cannot be read).
inline std::string ReadBytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}
// Replaces a file's bytes.
inline void WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
}
// The paths of the files in `dir` whose names start with `prefix`, sorted.
inline std::vector<std::string> Files(const std::string& dir, absl::string_view prefix) {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    if (absl::StartsWith(name, prefix)) out.push_back(e.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace collabflow::testing

#endif  // COLLABFLOW_TESTS_SUPPORT_STORE_TEST_SUPPORT_H_
