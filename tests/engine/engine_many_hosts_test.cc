// Many hosts on one PostgreSQL database (issue 21): 4 host processes of 2
// threads each drive 50 shared requests through their whole process with
// random commands, and tick as they go. Afterwards every host's state equals
// a single-process replay of the database's history; every acknowledged
// command is in that history at the position it was acknowledged at; no
// stream has an event twice (its hash chain verifies); every escalation rung
// and every missed report was recorded exactly once.
//
// Each worker keeps, per request, the step of the request's process it
// believes is next, and sends it, dated by a clock all processes share (the
// wall clock since the start, one second a simulated half hour). A step
// refused is one another worker did already (a refusal is confirmed on the
// latest state), so the worker moves on to the next; a step that holds is
// one it did. So the workers keep stepping on each other: commands decided
// on a stream another host has just moved, and ticks that race each other
// and the commands for the same requests.
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <tuple>
#include <vector>

#include "absl/strings/str_cat.h"
#include "collabflow/engine.h"
#include "gtest/gtest.h"
#include "support/company_year.h"
#include "support/pg_test_database.h"
#include "support/store_test_support.h"

namespace collabflow {
namespace {

using namespace collabflow::testing;  // NOLINT: the test vocabulary

constexpr int kHosts = 4;
constexpr int kThreadsPerHost = 2;
constexpr int kCommandsPerThread = 260;  // 2,080 in all, unless all end first
constexpr int kRequests = 50;
constexpr int kTickEvery = 8;  // commands, on each host's first thread

// The requests were filed and submitted a week before the run starts (so
// their answers are overdue, and several rungs of their ladders due, from
// the first tick); the run starts on a Monday morning.
const absl::Time kFiled = Shanghai(2026, 8, 31, 9);
const absl::Time kRunStart = Shanghai(2026, 9, 7, 9);
constexpr int kSimulatedSecondsPerSecond = 1800;

// The steps of request i's whole process (Lifecycle, archived: 23 steps).
std::vector<v1::Command> StepsOf(int i) {
  Profile p = ProfileOf(i, kRequests);
  p.fate = Fate::kArchived;
  p.created = kFiled;
  return Lifecycle(p).Build();
}

EngineOptions HostOptions(const std::string& uri) {
  EngineOptions options;
  options.store_dir = uri;
  options.snapshot_every_records = 0;
  // Commands from several processes, dated by the shared clock, reach a
  // request in any order within a few simulated minutes.
  options.clock_tolerance = absl::Hours(2);
  return options;
}

// What a host acknowledged: a command's record.
struct Acknowledged {
  uint64_t position;
  std::string request;
  uint64_t first_version, last_version;
};

// One host process: 2 threads of random steps and ticks. Writes what it
// acknowledged to `acks`, tells the parent it is done (`done`), waits for
// the last position (`go`), catches up to it and writes its state's bytes
// to `state`. Returns the process's exit status.
int RunHost(int host, const std::string& uri, absl::Time start_wall, int done_fd, int go_fd,
            const std::string& acks, const std::string& state) {
  auto opened = Engine::Open(HostOptions(uri));
  if (!opened.ok()) {
    std::fprintf(stderr, "host %d: %s\n", host, opened.status().ToString().c_str());
    return 10;
  }
  Engine& engine = **opened;
  std::vector<std::vector<v1::Command>> steps;
  for (int i = 0; i < kRequests; ++i) steps.push_back(StepsOf(i));
  const auto sim_now = [&] {
    return kRunStart + (absl::Now() - start_wall) * kSimulatedSecondsPerSecond;
  };
  std::mutex mu;
  std::vector<Acknowledged> acknowledged;
  std::atomic<int> failures{0};
  std::atomic<int> gave_up{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreadsPerHost; ++t) {
    threads.emplace_back([&, t] {
      Rng rng(Mix(static_cast<uint64_t>(host * 16 + t) + 0x4057));
      std::vector<size_t> next(kRequests, 2);  // created and submitted before
      int open = kRequests;                    // as far as this worker knows
      for (int n = 0; n < kCommandsPerThread && open > 0; ++n) {
        if (t == 0 && n % kTickEvery == 0) {
          absl::StatusOr<int> fired = engine.Tick(sim_now());
          if (!fired.ok()) {
            std::fprintf(stderr, "host %d: tick: %s\n", host, fired.status().ToString().c_str());
            ++failures;
          }
        }
        int r = rng.Uniform(kRequests);
        while (next[r] >= steps[r].size()) r = (r + 1) % kRequests;  // archived
        v1::Command command = steps[r][next[r]];
        SetTime(sim_now(), &command);
        absl::StatusOr<v1::CommandResult> result = engine.Execute(command);
        if (result.ok()) {
          std::lock_guard<std::mutex> lock(mu);
          acknowledged.push_back({result->position(), command.request_id(), result->first_version(),
                                  result->last_version()});
          open -= ++next[r] == steps[r].size();
        } else if (absl::IsAborted(result.status())) {
          // Gave up after the engine's bounded retries (others kept moving
          // the stream): refused whole, tried again later.
          ++gave_up;
        } else if (absl::IsFailedPrecondition(result.status()) ||
                   absl::IsAlreadyExists(result.status())) {
          open -= ++next[r] == steps[r].size();  // done by another worker
        } else {
          std::fprintf(stderr, "host %d: step %zu of %s: %s\n", host, next[r],
                       command.request_id().c_str(), result.status().ToString().c_str());
          ++failures;
          open -= ++next[r] == steps[r].size();
        }
      }
    });
  }
  for (std::thread& t : threads) t.join();
  {
    std::ofstream out(acks);
    for (const Acknowledged& a : acknowledged) {
      out << a.position << ' ' << a.request << ' ' << a.first_version << ' ' << a.last_version
          << '\n';
    }
    if (!out) return 11;
  }
  char byte = 1;
  if (write(done_fd, &byte, 1) != 1) return 12;
  uint64_t last = 0;
  if (read(go_fd, &last, sizeof last) != sizeof last) return 13;
  if (absl::Status s = engine.CatchUp(last); !s.ok()) {
    std::fprintf(stderr, "host %d: catch up: %s\n", host, s.ToString().c_str());
    return 14;
  }
  {
    std::ofstream out(state, std::ios::binary);
    out << engine.StateBytes();
    if (!out) return 15;
  }
  if (gave_up.load() > 0)
    std::fprintf(stderr, "host %d: %d commands gave up\n", host, gave_up.load());
  return failures.load() == 0 ? 0 : 16;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

TEST(ManyHosts, FourProcessesOfTwoThreadsAgreeWithOneReplayOfTheirHistory) {
  TestDatabase db;
  ASSERT_TRUE(db.ok());
  {
    // The directory and the 50 requests, filed and submitted.
    auto setup = Engine::Open(HostOptions(db.uri()));
    ASSERT_TRUE(setup.ok()) << setup.status();
    ASSERT_TRUE((*setup)
                    ->Execute(UpdateDirectoryCommand(CompanyDirectory(), kFiled - absl::Hours(1)))
                    .ok());
    for (int i = 0; i < kRequests; ++i) {
      const std::vector<v1::Command> steps = StepsOf(i);
      for (int k = 0; k < 2; ++k) {
        v1::Command c = steps[k];
        SetTime(kFiled + absl::Minutes(i), &c);
        auto r = (*setup)->Execute(c);
        ASSERT_TRUE(r.ok()) << r.status();
      }
    }
  }  // closed before the fork: the hosts open their own connections

  ScratchDir scratch;
  int done[2], go[2];
  ASSERT_EQ(pipe(done), 0);
  ASSERT_EQ(pipe(go), 0);
  const absl::Time start_wall = absl::Now();
  std::vector<pid_t> hosts;
  for (int h = 0; h < kHosts; ++h) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      _exit(RunHost(h, db.uri(), start_wall, done[1], go[0], scratch.Sub(absl::StrCat("acks", h)),
                    scratch.Sub(absl::StrCat("state", h))));
    }
    hosts.push_back(pid);
  }
  for (int h = 0; h < kHosts; ++h) {
    char byte = 0;
    ASSERT_EQ(read(done[0], &byte, 1), 1) << "a host ended before its commands were done";
  }

  // A single-process replay of the database's history.
  auto replay = Engine::Open(HostOptions(db.uri()));
  ASSERT_TRUE(replay.ok()) << replay.status();
  const uint64_t last = (*replay)->LastPosition();
  for (int h = 0; h < kHosts; ++h) ASSERT_EQ(write(go[1], &last, sizeof last), 8);
  for (int h = 0; h < kHosts; ++h) {
    int status = 0;
    ASSERT_EQ(waitpid(hosts[h], &status, 0), hosts[h]);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0) << "host " << h;
  }
  const std::string replayed = (*replay)->StateBytes();
  for (int h = 0; h < kHosts; ++h) {
    EXPECT_TRUE(ReadFile(scratch.Sub(absl::StrCat("state", h))) == replayed)
        << "host " << h << "'s state differs from the replay's";
  }
  EXPECT_TRUE((*replay)->VerifyHistory().ok());

  // The history: each record's request and versions; no request event
  // twice; each rung and missed report once. A due item's key comes back
  // (the next report due of a task, "report/T1"), so a rung is known by its
  // request, key, rung and the time it was due; a missed report by its
  // request, key and due time.
  std::map<uint64_t, std::tuple<std::string, uint64_t, uint64_t>> records;
  std::set<std::pair<std::string, uint64_t>> versions;
  std::set<std::tuple<std::string, std::string, int, int64_t>> rungs;
  std::set<std::tuple<std::string, std::string, int64_t>> missed;
  int twice = 0, rungs_twice = 0, missed_twice = 0;
  ASSERT_TRUE((*replay)
                  ->ReadEvents(0,
                               [&](const v1::Event& e) {
                                 if (e.request_id().empty()) return absl::OkStatus();
                                 auto [it, added] = records.try_emplace(
                                     e.position(), e.request_id(), e.version(), e.version());
                                 if (!added) std::get<2>(it->second) = e.version();
                                 twice += !versions.insert({e.request_id(), e.version()}).second;
                                 if (e.has_escalation_sent()) {
                                   rungs_twice +=
                                       !rungs
                                            .insert({e.request_id(), e.escalation_sent().due_key(),
                                                     e.escalation_sent().rung(),
                                                     e.escalation_sent().scheduled_for().seconds()})
                                            .second;
                                 }
                                 if (e.has_report_missed()) {
                                   missed_twice +=
                                       !missed
                                            .insert({e.request_id(), e.report_missed().due_key(),
                                                     e.report_missed().due_at().seconds()})
                                            .second;
                                 }
                                 return absl::OkStatus();
                               })
                  .ok());
  EXPECT_EQ(twice, 0);
  EXPECT_EQ(rungs_twice, 0);
  EXPECT_EQ(missed_twice, 0);
  EXPECT_GE(rungs.size(), size_t{kRequests});  // every request's answers were overdue

  size_t acknowledged = 0;
  for (int h = 0; h < kHosts; ++h) {
    std::ifstream in(scratch.Sub(absl::StrCat("acks", h)));
    Acknowledged a;
    while (in >> a.position >> a.request >> a.first_version >> a.last_version) {
      ++acknowledged;
      auto it = records.find(a.position);
      ASSERT_NE(it, records.end()) << "acknowledged position " << a.position << " is missing";
      EXPECT_EQ(it->second, std::make_tuple(a.request, a.first_version, a.last_version))
          << "at position " << a.position;
    }
  }
  // The workers got through: at least five steps of every request on
  // average were someone's to take, not all refused.
  EXPECT_GE(acknowledged, size_t{5 * kRequests});
  std::printf("%zu commands acknowledged, %zu rungs fired, %zu records\n", acknowledged,
              rungs.size(), records.size());
}

}  // namespace
}  // namespace collabflow
