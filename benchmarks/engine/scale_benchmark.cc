// The scale suite of issue 20: a year of a large company in a durable store,
// at 1k, 10k and 100k requests (1M with --long or COLLABFLOW_LONG_TESTS=1),
// and what the engine's costs do as the history grows.
//
// A plain program, not a Google Benchmark fixture loop: each size needs a
// store built once (tens of seconds at 100k), then each figure is measured in
// a fresh forked process, so that every open is the process's first (resident
// memory before and after it means something) and every request is untouched
// at the start. Only the public API (include/collabflow/) and the test support
// headers are used, so the suite builds and measures any engine behind them.
//
// The store: a year of a large company (tests/support/company_year.h),
// about 72% archived, 7% cancelled and 21% open at every stage (an archived
// request takes 23 commands; the mean is printed). The host acknowledges the outbox every
// 1,000 requests. Built with Durability::kNoSync, then a snapshot
// (Engine::WriteSnapshot). Beside it, for the memory split, a store of the
// same open requests alone.
//
// The figures (medians of --reps runs where a run is cheap):
//  - open, cold (every store file fdatasync'ed and dropped from the page
//    cache with posix_fadvise(POSIX_FADV_DONTNEED)), without the snapshot (a
//    directory of hard links to every store file but snapshot-*) and with it;
//    peer in the same run: the bare store (OpenDirectoryStore, which verifies
//    every record, then ReadAll, no fold), the floor of open-without-snapshot;
//  - VerifyHistory in events/s (events counted with ReadEvents), warm; floor:
//    the bare store's ReadAll of the same journal, warm;
//  - VmRSS before and after open, per request and per open request; and the
//    store of the open requests alone, whose difference is what the archived
//    and cancelled requests keep resident;
//  - one progress report on a running request untouched since open (first
//    touch) and, at once, a second on the same request (just touched):
//    p50/p99 over up to 200 distinct requests;
//  - Overdue with nothing overdue; MustDo per row for the 10 people with the
//    most rows;
//  - WriteSnapshot alone, following the changes since the snapshot the
//    store opened with (2,000 commands on up to 500 requests; the build's
//    figure is the whole index's); then command latency of a stream of
//    progress reports (one every millisecond, each timed from when it was
//    due to start, so a command held up behind another counts its wait)
//    while a thread runs WriteSnapshot (following 500 more), against the
//    same stream without it.
// Commands are executed with Durability::kNoSync: the engine's cost, not
// the disk's.
//
// Usage: scale_benchmark [--sizes=1000,10000,100000] [--long] [--dir=PATH]
//                        [--json=FILE] [--reuse] [--reps=3]
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/time/clock.h"
#include "absl/time/time.h"
#include "collabflow/engine.h"
#include "collabflow/event_store.h"
#include "collabflow/version.h"
#include "support/commands.h"
#include "support/company_year.h"
#include "support/seed_scenario.h"

namespace collabflow {
namespace {

namespace fs = std::filesystem;
using Figures = std::map<std::string, double>;

using namespace testing;  // NOLINT: the company's vocabulary (company_year.h)

// Bump when the generated workload changes: --reuse keys stores by it.
constexpr int kWorkloadVersion = 1;
// When the queries and the commands of the measurements happen.
const absl::Time kNow = kAfterTheYear;

// ---------------------------------------------------------------------------
// Measuring.

double Ms(absl::Duration d) { return absl::ToDoubleMilliseconds(d); }
double Us(absl::Duration d) { return absl::ToDoubleMicroseconds(d); }

double Percentile(std::vector<double> v, double p) {
  if (v.empty()) return NAN;
  std::sort(v.begin(), v.end());
  const size_t rank = static_cast<size_t>(std::ceil(p * static_cast<double>(v.size())));
  return v[std::min(v.size() - 1, rank == 0 ? 0 : rank - 1)];
}
double Median(std::vector<double> v) { return Percentile(std::move(v), 0.5); }

// A field of /proc/self/status in kB (VmRSS, VmHWM, RssAnon); 0 if absent.
double StatusKb(absl::string_view field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (!absl::StartsWith(line, field) || line.size() <= field.size() ||
        line[field.size()] != ':') {
      continue;
    }
    std::vector<absl::string_view> parts =
        absl::StrSplit(absl::string_view(line).substr(field.size() + 1), ' ', absl::SkipEmpty());
    double kb = 0;
    for (absl::string_view part : parts) {
      if (absl::SimpleAtod(absl::StripAsciiWhitespace(part), &kb)) return kb;
    }
  }
  return 0;
}

std::string CpuModel() {
  std::ifstream in("/proc/cpuinfo");
  std::string line, model;
  int cpus = 0;
  while (std::getline(in, line)) {
    if (absl::StartsWith(line, "processor")) ++cpus;
    if (model.empty() && absl::StartsWith(line, "model name")) {
      model = std::string(absl::StripAsciiWhitespace(line.substr(line.find(':') + 1)));
    }
  }
  return absl::StrCat(model.empty() ? "unknown CPU" : model, ", ", cpus, " logical CPUs");
}

// Makes every file under `dir` cold: written back, then dropped from the
// page cache (POSIX_FADV_DONTNEED drops clean pages only, hence the sync).
void DropCache(const std::string& dir) {
  std::error_code ec;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir, ec)) {
    if (!e.is_regular_file()) continue;
    const int fd = open(e.path().c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) continue;
    fdatasync(fd);
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
  }
}

[[noreturn]] void Fail(const std::string& what) {
  std::fprintf(stderr, "scale_benchmark: %s\n", what.c_str());
  std::exit(1);
}

// Runs `fn` in a forked process and returns the figures it reports; the
// parent never opens an engine, so each child starts small and untouched.
Figures InChild(const std::function<absl::Status(Figures&)>& fn) {
  int fds[2];
  if (pipe(fds) != 0) Fail("pipe failed");
  std::fflush(stdout);
  std::fflush(stderr);
  const pid_t pid = fork();
  if (pid < 0) Fail("fork failed");
  if (pid == 0) {
    close(fds[0]);
    Figures figures;
    const absl::Status s = fn(figures);
    if (!s.ok()) {
      std::fprintf(stderr, "scale_benchmark: %s\n", s.ToString().c_str());
      std::fflush(stderr);
      _exit(1);
    }
    std::string out;
    for (const auto& [key, value] : figures) absl::StrAppendFormat(&out, "%s %.17g\n", key, value);
    for (size_t done = 0; done < out.size();) {
      const ssize_t n = write(fds[1], out.data() + done, out.size() - done);
      if (n <= 0) _exit(1);
      done += static_cast<size_t>(n);
    }
    close(fds[1]);
    std::fflush(stdout);
    _exit(0);
  }
  close(fds[1]);
  std::string in;
  char buf[4096];
  for (ssize_t n; (n = read(fds[0], buf, sizeof buf)) != 0;) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    in.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) Fail("a measuring process failed");
  Figures figures;
  for (absl::string_view line : absl::StrSplit(in, '\n', absl::SkipEmpty())) {
    std::pair<std::string, std::string> kv = absl::StrSplit(line, ' ');
    double v = 0;
    if (absl::SimpleAtod(kv.second, &v)) figures[kv.first] = v;
  }
  return figures;
}

absl::StatusOr<std::unique_ptr<Engine>> OpenEngine(const std::string& dir) {
  EngineOptions options;
  options.store_dir = dir;
  options.store.durability = Durability::kNoSync;
  options.store.create_if_missing = false;
  return Engine::Open(std::move(options));
}

#define SCALE_RETURN_IF_ERROR(expr)                    \
  do {                                                 \
    if (absl::Status s_ = (expr); !s_.ok()) return s_; \
  } while (0)

// Which requests of the n a store holds.
enum class Subset {
  kAll,
  kOpenOnly,  // the open ones alone: what the closed ones add is the difference
  kNone,      // the directory alone: the engine's fixed memory
};

// Builds the store of n requests in `dir` (or a subset) and writes its
// snapshot.
absl::Status BuildStore(const std::string& dir, int64_t n, Subset subset, Figures& f) {
  EngineOptions options;
  options.store_dir = dir;
  options.store.durability = Durability::kNoSync;  // the fastest, for building
  absl::StatusOr<std::unique_ptr<Engine>> opened = Engine::Open(std::move(options));
  if (!opened.ok()) return opened.status();
  Engine& engine = **opened;
  const absl::Time start = absl::Now();
  SCALE_RETURN_IF_ERROR(engine
                            .Execute(testing::UpdateDirectoryCommand(CompanyDirectory(),
                                                                     kYearStart - absl::Hours(24)))
                            .status());
  int64_t commands = 1, requests = 0;
  for (int64_t i = 0; i < n; ++i) {
    const Profile p = ProfileOf(i, n);
    if (subset == Subset::kNone) break;
    if (subset == Subset::kOpenOnly && !IsOpen(p.fate)) continue;
    int step = 0;
    for (v1::Command& c : Lifecycle(p).Build()) {
      absl::StatusOr<v1::CommandResult> r = engine.Execute(std::move(c));
      if (!r.ok()) {
        return absl::Status(r.status().code(),
                            absl::StrCat(p.id, " command ", step + 1, ": ", r.status().message()));
      }
      ++step;
      ++commands;
    }
    if (++requests % 1000 == 0) {
      // The host has delivered what waits, as hosts do.
      SCALE_RETURN_IF_ERROR(engine.AcknowledgeOutbox(engine.LastPosition()));
      ++commands;
    }
    if (n >= 100000 && (i + 1) % (n / 10) == 0) {
      std::fprintf(stderr, "  built %lld of %lld requests (%.0f s)\n",
                   static_cast<long long>(i + 1), static_cast<long long>(n),
                   absl::ToDoubleSeconds(absl::Now() - start));
    }
  }
  SCALE_RETURN_IF_ERROR(engine.AcknowledgeOutbox(engine.LastPosition()));
  f["build_s"] = absl::ToDoubleSeconds(absl::Now() - start);
  f["commands"] = static_cast<double>(commands + 1);
  f["requests"] = static_cast<double>(requests);
  const absl::Time snap = absl::Now();
  SCALE_RETURN_IF_ERROR(engine.WriteSnapshot());
  f["build_snapshot_ms"] = Ms(absl::Now() - snap);
  opened->reset();
  return absl::OkStatus();
}

// A fresh process's first open: time and resident memory.
absl::Status MeasureOpen(const std::string& dir, Figures& f) {
  const double rss0 = StatusKb("VmRSS"), anon0 = StatusKb("RssAnon");
  const absl::Time start = absl::Now();
  absl::StatusOr<std::unique_ptr<Engine>> engine = OpenEngine(dir);
  const absl::Duration took = absl::Now() - start;
  if (!engine.ok()) return engine.status();
  f["open_ms"] = Ms(took);
  f["rss_kb"] = StatusKb("VmRSS") - rss0;
  f["anon_kb"] = StatusKb("RssAnon") - anon0;
  f["hwm_kb"] = StatusKb("VmHWM") - rss0;
  f["requests"] = static_cast<double>((*engine)->RequestIds().size());
  engine->reset();
  return absl::OkStatus();
}

// The bare store: open (which verifies every record) and read every record,
// no fold; then read them again, warm.
absl::Status MeasureStoreFloor(const std::string& dir, Figures& f) {
  StoreOptions options;
  options.durability = Durability::kNoSync;
  options.create_if_missing = false;
  const absl::Time t0 = absl::Now();
  absl::StatusOr<std::unique_ptr<EventStore>> store = OpenDirectoryStore(dir, options);
  if (!store.ok()) return store.status();
  const absl::Time t1 = absl::Now();
  uint64_t records = 0, bytes = 0;
  auto count = [&](const StoredRecord& r) {
    ++records;
    bytes += r.payload.size();
    return absl::OkStatus();
  };
  SCALE_RETURN_IF_ERROR((*store)->ReadAll(0, count));
  const absl::Time t2 = absl::Now();
  records = bytes = 0;
  SCALE_RETURN_IF_ERROR((*store)->ReadAll(0, count));
  const absl::Time t3 = absl::Now();
  f["store_open_ms"] = Ms(t1 - t0);
  f["read_all_ms"] = Ms(t2 - t1);
  f["read_all_warm_ms"] = Ms(t3 - t2);
  f["records"] = static_cast<double>(records);
  f["record_bytes"] = static_cast<double>(bytes);
  return (*store)->Close();
}

absl::Status MeasureVerify(const std::string& dir, int reps, Figures& f) {
  absl::StatusOr<std::unique_ptr<Engine>> engine = OpenEngine(dir);
  if (!engine.ok()) return engine.status();
  uint64_t events = 0;
  const absl::Time t0 = absl::Now();
  SCALE_RETURN_IF_ERROR((*engine)->ReadEvents(0, [&](const v1::Event&) {
    ++events;
    return absl::OkStatus();
  }));
  f["read_events_ms"] = Ms(absl::Now() - t0);
  std::vector<double> ms;
  for (int r = 0; r < reps; ++r) {
    const absl::Time t = absl::Now();
    SCALE_RETURN_IF_ERROR((*engine)->VerifyHistory());
    ms.push_back(Ms(absl::Now() - t));
  }
  f["events"] = static_cast<double>(events);
  f["verify_ms"] = Median(ms);
  engine->reset();
  return absl::OkStatus();
}

std::vector<Profile> RunningRequests(int64_t n, uint64_t seed) {
  std::vector<Profile> running;
  for (int64_t i = 0; i < n; ++i) {
    Profile p = ProfileOf(i, n);
    if (p.fate == Fate::kRunning) running.push_back(std::move(p));
  }
  std::shuffle(running.begin(), running.end(), std::mt19937_64(seed));
  return running;
}

// First touch and just touched; Overdue with nothing overdue; MustDo per row.
absl::Status MeasureQueries(const std::string& dir, int64_t n, Figures& f) {
  std::vector<Profile> running = RunningRequests(n, 1);
  if (running.size() > 200) running.resize(200);
  absl::StatusOr<std::unique_ptr<Engine>> opened = OpenEngine(dir);
  if (!opened.ok()) return opened.status();
  Engine& engine = **opened;
  std::vector<double> first, again;
  double first_events = 0;
  absl::Time t = kNow;
  for (const Profile& p : running) {
    for (std::vector<double>* into : {&first, &again}) {
      v1::Command c = ProgressReport(p.id, p.reporter, p.running_task, t, 90);
      t += absl::Seconds(1);
      const absl::Time start = absl::Now();
      absl::StatusOr<v1::CommandResult> r = engine.Execute(std::move(c));
      into->push_back(Us(absl::Now() - start));
      if (!r.ok()) return r.status();
      if (into == &first) first_events += r->event_kinds_size();
    }
  }
  f["touch_requests"] = static_cast<double>(first.size());
  f["first_touch_events"] = first.empty() ? 0 : first_events / static_cast<double>(first.size());
  f["first_touch_p50_us"] = Percentile(first, 0.5);
  f["first_touch_p99_us"] = Percentile(first, 0.99);
  f["touched_p50_us"] = Percentile(again, 0.5);
  f["touched_p99_us"] = Percentile(again, 0.99);

  // Overdue before the first request was filed: nothing is due.
  const absl::Time quiet = kYearStart - absl::Hours(1);
  std::vector<double> overdue;
  const absl::Time overdue_start = absl::Now();
  while (overdue.size() < 2000 &&
         (overdue.size() < 5 || absl::Now() - overdue_start < absl::Milliseconds(300))) {
    const absl::Time start = absl::Now();
    const int items = engine.Overdue(quiet).items_size();
    overdue.push_back(Us(absl::Now() - start));
    if (items != 0) return absl::InternalError("something is overdue before the year began");
  }
  f["overdue_nothing_us"] = Median(overdue);

  // MustDo: the 10 people with the most rows, 5 calls each.
  std::vector<std::pair<int, std::string>> rows;
  for (int d = 0; d < kDepartments; ++d) {
    for (int k = 0; k < kPeoplePerDepartment; ++k) {
      absl::StatusOr<v1::MustDoList> list = engine.MustDo(PersonId(d, k), kNow);
      if (!list.ok()) return list.status();
      rows.emplace_back(list->items_size(), PersonId(d, k));
    }
  }
  std::sort(rows.rbegin(), rows.rend());
  rows.resize(10);
  std::vector<double> per_row, per_call;
  double total_rows = 0;
  for (const auto& [count, person] : rows) {
    std::vector<double> us;
    for (int r = 0; r < 5; ++r) {
      const absl::Time start = absl::Now();
      absl::StatusOr<v1::MustDoList> list = engine.MustDo(person, kNow);
      us.push_back(Us(absl::Now() - start));
      if (!list.ok()) return list.status();
    }
    per_call.push_back(Median(us));
    per_row.push_back(Median(us) / std::max(1, count));
    total_rows += count;
  }
  f["mustdo_rows"] = total_rows / static_cast<double>(rows.size());
  f["mustdo_us"] = Median(per_call);
  f["mustdo_us_per_row"] = Median(per_row);
  opened->reset();
  return absl::OkStatus();
}

// WriteSnapshot alone, then a stream of commands with and without a
// concurrent WriteSnapshot.
absl::Status MeasureSnapshot(const std::string& dir, int64_t n, Figures& f) {
  std::vector<Profile> working = RunningRequests(n, 2);
  if (working.size() > 500) working.resize(500);
  if (working.empty()) return absl::FailedPreconditionError("no running requests");
  absl::StatusOr<std::unique_ptr<Engine>> opened = OpenEngine(dir);
  if (!opened.ok()) return opened.status();
  Engine& engine = **opened;
  absl::Time t = kNow + absl::Hours(24);
  size_t next = 0;
  auto report = [&]() {
    const Profile& p = working[next++ % working.size()];
    t += absl::Seconds(1);
    return engine.Execute(ProgressReport(p.id, p.reporter, p.running_task, t, 95)).status();
  };
  for (size_t i = 0; i < working.size(); ++i) SCALE_RETURN_IF_ERROR(report());  // warm

  // One command every millisecond; each timed from when it was due to start
  // (a command waiting behind a stalled one counts its wait).
  struct Sample {
    absl::Time due;
    double us;
  };
  constexpr absl::Duration kPeriod = absl::Milliseconds(1);
  auto stream = [&](const std::function<bool(int, absl::Time)>& more,
                    std::vector<Sample>* samples) -> absl::Status {
    const absl::Time begin = absl::Now();
    for (int j = 0; more(j, begin + kPeriod * j); ++j) {
      const absl::Time due = begin + kPeriod * j;
      absl::Time start = due;
      if (absl::Now() < due) {
        absl::SleepFor(due - absl::Now());
        start = absl::Now();  // the sleep's overshoot is not the engine's
      }
      SCALE_RETURN_IF_ERROR(report());
      samples->push_back({due, Us(absl::Now() - start)});
    }
    return absl::OkStatus();
  };
  auto latencies = [](const std::vector<Sample>& samples, absl::Time from, absl::Time to) {
    std::vector<double> us;
    for (const Sample& s : samples) {
      if (s.due >= from && s.due <= to) us.push_back(s.us);
    }
    return us;
  };
  std::vector<Sample> base;
  SCALE_RETURN_IF_ERROR(stream([](int j, absl::Time) { return j < 1000; }, &base));
  const std::vector<double> base_us = latencies(base, absl::InfinitePast(), absl::InfiniteFuture());
  f["stream_base_p50_us"] = Percentile(base_us, 0.5);
  f["stream_base_p99_us"] = Percentile(base_us, 0.99);

  // The snapshot follows the changes since the one the store opened with:
  // the commands above, on up to 500 requests.
  const absl::Time alone = absl::Now();
  SCALE_RETURN_IF_ERROR(engine.WriteSnapshot());
  f["snapshot_ms"] = Ms(absl::Now() - alone);
  // Changes for the next one to write: a report on every running request.
  for (size_t i = 0; i < working.size(); ++i) SCALE_RETURN_IF_ERROR(report());

  // The stream again, with WriteSnapshot on another thread, until every
  // command due while it ran has run; those are kept.
  std::atomic<bool> done{false};
  absl::Time snap_start, snap_end;
  absl::Status snap_status;
  std::thread snapshotter([&] {
    snap_start = absl::Now();
    snap_status = engine.WriteSnapshot();
    snap_end = absl::Now();
    done = true;
  });
  std::vector<Sample> samples;
  const absl::Status s = stream(
      [&](int j, absl::Time due) { return !done.load() || due <= snap_end || j < 100; }, &samples);
  snapshotter.join();
  SCALE_RETURN_IF_ERROR(s);
  SCALE_RETURN_IF_ERROR(snap_status);
  const std::vector<double> during = latencies(samples, snap_start, snap_end);
  f["snapshot_concurrent_ms"] = Ms(snap_end - snap_start);
  f["stream_during_commands"] = static_cast<double>(during.size());
  f["stream_during_p50_us"] = Percentile(during, 0.5);
  f["stream_during_p99_us"] = Percentile(during, 0.99);
  f["stream_during_max_us"] = Percentile(during, 1.0);
  opened->reset();
  return absl::OkStatus();
}

// ---------------------------------------------------------------------------
// The driver.

struct Flags {
  std::vector<int64_t> sizes = {1000, 10000, 100000};
  std::string dir;
  std::string json;
  bool reuse = false;
  int reps = 3;
};

[[noreturn]] void Usage(const std::string& why) {
  std::fprintf(stderr,
               "scale_benchmark: %s\nusage: scale_benchmark [--sizes=1000,10000,100000] [--long] "
               "[--dir=PATH] [--json=FILE] [--reuse] [--reps=3]\n",
               why.c_str());
  std::exit(2);
}

Flags ParseFlags(int argc, char** argv) {
  Flags flags;
  bool long_run = false;
  if (const char* env = std::getenv("COLLABFLOW_LONG_TESTS"); env != nullptr) {
    long_run = std::string(env) == "1";
  }
  for (int i = 1; i < argc; ++i) {
    const absl::string_view arg = argv[i];
    const size_t eq = arg.find('=');
    const absl::string_view name = arg.substr(0, eq);
    const absl::string_view value = eq == arg.npos ? "" : arg.substr(eq + 1);
    if (name == "--sizes") {
      flags.sizes.clear();
      for (absl::string_view v : absl::StrSplit(value, ',', absl::SkipEmpty())) {
        int64_t n = 0;
        if (!absl::SimpleAtoi(v, &n) || n < 100) Usage(absl::StrCat("bad size \"", v, "\""));
        flags.sizes.push_back(n);
      }
    } else if (name == "--long") {
      long_run = true;
    } else if (name == "--dir") {
      flags.dir = std::string(value);
    } else if (name == "--json") {
      flags.json = std::string(value);
    } else if (name == "--reuse") {
      flags.reuse = true;
    } else if (name == "--reps") {
      if (!absl::SimpleAtoi(value, &flags.reps) || flags.reps < 1) Usage("bad --reps");
    } else {
      Usage(absl::StrCat("unknown argument \"", arg, "\""));
    }
  }
  if (long_run && std::find(flags.sizes.begin(), flags.sizes.end(), 1000000) == flags.sizes.end()) {
    flags.sizes.push_back(1000000);
  }
  if (flags.sizes.empty()) Usage("no sizes");
  return flags;
}

std::string g_remove_at_exit;  // the temporary directory of stores, if ours

void RemoveTemporaryStores() {
  if (g_remove_at_exit.empty()) return;
  std::error_code ec;
  fs::remove_all(g_remove_at_exit, ec);
}

// `nosnap`: hard links to every file of `store` but the snapshot and the
// lock, i.e. the same journal with no snapshot to start from.
void LinkWithoutSnapshot(const std::string& store, const std::string& nosnap) {
  std::error_code ec;
  fs::remove_all(nosnap, ec);
  fs::create_directories(nosnap);
  for (const fs::directory_entry& e : fs::directory_iterator(store)) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || absl::StartsWith(name, "snapshot") || name == "LOCK") continue;
    fs::create_hard_link(e.path(), fs::path(nosnap) / name, ec);
    if (ec) Fail(absl::StrCat("cannot link ", e.path().string(), ": ", ec.message()));
  }
}

// `scratch`: a copy of every file of `store` but the lock, for a
// measurement that writes (commands, snapshots): the store itself stays as
// built, so every measurement and every rerun (--reuse) opens the same.
void CopyStore(const std::string& store, const std::string& scratch) {
  std::error_code ec;
  fs::remove_all(scratch, ec);
  fs::create_directories(scratch);
  for (const fs::directory_entry& e : fs::directory_iterator(store)) {
    const std::string name = e.path().filename().string();
    if (!e.is_regular_file() || name == "LOCK") continue;
    fs::copy_file(e.path(), fs::path(scratch) / name, ec);
    if (ec) Fail(absl::StrCat("cannot copy ", e.path().string(), ": ", ec.message()));
  }
}

uint64_t DirectoryBytes(const std::string& dir) {
  uint64_t bytes = 0;
  std::error_code ec;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir, ec)) {
    if (e.is_regular_file()) bytes += e.file_size();
  }
  return bytes;
}

// The median over `runs` of each figure.
Figures Medians(const std::vector<Figures>& runs) {
  std::map<std::string, std::vector<double>> all;
  for (const Figures& run : runs) {
    for (const auto& [k, v] : run) all[k].push_back(v);
  }
  Figures out;
  for (auto& [k, v] : all) out[k] = Median(v);
  return out;
}

Figures Repeat(int reps, const std::function<void()>& before,
               const std::function<absl::Status(Figures&)>& fn) {
  std::vector<Figures> runs;
  for (int r = 0; r < reps; ++r) {
    before();
    runs.push_back(InChild(fn));
  }
  return Medians(runs);
}

void Merge(Figures& into, const std::string& prefix, const Figures& from) {
  for (const auto& [k, v] : from) into[prefix + k] = v;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Figures MeasureSize(const std::string& root, int64_t n, const Flags& flags) {
  const std::string base =
      (fs::path(root) / absl::StrCat("n", n, "-", kVersionString, "-w", kWorkloadVersion)).string();
  const std::string store = base + "/store", open_only = base + "/open-only",
                    empty = base + "/directory-only", nosnap = base + "/no-snapshot",
                    built = base + "/BUILT";
  Figures f;
  f["requests"] = static_cast<double>(n);
  int64_t open = 0, archived = 0, cancelled = 0, running = 0;
  for (int64_t i = 0; i < n; ++i) {
    const Fate fate = ProfileOf(i, n).fate;
    open += IsOpen(fate);
    archived += fate == Fate::kArchived;
    cancelled += fate == Fate::kCancelled;
    running += fate == Fate::kRunning;
  }
  f["open_requests"] = static_cast<double>(open);
  f["archived_requests"] = static_cast<double>(archived);
  f["cancelled_requests"] = static_cast<double>(cancelled);
  f["running_requests"] = static_cast<double>(running);

  // The stores, built once (kept with --reuse, keyed by size, library version
  // and workload).
  Figures build;
  if (flags.reuse && fs::exists(built)) {
    std::fprintf(stderr, "n=%lld: reusing %s\n", static_cast<long long>(n), base.c_str());
    for (absl::string_view line : absl::StrSplit(ReadFile(built), '\n', absl::SkipEmpty())) {
      std::pair<std::string, std::string> kv = absl::StrSplit(line, ' ');
      double v = 0;
      if (absl::SimpleAtod(kv.second, &v)) build[kv.first] = v;
    }
  } else {
    std::error_code ec;
    fs::remove_all(base, ec);
    fs::create_directories(base);
    std::fprintf(stderr, "n=%lld: building the store in %s\n", static_cast<long long>(n),
                 base.c_str());
    Merge(build, "",
          InChild([&](Figures& out) { return BuildStore(store, n, Subset::kAll, out); }));
    Merge(build, "open_only_",
          InChild([&](Figures& out) { return BuildStore(open_only, n, Subset::kOpenOnly, out); }));
    InChild([&](Figures& out) { return BuildStore(empty, n, Subset::kNone, out); });
    std::string lines;
    for (const auto& [k, v] : build) absl::StrAppendFormat(&lines, "%s %.17g\n", k, v);
    std::ofstream(built) << lines;
  }
  Merge(f, "", build);
  f["commands_per_request"] = (build["commands"] - 1) / static_cast<double>(n);
  f["store_mb"] = static_cast<double>(DirectoryBytes(store)) / 1e6;
  LinkWithoutSnapshot(store, nosnap);

  const int reps = flags.reps;
  const int slow_reps = n >= 1000000 ? 1 : reps;  // an open that replays 1M requests
  std::fprintf(stderr, "n=%lld: bare store floor\n", static_cast<long long>(n));
  Merge(f, "floor_",
        Repeat(
            slow_reps, [&] { DropCache(nosnap); },
            [&](Figures& out) { return MeasureStoreFloor(nosnap, out); }));
  std::fprintf(stderr, "n=%lld: open without snapshot\n", static_cast<long long>(n));
  Merge(f, "nosnap_",
        Repeat(
            slow_reps, [&] { DropCache(nosnap); },
            [&](Figures& out) { return MeasureOpen(nosnap, out); }));
  std::fprintf(stderr, "n=%lld: open with snapshot\n", static_cast<long long>(n));
  Merge(
      f, "snap_",
      Repeat(
          reps, [&] { DropCache(store); }, [&](Figures& out) { return MeasureOpen(store, out); }));
  Merge(f, "open_only_snap_",
        Repeat(
            reps, [&] { DropCache(open_only); },
            [&](Figures& out) { return MeasureOpen(open_only, out); }));
  Merge(
      f, "directory_only_snap_",
      Repeat(
          reps, [&] { DropCache(empty); }, [&](Figures& out) { return MeasureOpen(empty, out); }));
  std::fprintf(stderr, "n=%lld: verify\n", static_cast<long long>(n));
  Merge(f, "",
        InChild([&](Figures& out) { return MeasureVerify(store, n >= 100000 ? 1 : reps, out); }));
  std::fprintf(stderr, "n=%lld: commands and queries\n", static_cast<long long>(n));
  const std::string scratch = store + "-scratch";
  CopyStore(store, scratch);
  Merge(f, "", InChild([&](Figures& out) { return MeasureQueries(scratch, n, out); }));
  CopyStore(store, scratch);
  std::fprintf(stderr, "n=%lld: snapshots\n", static_cast<long long>(n));
  Merge(f, "", InChild([&](Figures& out) { return MeasureSnapshot(scratch, n, out); }));
  std::error_code ec;
  fs::remove_all(scratch, ec);

  // Derived figures.
  const double events = f["events"];
  f["floor_open_ms"] = f["floor_store_open_ms"] + f["floor_read_all_ms"];
  f["nosnap_open_over_floor"] = f["nosnap_open_ms"] / f["floor_open_ms"];
  f["nosnap_us_per_event"] = f["nosnap_open_ms"] * 1e3 / events;
  f["verify_events_per_s"] = events / (f["verify_ms"] / 1e3);
  f["floor_read_events_per_s"] = events / (f["floor_read_all_warm_ms"] / 1e3);
  f["verify_over_floor"] = f["verify_ms"] / f["floor_read_all_warm_ms"];
  // Beyond the engine's fixed memory (an open of the directory alone).
  const double fixed_kb = f["directory_only_snap_rss_kb"];
  f["rss_bytes_per_request"] = (f["snap_rss_kb"] - fixed_kb) * 1024 / static_cast<double>(n);
  f["rss_bytes_per_open_request"] =
      (f["open_only_snap_rss_kb"] - fixed_kb) * 1024 / static_cast<double>(open);
  f["rss_bytes_per_closed_request"] =
      (f["snap_rss_kb"] - f["open_only_snap_rss_kb"]) * 1024 / static_cast<double>(n - open);
  f["stream_p99_ratio"] = f["stream_during_p99_us"] / f["stream_base_p99_us"];

  if (!flags.reuse) {
    std::error_code ec;
    fs::remove_all(base, ec);
  }
  return f;
}

// ---- the growth table ----

struct Row {
  const char* label;
  std::function<std::string(const Figures&)> cell;
  const char* target;
};

std::string Fixed(double v, int digits) {
  if (std::isnan(v)) return "—";
  return absl::StrFormat("%.*f", digits, v);
}
std::string Thousands(double v) {
  if (std::isnan(v)) return "—";
  std::string digits = absl::StrFormat("%.0f", v), out;
  for (size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0 && digits[i - 1] != '-') out += ',';
    out += digits[i];
  }
  return out;
}
// A time in µs or ms, whichever reads better.
std::string Time(double us) {
  if (std::isnan(us)) return "—";
  if (us >= 10000) return absl::StrCat(Fixed(us / 1000, 0), " ms");
  if (us >= 1000) return absl::StrCat(Fixed(us / 1000, 1), " ms");
  if (us >= 10) return absl::StrCat(Fixed(us, 0), " µs");
  return absl::StrCat(Fixed(us, 1), " µs");
}
std::vector<Row> Rows() {
  auto get = [](const Figures& f, const char* key) {
    auto it = f.find(key);
    return it == f.end() ? NAN : it->second;
  };
  auto ms = [get](const char* key) {
    return [get, key](const Figures& f) { return Time(get(f, key) * 1e3); };
  };
  auto us = [get](const char* key) {
    return [get, key](const Figures& f) { return Time(get(f, key)); };
  };
  auto pair = [get](const char* p50, const char* p99) {
    return [get, p50, p99](const Figures& f) {
      return absl::StrCat(Time(get(f, p50)), " / ", Time(get(f, p99)));
    };
  };
  return {
      {"open / archived / cancelled requests",
       [get](const Figures& f) {
         return absl::StrCat(Thousands(get(f, "open_requests")), " / ",
                             Thousands(get(f, "archived_requests")), " / ",
                             Thousands(get(f, "cancelled_requests")));
       },
       ""},
      {"commands per request (mean); events",
       [get](const Figures& f) {
         return absl::StrCat(Fixed(get(f, "commands_per_request"), 1), "; ",
                             Thousands(get(f, "events")));
       },
       "8–10 commands, 5-task plan"},
      {"store on disk (journal + snapshot)",
       [get](const Figures& f) { return absl::StrCat(Fixed(get(f, "store_mb"), 0), " MB"); }, ""},
      {"build (kNoSync) + its snapshot",
       [get](const Figures& f) {
         return absl::StrCat(Fixed(get(f, "build_s"), 1), " s + ",
                             Time(get(f, "build_snapshot_ms") * 1e3));
       },
       ""},
      {"**open, cold, with snapshot**", ms("snap_open_ms"), "≤ 200 ms at 100k, ≤ 1 s at 1M"},
      {"open, cold, without snapshot (replay)", ms("nosnap_open_ms"), ""},
      {"  µs per event replayed",
       [get](const Figures& f) { return Fixed(get(f, "nosnap_us_per_event"), 2); }, ""},
      {"  floor: bare store open + ReadAll, cold", ms("floor_open_ms"), ""},
      {"  of which the store's open (verifies every record)", ms("floor_store_open_ms"), ""},
      {"  open without snapshot ÷ floor",
       [get](const Figures& f) {
         return absl::StrCat(Fixed(get(f, "nosnap_open_over_floor"), 1), "×");
       },
       ""},
      {"**verify (VerifyHistory), warm**",
       [get](const Figures& f) {
         return absl::StrCat(Thousands(get(f, "verify_events_per_s")), " events/s");
       },
       "≥ 1,000,000 events/s"},
      {"  floor: bare store ReadAll, warm",
       [get](const Figures& f) {
         return absl::StrCat(Thousands(get(f, "floor_read_events_per_s")), " events/s");
       },
       ""},
      {"  verify ÷ floor (time)",
       [get](const Figures& f) { return absl::StrCat(Fixed(get(f, "verify_over_floor"), 1), "×"); },
       ""},
      {"resident memory after open (VmRSS growth)",
       [get](const Figures& f) {
         return absl::StrCat(Fixed(get(f, "snap_rss_kb") / 1024, 1), " MB");
       },
       ""},
      {"  of which fixed (an open of the directory alone)",
       [get](const Figures& f) {
         return absl::StrCat(Fixed(get(f, "directory_only_snap_rss_kb") / 1024, 1), " MB");
       },
       ""},
      {"  per request, beyond the fixed",
       [get](const Figures& f) { return Thousands(get(f, "rss_bytes_per_request")) + " B"; }, ""},
      {"**  per open request**, beyond the fixed (store of the open ones alone)",
       [get](const Figures& f) { return Thousands(get(f, "rss_bytes_per_open_request")) + " B"; },
       "≤ 3 KB beyond the cache"},
      {"**  per archived/cancelled request** (difference)",
       [get](const Figures& f) { return Thousands(get(f, "rss_bytes_per_closed_request")) + " B"; },
       "≈ 0 (≤ 200 B in the id index), not growing"},
      {"**command on an untouched request** p50 / p99",
       pair("first_touch_p50_us", "first_touch_p99_us"), "≤ 1 ms (load included)"},
      {"  events the command on an untouched request commits (mean)",
       [get](const Figures& f) { return Fixed(get(f, "first_touch_events"), 1); }, ""},
      {"**command on the request just touched** p50 / p99",
       pair("touched_p50_us", "touched_p99_us"), "unchanged from today"},
      {"**Overdue, nothing overdue**", us("overdue_nothing_us"), "≤ 10 µs at 100k"},
      {"**MustDo per row** (10 busiest people)",
       [get](const Figures& f) {
         return absl::StrCat(Fixed(get(f, "mustdo_us_per_row"), 2), " µs (",
                             Fixed(get(f, "mustdo_rows"), 0), " rows, ", Time(get(f, "mustdo_us")),
                             ")");
       },
       "flat across sizes"},
      {"WriteSnapshot, alone", ms("snapshot_ms"), ""},
      {"command stream p50 / p99, alone", pair("stream_base_p50_us", "stream_base_p99_us"), ""},
      {"  during WriteSnapshot p50 / p99 (commands due)",
       [get, pair](const Figures& f) {
         return absl::StrCat(pair("stream_during_p50_us", "stream_during_p99_us")(f), " (",
                             Thousands(get(f, "stream_during_commands")), ")");
       },
       ""},
      {"**  p99 during ÷ p99 alone**",
       [get](const Figures& f) { return absl::StrCat(Fixed(get(f, "stream_p99_ratio"), 1), "×"); },
       "≤ 2×"},
  };
}

std::string SizeName(int64_t n) {
  if (n % 1000000 == 0) return absl::StrCat(n / 1000000, "M");
  if (n % 1000 == 0) return absl::StrCat(n / 1000, "k");
  return absl::StrCat(n);
}

std::string JsonString(absl::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

int Main(int argc, char** argv) {
  const Flags flags = ParseFlags(argc, argv);
  std::string root = flags.dir;
  if (root.empty() && flags.reuse) root = "/tmp/collabflow_scale_stores";
  if (root.empty()) {
    char templ[] = "/tmp/collabflow_scale_XXXXXX";
    if (mkdtemp(templ) == nullptr) Fail("mkdtemp failed");
    root = templ;
    g_remove_at_exit = root;
    std::atexit(RemoveTemporaryStores);
  }
  fs::create_directories(root);
  const std::string cpu = CpuModel();
  std::vector<std::string> args(argv, argv + argc);
  const std::string command = absl::StrJoin(args, " ");
  std::printf("collabflow %s scale suite; %s\nstores in %s\n", std::string(kVersionString).c_str(),
              cpu.c_str(), root.c_str());

  std::vector<Figures> results;
  for (int64_t n : flags.sizes) {
    results.push_back(MeasureSize(root, n, flags));
    std::printf("n=%lld done\n", static_cast<long long>(n));
    std::fflush(stdout);
  }

  // The growth table, Markdown.
  std::string header = "| figure |", rule = "|---|";
  for (int64_t n : flags.sizes) {
    absl::StrAppend(&header, " ", SizeName(n), " |");
    rule += "---|";
  }
  std::printf("\n%s target (issue 20) |\n%s---|\n", header.c_str(), rule.c_str());
  for (const Row& row : Rows()) {
    std::string line = absl::StrCat("| ", row.label, " |");
    for (const Figures& f : results) absl::StrAppend(&line, " ", row.cell(f), " |");
    std::printf("%s %s |\n", line.c_str(), row.target);
  }

  if (!flags.json.empty()) {
    std::string json = absl::StrCat("{\n  \"version\": ", JsonString(kVersionString),
                                    ",\n  \"cpu\": ", JsonString(cpu),
                                    ",\n  \"command\": ", JsonString(command), ",\n  \"sizes\": [");
    for (size_t i = 0; i < results.size(); ++i) {
      absl::StrAppend(&json, i ? "," : "", "\n    {");
      bool first = true;
      for (const auto& [k, v] : results[i]) {
        absl::StrAppend(&json, first ? "" : ", ", JsonString(k), ": ",
                        std::isfinite(v) ? absl::StrFormat("%.6g", v) : "null");
        first = false;
      }
      json += "}";
    }
    json += "\n  ]\n}\n";
    std::ofstream out(flags.json);
    out << json;
    if (!out) Fail(absl::StrCat("cannot write ", flags.json));
  }
  return 0;
}

}  // namespace
}  // namespace collabflow

int main(int argc, char** argv) { return collabflow::Main(argc, argv); }
