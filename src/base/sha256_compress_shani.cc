// The SHA-256 compression function on the x86 SHA extensions (Intel's
// SHA-NI: sha256rnds2 does two rounds, sha256msg1/msg2 the message
// schedule). Compiled for those instructions only in this file; the
// dispatcher in sha256_compress.cc calls it only when the CPU has them.
#include "base/sha256_compress.h"

#if defined(__x86_64__) && defined(__GNUC__)

#include <immintrin.h>

namespace collabflow::internal {

__attribute__((target("sha,sse4.1,ssse3"))) void Sha256CompressBlocksShaNi(Sha256State& state,
                                                                           const uint8_t* data,
                                                                           size_t blocks) {
  // The instructions keep the state as two registers, ABEF and CDGH.
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i dcba = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[0]));
  __m128i hgfe = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[4]));
  const __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
  const __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);

  for (; blocks > 0; --blocks, data += 64) {
    const __m128i abef_in = abef;
    const __m128i cdgh_in = cdgh;
    // The message schedule, four words per register: w[g % 4] holds group
    // g's words (rounds 4g .. 4g+3) by the time its rounds run.
    __m128i w[4];
    for (int g = 0; g < 16; ++g) {
      if (g < 4) {
        w[g] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * g)),
                                byte_swap);
      }
      const __m128i x = w[g & 3];
      __m128i msg = _mm_add_epi32(
          x, _mm_load_si128(reinterpret_cast<const __m128i*>(&kSha256RoundConstants[4 * g])));
      cdgh = _mm_sha256rnds2_epu32(cdgh, abef, msg);
      msg = _mm_shuffle_epi32(msg, 0x0E);
      abef = _mm_sha256rnds2_epu32(abef, cdgh, msg);
      // Group g+1 = msg2(msg1(group g-3, group g-2) + W[t-7] words, group g),
      // where msg1 ran two groups ago and alignr picks W[t-7] from the raw
      // groups g-1 and g.
      if (g >= 3 && g <= 14) {
        __m128i& next = w[(g + 1) & 3];
        next = _mm_add_epi32(next, _mm_alignr_epi8(x, w[(g - 1) & 3], 4));
        next = _mm_sha256msg2_epu32(next, x);
      }
      // Start group g+3's schedule: msg1(group g-1, group g).
      if (g >= 1 && g <= 12) w[(g - 1) & 3] = _mm_sha256msg1_epu32(w[(g - 1) & 3], x);
    }
    abef = _mm_add_epi32(abef, abef_in);
    cdgh = _mm_add_epi32(cdgh, cdgh_in);
  }

  const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  dcba = _mm_blend_epi16(feba, dchg, 0xF0);
  hgfe = _mm_alignr_epi8(dchg, feba, 8);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[0]), dcba);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[4]), hgfe);
}

}  // namespace collabflow::internal

#endif
