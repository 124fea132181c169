// Documented input limits. Inputs beyond them are refused with
// RESOURCE_EXHAUSTED (too many / too long) or INVALID_ARGUMENT (out of range),
// naming the field and the limit; nothing is half-applied.
#ifndef COLLABFLOW_LIMITS_H_
#define COLLABFLOW_LIMITS_H_

#include <cstddef>

namespace collabflow {

inline constexpr size_t kMaxIdBytes = 128;
inline constexpr size_t kMaxShortTextBytes = 512;       // topic, names, titles
inline constexpr size_t kMaxLongTextBytes = 64 * 1024;  // background, goal, notes
inline constexpr size_t kMaxReceivers = 64;
inline constexpr size_t kMaxSigners = 64;
inline constexpr size_t kMaxResources = 256;
inline constexpr size_t kMaxMilestones = 256;
// A plan is published in one event (one journal record, so a publication is
// all or nothing); a million tasks with short names is ~80 MB, well inside
// kMaxStoreRecordBytes (event_store.h).
inline constexpr size_t kMaxTasksPerPlan = 1000000;
// Any time rule ("answer within N working days").
inline constexpr int kMaxTimeRuleWorkingDays = 250;
// A task's duration and a dependency's lag, in working days.
inline constexpr int kMaxDurationWorkingDays = 10000;
inline constexpr int kMaxLagWorkingDays = 10000;
inline constexpr size_t kMaxDeliveryStandardItems = 64;
inline constexpr size_t kMaxPredecessorsPerTask = 1000;
inline constexpr size_t kMaxDirectoryEntries = 1000000;
// Dates the engine accepts (the calendar kernel's supported range).
inline constexpr int kMinYear = 1970;
inline constexpr int kMaxYear = 2199;

}  // namespace collabflow

#endif  // COLLABFLOW_LIMITS_H_
