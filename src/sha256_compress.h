// The SHA-256 compression function over whole 64-byte blocks, in two
// implementations with one answer: portable C++ and the x86 SHA extensions
// (SHA-NI), chosen once at run time by what the CPU reports. The hash chain
// hashes every event, so this is on the engine's command path.
//
// Thread safety: the functions are pure (they touch only their arguments).
#ifndef COLLABFLOW_SRC_SHA256_COMPRESS_H_
#define COLLABFLOW_SRC_SHA256_COMPRESS_H_

#include <array>
#include <cstddef>
#include <cstdint>

namespace collabflow::internal {

using Sha256State = std::array<uint32_t, 8>;

// Folds `blocks` consecutive 64-byte blocks at `data` into `state`.
void Sha256CompressBlocks(Sha256State& state, const uint8_t* data, size_t blocks);

// The two implementations, exposed so tests can hold them against each
// other. REQUIRES for the SHA-NI one: Sha256HardwareAvailable().
void Sha256CompressBlocksPortable(Sha256State& state, const uint8_t* data, size_t blocks);
void Sha256CompressBlocksShaNi(Sha256State& state, const uint8_t* data, size_t blocks);
bool Sha256HardwareAvailable();

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_SHA256_COMPRESS_H_
