// "Within N working days" deadlines and working-day arithmetic on the shipped
// mainland-China calendar: the kernel (rank/select tables, O(1) in N) against
// the peer, a day-by-day walk (tests/calendar/calendar_reference.h, O(N)), on the same
// 1,000,000 random filing instants (2025-2026, Asia/Shanghai). The kernel runs
// exactly 1,000,000 deadlines per case; the walk as many as its time allows.
#include <cstdint>
#include <random>
#include <vector>

#include "benchmark/benchmark.h"
#include "calendar/calendar_reference.h"
#include "collabflow/calendar.h"
#include "collabflow/calendar_codec.h"

namespace {

using collabflow::Calendar;
using collabflow::testing::ReferenceCalendar;

constexpr int kInputs = 1000000;

const std::vector<absl::Time>& Instants() {
  static const auto* const instants = [] {
    const absl::TimeZone& zone = Calendar::ChinaMainland().time_zone();
    const int64_t lo = absl::ToUnixSeconds(absl::FromCivil(absl::CivilSecond(2025, 1, 1), zone));
    const int64_t hi = absl::ToUnixSeconds(absl::FromCivil(absl::CivilSecond(2027, 1, 1), zone));
    std::mt19937_64 rng(2026);
    std::uniform_int_distribution<int64_t> pick(lo, hi - 1);
    auto* v = new std::vector<absl::Time>;
    for (int i = 0; i < kInputs; ++i) v->push_back(absl::FromUnixSeconds(pick(rng)));
    return v;
  }();
  return *instants;
}

const std::vector<absl::CivilDay>& Days() {
  static const auto* const days = [] {
    auto* v = new std::vector<absl::CivilDay>;
    const absl::TimeZone& zone = Calendar::ChinaMainland().time_zone();
    for (absl::Time t : Instants()) v->push_back(absl::ToCivilDay(t, zone));
    return v;
  }();
  return *days;
}

void BM_Deadline_Kernel(benchmark::State& state) {
  const Calendar& calendar = Calendar::ChinaMainland();
  const std::vector<absl::Time>& in = Instants();
  const int n = static_cast<int>(state.range(0));
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(calendar.DeadlineWithinWorkingDays(in[i], n));
    if (++i == in.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Deadline_Kernel)->Arg(1)->Arg(20)->Arg(250)->Arg(10000)->Iterations(kInputs);

void BM_Deadline_Walk(benchmark::State& state) {
  const ReferenceCalendar walk(Calendar::ChinaMainland().spec());
  const std::vector<absl::Time>& in = Instants();
  const int n = static_cast<int>(state.range(0));
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(walk.DeadlineWithinWorkingDays(in[i], n));
    if (++i == in.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Deadline_Walk)->Arg(1)->Arg(20)->Arg(250)->Arg(10000);

void BM_AddWorkingDays_Kernel(benchmark::State& state) {
  const Calendar& calendar = Calendar::ChinaMainland();
  const std::vector<absl::CivilDay>& in = Days();
  const int64_t n = state.range(0);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(calendar.AddWorkingDays(in[i], n));
    if (++i == in.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddWorkingDays_Kernel)->Arg(250)->Arg(10000)->Iterations(kInputs);

void BM_AddWorkingDays_Walk(benchmark::State& state) {
  const ReferenceCalendar walk(Calendar::ChinaMainland().spec());
  const std::vector<absl::CivilDay>& in = Days();
  const int64_t n = state.range(0);
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(walk.AddWorkingDays(in[i], n));
    if (++i == in.size()) i = 0;
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AddWorkingDays_Walk)->Arg(250)->Arg(10000);

// Building a calendar from its spec (the zone's table is cached per process):
// the cost of a person overlay.
void BM_WithOverlay(benchmark::State& state) {
  const Calendar& calendar = Calendar::ChinaMainland();
  const collabflow::CalendarOverlay leave{
      "p-li", {{absl::CivilDay(2026, 9, 21), collabflow::DayKind::kLeave, "年假"}}};
  for (auto _ : state) benchmark::DoNotOptimize(calendar.WithOverlay(leave));
}
BENCHMARK(BM_WithOverlay)->Unit(benchmark::kMicrosecond);

}  // namespace
