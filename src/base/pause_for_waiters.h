// Between two holds of a lock that commands wait for, a background task (a
// snapshot copying what changed a few items per hold) pauses briefly, so
// that a thread that was waiting for the lock, woken when it was let go,
// takes it first. std::mutex is not fair: taking it again at once, the task
// would win it back while the waiting thread is still waking (tens of
// microseconds), and a command would wait for the whole task rather than
// for one hold. The pause costs the task about 60 us per hold (the sleep's
// granularity with the kernel's default timer slack).
//
// Thread safety: thread-safe.
#ifndef COLLABFLOW_SRC_BASE_PAUSE_FOR_WAITERS_H_
#define COLLABFLOW_SRC_BASE_PAUSE_FOR_WAITERS_H_

#include <chrono>
#include <thread>

namespace collabflow::internal {

inline void PauseForWaiters() { std::this_thread::sleep_for(std::chrono::microseconds(10)); }

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_BASE_PAUSE_FOR_WAITERS_H_
