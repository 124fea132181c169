// Many hosts on one PostgreSQL database (issue 21): commands per second
// through the engine with 1, 2 and 4 host processes, on one shared request
// (every command conflicts with the others' for the stream) and on 50
// requests, beside the floor measured in the same run at the same number of
// connections: a bare single-row INSERT transaction per command, with the
// payload size of the engine's records and the same commit settings (the
// server's: synchronous_commit on). Then the catch-up: how long after one
// host's command returns another host's engine has folded it, without
// calling anything (its follower, woken by NOTIFY).
//
// A plain program (processes forked per cell). Run it through
// benchmarks/engine/run_postgres_hosts.sh, which starts a throwaway server
// with fsync on, or point it at a server:
//
//   postgres_hosts_benchmark --uri=postgresql:///postgres?host=/tmp/pg
//                            [--seconds=5] [--hosts=1,2,4]
//
// Each cell gets a database of its own. The hosts' command is a progress
// report on a running task (valid whenever it comes), dated by the wall
// clock. On a 2-core machine the server shares the CPUs with the hosts:
// read the figures with that in mind.
#include <libpq-fe.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "collabflow/engine.h"
#include "support/company_year.h"
#include "support/pg_test_database.h"  // ExecSql, WithDatabase (no gtest)

namespace collabflow {
namespace {

using namespace collabflow::testing;  // NOLINT: the workload's vocabulary

using Clock = std::chrono::steady_clock;  // CLOCK_MONOTONIC: one clock for every process

double NowUs() {
  return std::chrono::duration<double, std::micro>(Clock::now().time_since_epoch()).count();
}

const absl::Time kFiled = Shanghai(2026, 12, 1, 9);

// A database of its own for a cell, dropped after.
class BenchDatabase {
 public:
  explicit BenchDatabase(const std::string& server) : server_(server) {
    static int counter = 0;
    name_ = absl::StrCat("cflow_bench_", getpid(), "_", counter++);
    ok_ = ExecSql(server_, absl::StrCat("CREATE DATABASE ", name_)).ok();
  }
  ~BenchDatabase() {
    if (ok_) (void)ExecSql(server_, absl::StrCat("DROP DATABASE ", name_, " WITH (FORCE)"));
  }
  bool ok() const { return ok_; }
  std::string uri() const { return WithDatabase(server_, name_); }

 private:
  std::string server_, name_;
  bool ok_ = false;
};

// Request i's first steps: created, submitted, answered twice, planned, T1
// started (6 commands); then its reporter reports progress on T1.
struct Workload {
  std::vector<Profile> profiles;
  explicit Workload(int requests) {
    for (int i = 0; i < requests; ++i) {
      Profile p = ProfileOf(i, requests);
      p.fate = Fate::kRunning;
      p.tasks_done = 0;
      p.reports = 0;
      p.running_task = "T1";
      p.reporter = p.worker_c;
      p.created = kFiled;
      profiles.push_back(p);
    }
  }
};

EngineOptions HostOptions(const std::string& uri) {
  EngineOptions o;
  o.store_dir = uri;
  o.snapshot_every_records = 0;  // the command path alone
  o.clock_tolerance = absl::Minutes(10);
  return o;
}

bool Setup(const std::string& uri, const Workload& w) {
  auto e = Engine::Open(HostOptions(uri));
  if (!e.ok()) {
    std::fprintf(stderr, "setup: %s\n", e.status().ToString().c_str());
    return false;
  }
  if (!(*e)->Execute(UpdateDirectoryCommand(CompanyDirectory(), kFiled - absl::Hours(1))).ok()) {
    return false;
  }
  for (const Profile& p : w.profiles) {
    for (const v1::Command& c : Lifecycle(p).Build()) {
      if (absl::Status s = (*e)->Execute(c).status(); !s.ok()) {
        std::fprintf(stderr, "setup: %s\n", s.ToString().c_str());
        return false;
      }
    }
  }
  return true;
}

// What a host process measured (in shared memory).
constexpr int kMaxSamples = 200'000;
struct HostResult {
  std::atomic<int64_t> commands;
  std::atomic<int64_t> failures;
  int64_t samples;
  float latency_us[kMaxSamples];
};

template <typename T>
T* Shared(size_t n) {
  void* p = mmap(nullptr, sizeof(T) * n, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) std::abort();
  return static_cast<T*>(p);
}

struct Summary {
  double per_second = 0, p50_us = 0, p99_us = 0;
  int64_t failures = 0;
};

Summary Summarize(HostResult* results, int hosts, double seconds) {
  std::vector<float> all;
  Summary s;
  int64_t commands = 0;
  for (int h = 0; h < hosts; ++h) {
    commands += results[h].commands.load();
    s.failures += results[h].failures.load();
    all.insert(all.end(), results[h].latency_us, results[h].latency_us + results[h].samples);
  }
  std::sort(all.begin(), all.end());
  s.per_second = static_cast<double>(commands) / seconds;
  if (!all.empty()) {
    s.p50_us = all[all.size() / 2];
    s.p99_us = all[std::min(all.size() - 1, all.size() * 99 / 100)];
  }
  return s;
}

// Runs `body(host, deadline_us, result)` in `hosts` processes started
// together; returns once all ended.
template <typename Body>
void InProcesses(int hosts, double seconds, HostResult* results, Body body) {
  const double start = NowUs() + 300'000;  // after every host has connected
  const double deadline = start + seconds * 1e6;
  std::vector<pid_t> pids;
  for (int h = 0; h < hosts; ++h) {
    const pid_t pid = fork();
    if (pid == 0) {
      body(h, start, deadline, &results[h]);
      _exit(0);
    }
    pids.push_back(pid);
  }
  for (pid_t pid : pids) waitpid(pid, nullptr, 0);
}

void Record(HostResult* r, double us) {
  if (r->samples < kMaxSamples) r->latency_us[r->samples++] = static_cast<float>(us);
  ++r->commands;
}

Summary RunEngine(const std::string& uri, const Workload& w, int hosts, double seconds) {
  HostResult* results = Shared<HostResult>(hosts);
  const absl::Time wall_start = absl::Now();
  InProcesses(hosts, seconds, results, [&](int h, double start, double deadline, HostResult* r) {
    auto e = Engine::Open(HostOptions(uri));
    if (!e.ok()) {
      ++r->failures;
      return;
    }
    Rng rng(Mix(static_cast<uint64_t>(h) + 77));
    while (NowUs() < start) usleep(100);
    int n = 0;
    for (double now = NowUs(); now < deadline; now = NowUs()) {
      const Profile& p = w.profiles[rng.Uniform(static_cast<int>(w.profiles.size()))];
      v1::Command c = ProgressReport(p.id, p.reporter, "T1", absl::Now(), 1 + (n++ % 99));
      SetTime(kFiled + absl::Hours(2) + (absl::Now() - wall_start), &c);
      const double t0 = NowUs();
      absl::StatusOr<v1::CommandResult> done = (*e)->Execute(std::move(c));
      if (done.ok()) {
        Record(r, NowUs() - t0);
      } else {
        if (r->failures.fetch_add(1) == 0) {
          std::fprintf(stderr, "host %d: %s\n", h, done.status().ToString().c_str());
        }
      }
    }
  });
  Summary s = Summarize(results, hosts, seconds);
  munmap(results, sizeof(HostResult) * hosts);
  return s;
}

// The average payload of the engine's records in the database.
int64_t RecordBytes(const std::string& uri) {
  PGconn* conn = PQconnectdb(uri.c_str());
  PGresult* r =
      PQexec(conn,
             "SELECT coalesce(avg(octet_length(payload)), 0)::bigint FROM collabflow_records "
             "WHERE stream LIKE 'request/%'");
  int64_t bytes = 0;
  if (PQresultStatus(r) == PGRES_TUPLES_OK) (void)absl::SimpleAtoi(PQgetvalue(r, 0, 0), &bytes);
  PQclear(r);
  PQfinish(conn);
  return bytes;
}

// The floor: one INSERT of a `bytes`-byte row per transaction, per
// connection, nothing else.
Summary RunFloor(const std::string& uri, int64_t bytes, int hosts, double seconds) {
  if (!ExecSql(uri,
               "CREATE TABLE IF NOT EXISTS cflow_floor (id bigserial PRIMARY KEY, payload bytea)")
           .ok()) {
    return {};
  }
  HostResult* results = Shared<HostResult>(hosts);
  const std::string payload(static_cast<size_t>(bytes), 'x');
  InProcesses(hosts, seconds, results, [&](int, double start, double deadline, HostResult* r) {
    PGconn* conn = PQconnectdb(uri.c_str());
    if (PQstatus(conn) != CONNECTION_OK) {
      ++r->failures;
      return;
    }
    const char* values[] = {payload.data()};
    const int lengths[] = {static_cast<int>(payload.size())};
    const int formats[] = {1};
    while (NowUs() < start) usleep(100);
    for (double now = NowUs(); now < deadline; now = NowUs()) {
      const double t0 = NowUs();
      PGresult* res = PQexecParams(conn, "INSERT INTO cflow_floor (payload) VALUES ($1::bytea)", 1,
                                   nullptr, values, lengths, formats, 1);
      if (PQresultStatus(res) == PGRES_COMMAND_OK) {
        Record(r, NowUs() - t0);
      } else {
        ++r->failures;
      }
      PQclear(res);
    }
    PQfinish(conn);
  });
  Summary s = Summarize(results, hosts, seconds);
  munmap(results, sizeof(HostResult) * hosts);
  return s;
}

// Catch-up: host A reports progress every 5 ms; host B calls nothing but
// LastPosition(), and notes when each of A's positions is folded there.
struct CatchUpResult {
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
  int seen = 0;
};

CatchUpResult RunCatchUp(const std::string& uri, const Workload& w, int commands) {
  struct Shared_ {
    std::atomic<int> ready;
    std::atomic<int> done;
    uint64_t position[4096];
    double acked_us[4096];
    std::atomic<int> count;
    double seen_us[4096];
  };
  Shared_* sh = Shared<Shared_>(1);
  commands = std::min(commands, 4096);
  const pid_t follower = fork();
  if (follower == 0) {
    auto e = Engine::Open(HostOptions(uri));
    if (!e.ok()) _exit(1);
    ++sh->ready;
    int next = 0;
    while (next < commands) {
      const uint64_t last = (*e)->LastPosition();
      const double now = NowUs();
      while (next < sh->count.load() && sh->position[next] <= last) sh->seen_us[next++] = now;
      if (sh->done.load() && next >= sh->count.load()) break;
      usleep(50);
    }
    _exit(0);
  }
  const pid_t writer = fork();
  if (writer == 0) {
    auto e = Engine::Open(HostOptions(uri));
    if (!e.ok()) _exit(1);
    while (sh->ready.load() == 0) usleep(100);
    usleep(200'000);
    const absl::Time wall_start = absl::Now();
    const Profile& p = w.profiles[0];
    for (int i = 0; i < commands; ++i) {
      v1::Command c = ProgressReport(p.id, p.reporter, "T1", absl::Now(), 1 + i % 99);
      SetTime(kFiled + absl::Hours(2) + (absl::Now() - wall_start), &c);
      auto r = (*e)->Execute(std::move(c));
      if (!r.ok()) break;
      sh->position[i] = r->position();
      sh->acked_us[i] = NowUs();
      ++sh->count;
      usleep(5000);
    }
    ++sh->done;
    _exit(0);
  }
  waitpid(writer, nullptr, 0);
  waitpid(follower, nullptr, 0);
  std::vector<double> delays;
  for (int i = 0; i < sh->count.load(); ++i) {
    if (sh->seen_us[i] > 0) delays.push_back((sh->seen_us[i] - sh->acked_us[i]) / 1000.0);
  }
  std::sort(delays.begin(), delays.end());
  CatchUpResult out;
  out.seen = static_cast<int>(delays.size());
  if (!delays.empty()) {
    out.p50_ms = delays[delays.size() / 2];
    out.p99_ms = delays[std::min(delays.size() - 1, delays.size() * 99 / 100)];
    out.max_ms = delays.back();
  }
  munmap(sh, sizeof(Shared_));
  return out;
}

std::string Cpu() {
  std::ifstream in("/proc/cpuinfo");
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("model name", 0) == 0) return line.substr(line.find(':') + 2);
  }
  return "unknown CPU";
}

int Main(int argc, char** argv) {
  std::string uri =
      getenv("COLLABFLOW_BENCH_PG_URI") != nullptr ? getenv("COLLABFLOW_BENCH_PG_URI") : "";
  double seconds = 5;
  std::vector<int> host_counts = {1, 2, 4};
  for (int i = 1; i < argc; ++i) {
    absl::string_view arg = argv[i];
    if (absl::ConsumePrefix(&arg, "--uri=")) {
      uri = std::string(arg);
    } else if (absl::ConsumePrefix(&arg, "--seconds=")) {
      if (!absl::SimpleAtod(arg, &seconds) || seconds <= 0) return 2;
    } else if (absl::ConsumePrefix(&arg, "--hosts=")) {
      host_counts.clear();
      for (absl::string_view h : absl::StrSplit(arg, ',')) {
        int n = 0;
        if (!absl::SimpleAtoi(h, &n) || n < 1 || n > 64) return 2;
        host_counts.push_back(n);
      }
    } else {
      std::fprintf(stderr, "usage: %s --uri=URI [--seconds=S] [--hosts=1,2,4]\n", argv[0]);
      return 2;
    }
  }
  if (uri.empty()) {
    std::fprintf(stderr, "postgres_hosts_benchmark: --uri or $COLLABFLOW_BENCH_PG_URI\n");
    return 2;
  }
#ifdef COLLABFLOW_BENCH_PG_MODULE
  setenv("COLLABFLOW_PG_MODULE", COLLABFLOW_BENCH_PG_MODULE, /*overwrite=*/0);
#endif
  std::printf("%s, %ld CPUs; %.0f s per cell; server %s\n", Cpu().c_str(),
              sysconf(_SC_NPROCESSORS_ONLN), seconds, uri.c_str());
  std::printf("%-6s %-9s | %10s %9s %9s | %10s %9s %9s | %9s %9s | %s\n", "hosts", "requests",
              "ours cmd/s", "p50 ms", "p99 ms", "floor tx/s", "p50 ms", "p99 ms", "lat ratio",
              "thr ratio", "payload B / failures");
  for (int requests : {1, 50}) {
    const Workload w(requests);
    for (int hosts : host_counts) {
      BenchDatabase db(uri);
      if (!db.ok() || !Setup(db.uri(), w)) return 1;
      const Summary ours = RunEngine(db.uri(), w, hosts, seconds);
      const int64_t bytes = RecordBytes(db.uri());
      const Summary floor = RunFloor(db.uri(), bytes, hosts, seconds);
      std::printf(
          "%-6d %-9d | %10.0f %9.2f %9.2f | %10.0f %9.2f %9.2f | %9.2f %9.2f | %lld / %lld\n",
          hosts, requests, ours.per_second, ours.p50_us / 1000, ours.p99_us / 1000,
          floor.per_second, floor.p50_us / 1000, floor.p99_us / 1000,
          floor.p50_us > 0 ? ours.p50_us / floor.p50_us : 0,
          floor.per_second > 0 ? ours.per_second / floor.per_second : 0,
          static_cast<long long>(bytes), static_cast<long long>(ours.failures));
      std::fflush(stdout);
    }
  }
  {
    const Workload w(1);
    BenchDatabase db(uri);
    if (!db.ok() || !Setup(db.uri(), w)) return 1;
    const CatchUpResult c = RunCatchUp(db.uri(), w, 400);
    std::printf(
        "catch-up (another host's command folded here, nothing called): p50 %.2f ms, "
        "p99 %.2f ms, max %.2f ms over %d commands\n",
        c.p50_ms, c.p99_ms, c.max_ms, c.seen);
  }
  return 0;
}

}  // namespace
}  // namespace collabflow

int main(int argc, char** argv) { return collabflow::Main(argc, argv); }
