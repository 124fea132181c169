// SHA-256 (FIPS 180-4), for the hash chain over events and the digests of an
// archive bundle, computed by OpenSSL's libcrypto (which picks the CPU's SHA
// extensions, or its vector code, at run time). The EVP_MD is fetched once
// per process, and contexts are reused (see Sha256): a fresh context per
// message costs about a third of hashing a 430-byte event.
//
// Thread safety: a Sha256 object is not thread-safe: one message at a time,
// from one thread at a time. Any number of Sha256 objects may hash on
// different threads at once (they share only the read-only EVP_MD and a
// per-thread cache of contexts), and the free functions are thread-safe.
//
// Failure: libcrypto fails to hash only without memory or without a SHA-256
// implementation (a broken OpenSSL configuration); the process is then
// aborted with libcrypto's reason, since no event could be sealed anyway.
#ifndef COLLABFLOW_SRC_BASE_SHA256_H_
#define COLLABFLOW_SRC_BASE_SHA256_H_

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

// libcrypto's context type (EVP_MD_CTX), named without its headers.
struct evp_md_ctx_st;

namespace collabflow::internal {

inline constexpr size_t kSha256Bytes = 32;
using Sha256Digest = std::array<uint8_t, kSha256Bytes>;

// Incremental hashing: Update any number of times, then Finish; the object
// then starts the next message. Making one per message is cheap: its context
// comes from a per-thread cache and goes back to it on destruction.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void Update(absl::string_view data);
  // The digest of everything given to Update since construction or the last
  // Finish; the object is then ready for a new message.
  Sha256Digest Finish();

 private:
  evp_md_ctx_st* ctx_;
  bool started_ = false;  // the context holds a message begun by Update
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
