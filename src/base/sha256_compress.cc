#include "base/sha256_compress.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <cpuid.h>
#endif

namespace collabflow::internal {
namespace {

inline uint32_t RotateRight(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }

}  // namespace

void Sha256CompressBlocksPortable(Sha256State& state, const uint8_t* data, size_t blocks) {
  for (; blocks > 0; --blocks, data += 64) {
    uint32_t w[64];
    for (int i = 0; i < 16; ++i) {
      w[i] = (uint32_t{data[4 * i]} << 24) | (uint32_t{data[4 * i + 1]} << 16) |
             (uint32_t{data[4 * i + 2]} << 8) | uint32_t{data[4 * i + 3]};
    }
    for (int i = 16; i < 64; ++i) {
      const uint32_t s0 = RotateRight(w[i - 15], 7) ^ RotateRight(w[i - 15], 18) ^ (w[i - 15] >> 3);
      const uint32_t s1 = RotateRight(w[i - 2], 17) ^ RotateRight(w[i - 2], 19) ^ (w[i - 2] >> 10);
      w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = state[0], b = state[1], c = state[2], d = state[3];
    uint32_t e = state[4], f = state[5], g = state[6], h = state[7];
    for (int i = 0; i < 64; ++i) {
      const uint32_t s1 = RotateRight(e, 6) ^ RotateRight(e, 11) ^ RotateRight(e, 25);
      const uint32_t ch = (e & f) ^ (~e & g);
      const uint32_t t1 = h + s1 + ch + kSha256RoundConstants[i] + w[i];
      const uint32_t s0 = RotateRight(a, 2) ^ RotateRight(a, 13) ^ RotateRight(a, 22);
      const uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
      const uint32_t t2 = s0 + maj;
      h = g;
      g = f;
      f = e;
      e = d + t1;
      d = c;
      c = b;
      b = a;
      a = t1 + t2;
    }
    state[0] += a;
    state[1] += b;
    state[2] += c;
    state[3] += d;
    state[4] += e;
    state[5] += f;
    state[6] += g;
    state[7] += h;
  }
}

#if defined(__x86_64__) && defined(__GNUC__)

namespace {

// CPUID: leaf 7 EBX bit 29 = SHA; leaf 1 ECX bit 19 = SSE4.1, bit 9 = SSSE3.
// Asked directly: clang's __builtin_cpu_supports knows no "sha".
bool DetectShaExtensions() {
  unsigned eax = 0, ebx = 0, ecx = 0, edx = 0;
  if (__get_cpuid(1, &eax, &ebx, &ecx, &edx) == 0) return false;
  const bool sse41 = (ecx >> 19) & 1;
  const bool ssse3 = (ecx >> 9) & 1;
  if (__get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) == 0) return false;
  const bool sha = (ebx >> 29) & 1;
  return sha && sse41 && ssse3;
}

}  // namespace

bool Sha256HardwareAvailable() {
  static const bool available = DetectShaExtensions();
  return available;
}

void Sha256CompressBlocks(Sha256State& state, const uint8_t* data, size_t blocks) {
  if (Sha256HardwareAvailable()) {
    Sha256CompressBlocksShaNi(state, data, blocks);
  } else {
    Sha256CompressBlocksPortable(state, data, blocks);
  }
}

#else

bool Sha256HardwareAvailable() { return false; }

void Sha256CompressBlocks(Sha256State& state, const uint8_t* data, size_t blocks) {
  Sha256CompressBlocksPortable(state, data, blocks);
}

// Never called without hardware support; kept so tests link everywhere.
void Sha256CompressBlocksShaNi(Sha256State& state, const uint8_t* data, size_t blocks) {
  Sha256CompressBlocksPortable(state, data, blocks);
}

#endif

}  // namespace collabflow::internal
