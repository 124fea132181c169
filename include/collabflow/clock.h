// An injectable source of "now". Domain logic never reads the wall clock:
// commands carry their time, and hosts that omit it get the engine's clock.
//
// Thread safety: implementations must be safe to call from many threads.
#ifndef COLLABFLOW_CLOCK_H_
#define COLLABFLOW_CLOCK_H_

#include <atomic>

#include "absl/time/clock.h"
#include "absl/time/time.h"

namespace collabflow {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual absl::Time Now() const = 0;
};

// The wall clock.
class SystemClock final : public Clock {
 public:
  absl::Time Now() const override { return absl::Now(); }
  static const SystemClock& Get() {
    static const SystemClock clock;
    return clock;
  }
};

// A clock that stands still until told to move: for tests and replays.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(absl::Time start) : micros_(absl::ToUnixMicros(start)) {}
  absl::Time Now() const override { return absl::FromUnixMicros(micros_.load()); }
  void Set(absl::Time t) { micros_.store(absl::ToUnixMicros(t)); }
  void Advance(absl::Duration d) { micros_.fetch_add(absl::ToInt64Microseconds(d)); }

 private:
  std::atomic<int64_t> micros_;
};

}  // namespace collabflow

#endif  // COLLABFLOW_CLOCK_H_
