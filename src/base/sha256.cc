#include "base/sha256.h"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <cstdlib>

#include "absl/strings/str_cat.h"
#include "base/library_log.h"

namespace collabflow::internal {
namespace {

[[noreturn]] void Die(const char* what) {
  char reason[256];
  ERR_error_string_n(ERR_get_error(), reason, sizeof reason);
  // Nothing to answer and nothing to go on with (a broken installation):
  // the host's log callback hears why, then the process stops.
  Log(LogLevel::kError,
      absl::StrCat("collabflow: libcrypto cannot compute SHA-256 (", what, "): ", reason));
  std::abort();
}

// Fetched once: EVP_MD_fetch looks the algorithm up in the provider store,
// which costs as much as hashing a short message.
const EVP_MD* Sha256Md() {
  static const EVP_MD* const md = [] {
    EVP_MD* fetched = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    if (fetched == nullptr) Die("EVP_MD_fetch");
    return fetched;
  }();
  return md;
}

// Contexts between two Sha256 objects on one thread. A context keeps its
// provider state across messages, so reusing one saves the allocations and
// set-up of EVP_MD_CTX_new (and of its first initialization).
class ContextCache {
 public:
  ~ContextCache() {
    for (int i = 0; i < count_; ++i) EVP_MD_CTX_free(free_[i]);
  }
  EVP_MD_CTX* Take() {
    if (count_ > 0) return free_[--count_];
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    if (ctx == nullptr) Die("EVP_MD_CTX_new");
    return ctx;
  }
  void Give(EVP_MD_CTX* ctx) {
    if (count_ < kMax) {
      free_[count_++] = ctx;
    } else {
      EVP_MD_CTX_free(ctx);
    }
  }

 private:
  // More than a few Sha256 objects alive at once on one thread is rare.
  static constexpr int kMax = 4;
  EVP_MD_CTX* free_[kMax] = {};
  int count_ = 0;
};

thread_local ContextCache cache;

}  // namespace

Sha256::Sha256() : ctx_(cache.Take()) {}

Sha256::~Sha256() { cache.Give(ctx_); }

void Sha256::Update(absl::string_view data) {
  if (!started_) {
    if (EVP_DigestInit_ex2(ctx_, Sha256Md(), nullptr) != 1) Die("EVP_DigestInit_ex2");
    started_ = true;
  }
  if (EVP_DigestUpdate(ctx_, data.data(), data.size()) != 1) Die("EVP_DigestUpdate");
}

Sha256Digest Sha256::Finish() {
  if (!started_) Update({});
  Sha256Digest out;
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx_, out.data(), &size) != 1 || size != out.size()) {
    Die("EVP_DigestFinal_ex");
  }
  started_ = false;
  return out;
}

Sha256Digest Sha256Of(absl::string_view data) {
  Sha256 h;
  h.Update(data);
  return h.Finish();
}

std::string Sha256Bytes(absl::string_view data) {
  const Sha256Digest d = Sha256Of(data);
  return std::string(reinterpret_cast<const char*>(d.data()), d.size());
}

std::string HexEncode(absl::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

std::string Sha256Hex(absl::string_view data) { return HexEncode(Sha256Bytes(data)); }

}  // namespace collabflow::internal
