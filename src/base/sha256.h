// SHA-256 (FIPS 180-4), for the hash chain over events and the digests of an
// archive bundle. Our own implementation: small, dependency-free, checked
// against the NIST example vectors (tests/base/sha256_test.cc).
//
// Thread safety: a Sha256 object is not thread-safe; the free functions are.
#ifndef COLLABFLOW_SRC_BASE_SHA256_H_
#define COLLABFLOW_SRC_BASE_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"
#include "base/sha256_compress.h"

namespace collabflow::internal {

inline constexpr size_t kSha256Bytes = 32;
using Sha256Digest = std::array<uint8_t, kSha256Bytes>;

// Incremental hashing: Update any number of times, then Finish once.
class Sha256 {
 public:
  Sha256();
  void Update(absl::string_view data);
  // REQUIRES: called once; the object must not be updated afterwards.
  Sha256Digest Finish();

 private:
  Sha256State state_;
  std::array<uint8_t, 64> buffer_;
  size_t buffered_ = 0;
  uint64_t length_bytes_ = 0;
};

Sha256Digest Sha256Of(absl::string_view data);
// The digest as 32 raw bytes in a string (for `bytes` proto fields).
std::string Sha256Bytes(absl::string_view data);
// Lowercase hex, 64 characters.
std::string Sha256Hex(absl::string_view data);
// Lowercase hex of any bytes.
std::string HexEncode(absl::string_view bytes);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_BASE_SHA256_H_
