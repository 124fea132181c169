// The event store's durable commit rate and recovery time, with the anchors
// measured in the same run on the same disk:
//  - raw fdatasync of a 200-byte append (the physical limit of one-at-a-time
//    durability);
//  - SQLite in WAL mode with synchronous=FULL, one row per commit (when CMake
//    found SQLite3; skipped otherwise).
// Every store commit carries a 200-byte payload. BM_Engine* time whole
// commands through the engine on the same disk: a progress report (one event,
// ~0.9 KB record), each thread on its own running request. BM_OpenStore
// opens a store of 1M records in 50k streams through its stream index and by
// the full scan (verify_whole_journal_on_open), warm and with the store's
// files evicted from the page cache. Files go to $COLLABFLOW_BENCH_DIR
// (default /tmp) and are removed at exit.
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "benchmark/benchmark.h"
#include "collabflow/engine.h"
#include "collabflow/event_store.h"
#include "support/commands.h"
#include "support/seed_scenario.h"
#include "wire/time_proto.h"

#if COLLABFLOW_HAVE_SQLITE
#include <sqlite3.h>
#endif

namespace {

using collabflow::Durability;
using collabflow::EventStore;
using collabflow::kAnyVersion;
using collabflow::kEngineStream;
using collabflow::OpenDirectoryStore;
using collabflow::StoredRecord;
using collabflow::StoreOptions;

constexpr size_t kPayloadBytes = 200;

// One scratch directory for the whole run.
const std::string& BenchRoot() {
  static const std::string* const root = [] {
    const char* base = getenv("COLLABFLOW_BENCH_DIR");
    std::string pattern =
        absl::StrCat(base != nullptr && *base ? base : "/tmp", "/cflow-bench-XXXXXX");
    if (mkdtemp(pattern.data()) == nullptr) abort();
    static struct Cleanup {
      std::string path;
      ~Cleanup() {
        std::error_code ec;
        std::filesystem::remove_all(path, ec);
      }
    } cleanup{pattern};
    return new std::string(pattern);
  }();
  return *root;
}

std::string FreshDir(absl::string_view name) {
  std::string dir = absl::StrCat(BenchRoot(), "/", name);
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  return dir;
}

std::string Payload(uint64_t i) {
  std::string p(kPayloadBytes, 'e');
  const std::string tag = absl::StrCat("event-", i, "|");
  p.replace(0, tag.size(), tag);
  return p;
}

void BM_RawFdatasyncAppend(benchmark::State& state) {
  const std::string path = FreshDir("raw.log");
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    state.SkipWithError("open failed");
    return;
  }
  const std::string payload = Payload(0);
  for (auto _ : state) {
    if (::write(fd, payload.data(), payload.size()) != static_cast<ssize_t>(payload.size()) ||
        ::fdatasync(fd) != 0) {
      state.SkipWithError("write/fdatasync failed");
      break;
    }
  }
  ::close(fd);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_RawFdatasyncAppend)->Arg(kPayloadBytes)->UseRealTime();

EventStore* g_store = nullptr;

void OpenShared(benchmark::State& state, Durability durability, absl::string_view name) {
  if (state.thread_index() != 0) return;
  StoreOptions o;
  o.durability = durability;
  auto s = OpenDirectoryStore(FreshDir(name), o);
  if (!s.ok()) abort();
  g_store = s->release();
}
void CloseShared(benchmark::State& state) {
  if (state.thread_index() != 0) return;
  state.counters["last_sequence"] = static_cast<double>(g_store->LastPosition());
  delete g_store;
  g_store = nullptr;
}

void AppendLoop(benchmark::State& state) {
  const std::string payload = Payload(static_cast<uint64_t>(state.thread_index()));
  for (auto _ : state) {
    auto seq = g_store->Append(kEngineStream, kAnyVersion, payload);
    if (!seq.ok()) {
      state.SkipWithError(seq.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_StoreSyncEveryCommand(benchmark::State& state) {
  OpenShared(state, Durability::kSyncEveryCommand, "sync-every");
  AppendLoop(state);
  CloseShared(state);
}
BENCHMARK(BM_StoreSyncEveryCommand)->Arg(kPayloadBytes)->UseRealTime();

// The argument is the payload size; the thread count is in the name.
void BM_StoreGroupCommit(benchmark::State& state) {
  OpenShared(state, Durability::kGroupCommit, "group");
  AppendLoop(state);
  CloseShared(state);
}
BENCHMARK(BM_StoreGroupCommit)
    ->Arg(kPayloadBytes)
    ->UseRealTime()
    ->Threads(1)
    ->Threads(2)
    ->Threads(8)
    ->Threads(32);

// ---- whole commands through the engine ----

collabflow::Engine* g_engine = nullptr;
constexpr int kMaxEngineThreads = 32;

void OpenEngine(benchmark::State& state, Durability durability, absl::string_view name) {
  using namespace collabflow::testing;  // NOLINT: the seed vocabulary
  if (state.thread_index() != 0) return;
  collabflow::EngineOptions o;
  o.store_dir = FreshDir(name);
  o.store.durability = durability;
  auto e = collabflow::Engine::Open(std::move(o));
  if (!e.ok()) abort();
  g_engine = e->release();
  const absl::Time t = Shanghai(2026, 9, 2, 10);
  if (!g_engine->Execute(UpdateDirectoryCommand(SeedDirectory(), t)).ok()) abort();
  const collabflow::v1::Plan plan = SeedPlan();
  for (int i = 0; i < kMaxEngineThreads; ++i) {
    collabflow::v1::CollaborationRequest request = SeedRequestRevised();
    const std::string id = absl::StrCat("R", i);
    request.set_id(id);
    collabflow::v1::Command start;
    start.set_actor_id(kSalesData);
    start.set_request_id(id);
    collabflow::internal::ToProto(t, start.mutable_time());
    start.mutable_start_task()->set_task_id("T1");
    absl::Status st = ConfirmSeedCopy(*g_engine, request, t, &plan);
    if (st.ok()) st = g_engine->Execute(std::move(start)).status();
    if (!st.ok()) abort();
  }
}

void CloseEngine(benchmark::State& state) {
  if (state.thread_index() != 0) return;
  state.counters["last_sequence"] = static_cast<double>(g_engine->LastPosition());
  delete g_engine;
  g_engine = nullptr;
}

void ReportLoop(benchmark::State& state) {
  collabflow::v1::Command report;
  report.set_actor_id(collabflow::testing::kSalesData);
  report.set_request_id(absl::StrCat("R", state.thread_index()));
  collabflow::internal::ToProto(collabflow::testing::Shanghai(2026, 9, 3, 17),
                                report.mutable_time());
  collabflow::v1::ProgressReport* r = report.mutable_report_progress()->mutable_report();
  r->set_task_id("T1");
  r->set_work_done("客户数据已收集80%,华东、华南、西南三个区域待补充");
  r->set_percent_complete(80);
  for (auto _ : state) {
    auto result = g_engine->Execute(report);
    if (!result.ok()) {
      state.SkipWithError(result.status().ToString().c_str());
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

void BM_EngineSyncEveryCommand(benchmark::State& state) {
  OpenEngine(state, Durability::kSyncEveryCommand, "engine-sync-every");
  ReportLoop(state);
  CloseEngine(state);
}
BENCHMARK(BM_EngineSyncEveryCommand)->UseRealTime()->Threads(1)->Threads(8);

// Threads up to kMaxEngineThreads (one running request each).
void BM_EngineGroupCommit(benchmark::State& state) {
  OpenEngine(state, Durability::kGroupCommit, "engine-group");
  ReportLoop(state);
  CloseEngine(state);
}
BENCHMARK(BM_EngineGroupCommit)->UseRealTime()->Threads(1)->Threads(2)->Threads(8)->Threads(32);

#if COLLABFLOW_HAVE_SQLITE
void BM_SqliteWalSyncFull(benchmark::State& state) {
  const std::string path = FreshDir("sqlite.db");
  sqlite3* db = nullptr;
  if (sqlite3_open(path.c_str(), &db) != SQLITE_OK) {
    state.SkipWithError("sqlite3_open failed");
    return;
  }
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nullptr, nullptr, nullptr);
  sqlite3_exec(db, "CREATE TABLE events(seq INTEGER PRIMARY KEY, payload BLOB NOT NULL)", nullptr,
               nullptr, nullptr);
  sqlite3_stmt* insert = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO events(payload) VALUES(?)", -1, &insert, nullptr);
  const std::string payload = Payload(0);
  for (auto _ : state) {
    // Autocommit: one transaction, one WAL sync per row, as one command.
    sqlite3_bind_blob(insert, 1, payload.data(), static_cast<int>(payload.size()), SQLITE_STATIC);
    if (sqlite3_step(insert) != SQLITE_DONE) {
      state.SkipWithError(sqlite3_errmsg(db));
      break;
    }
    sqlite3_reset(insert);
  }
  sqlite3_finalize(insert);
  // Show the settings the run really had.
  std::string label;
  for (const char* pragma : {"PRAGMA journal_mode", "PRAGMA synchronous"}) {
    sqlite3_stmt* q = nullptr;
    sqlite3_prepare_v2(db, pragma, -1, &q, nullptr);
    if (sqlite3_step(q) == SQLITE_ROW) {
      absl::StrAppend(&label, label.empty() ? "" : " ", pragma + 7, "=",
                      reinterpret_cast<const char*>(sqlite3_column_text(q, 0)));
    }
    sqlite3_finalize(q);
  }
  state.SetLabel(label);
  sqlite3_close(db);
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_SqliteWalSyncFull)->Arg(kPayloadBytes)->UseRealTime();
#endif

// --- Recovery ---------------------------------------------------------------

// Builds (once) a store of `records` records, optionally with a snapshot of
// `snapshot_bytes` covering all but the last 1000.
std::string BuildRecoveryStore(uint64_t records, bool with_snapshot) {
  std::string dir = absl::StrCat(BenchRoot(), "/recovery-", records, with_snapshot ? "-snap" : "");
  if (std::filesystem::exists(dir)) return dir;
  StoreOptions o;
  o.durability = Durability::kNoSync;
  auto store = OpenDirectoryStore(dir, o);
  if (!store.ok()) abort();
  for (uint64_t i = 1; i <= records; ++i) {
    if (!(*store)->Append(kEngineStream, kAnyVersion, Payload(i)).ok()) abort();
    if (with_snapshot && i == records - 1000) {
      if (!(*store)->WriteSnapshot(i, std::string(size_t{4} << 20, 's')).ok()) abort();
    }
  }
  if (!(*store)->Close().ok()) abort();
  return dir;
}

// Open (through the stream index the close wrote: only later records are
// verified at open), read the snapshot, and
// replay every record after it through a callback: what the engine does.
void Recover(benchmark::State& state, bool with_snapshot) {
  const uint64_t records = static_cast<uint64_t>(state.range(0));
  const std::string dir = BuildRecoveryStore(records, with_snapshot);
  uint64_t replayed = 0;
  for (auto _ : state) {
    auto store = OpenDirectoryStore(dir);
    if (!store.ok()) {
      state.SkipWithError(store.status().ToString().c_str());
      break;
    }
    auto snap = (*store)->LatestSnapshot();
    const uint64_t from = snap.ok() && snap->has_value() ? (*snap)->covers : 0;
    replayed = 0;
    absl::Status s = (*store)->ReadAll(from, [&](const StoredRecord& record) {
      replayed += record.payload.size() == kPayloadBytes;
      return absl::OkStatus();
    });
    if (!s.ok()) {
      state.SkipWithError(s.ToString().c_str());
      break;
    }
  }
  state.counters["replayed"] = static_cast<double>(replayed);
}
void BM_RecoverWithoutSnapshot(benchmark::State& state) { Recover(state, false); }
void BM_RecoverWithSnapshot(benchmark::State& state) { Recover(state, true); }
BENCHMARK(BM_RecoverWithoutSnapshot)->Arg(1000000)->Unit(benchmark::kMillisecond)->Iterations(5);
BENCHMARK(BM_RecoverWithSnapshot)->Arg(1000000)->Unit(benchmark::kMillisecond)->Iterations(5);

// --- Open: stream index vs full scan -----------------------------------------

constexpr uint64_t kRecordsPerStream = 20;  // a request of 8-10 commands, two streams each

// Builds (once) a store of `records` records in records / kRecordsPerStream
// streams, interleaved as requests are; its clean close writes the index.
std::string BuildOpenStore(uint64_t records) {
  std::string dir = absl::StrCat(BenchRoot(), "/open-", records);
  if (std::filesystem::exists(dir)) return dir;
  StoreOptions o;
  o.durability = Durability::kNoSync;
  auto store = OpenDirectoryStore(dir, o);
  if (!store.ok()) abort();
  const uint64_t streams = std::max<uint64_t>(1, records / kRecordsPerStream);
  for (uint64_t i = 1; i <= records; ++i) {
    const std::string stream = absl::StrCat("request/", (i * 7919) % streams);
    if (!(*store)->Append(stream, kAnyVersion, Payload(i)).ok()) abort();
  }
  if (!(*store)->Close().ok()) abort();
  return dir;
}

// Drops the store's files from the page cache (only these files: the
// machine's other caches stay), so the open reads from the disk.
void EvictFromPageCache(const std::string& dir) {
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const int fd = open(entry.path().c_str(), O_RDONLY);
    if (fd < 0) continue;
    fdatasync(fd);
    posix_fadvise(fd, 0, 0, POSIX_FADV_DONTNEED);
    close(fd);
  }
}

// Args: records, full scan (0: through the index), cold (1: files evicted
// before each open). Times OpenDirectoryStore alone.
void BM_OpenStore(benchmark::State& state) {
  const uint64_t records = static_cast<uint64_t>(state.range(0));
  const bool full_scan = state.range(1) != 0;
  const bool cold = state.range(2) != 0;
  const std::string dir = BuildOpenStore(records);
  StoreOptions o;
  o.verify_whole_journal_on_open = full_scan;
  collabflow::RecoveryReport report;
  for (auto _ : state) {
    if (cold) {
      state.PauseTiming();
      EvictFromPageCache(dir);
      state.ResumeTiming();
    }
    auto store = OpenDirectoryStore(dir, o);
    if (!store.ok()) {
      state.SkipWithError(store.status().ToString().c_str());
      break;
    }
    state.PauseTiming();
    report = (*store)->recovery();
    store->reset();  // closing may rewrite the index: not timed
    state.ResumeTiming();
  }
  state.SetLabel(
      absl::StrCat(full_scan ? "full scan" : "stream index", cold ? ", cold" : ", warm"));
  state.counters["records"] = static_cast<double>(report.last_position);
  state.counters["streams"] = static_cast<double>(report.streams);
  state.counters["scanned"] = static_cast<double>(report.records_scanned);
  state.counters["index_used"] = report.index_used ? 1 : 0;
}
BENCHMARK(BM_OpenStore)
    ->ArgNames({"records", "full_scan", "cold"})
    ->Args({1000000, 0, 0})
    ->Args({1000000, 1, 0})
    ->Args({1000000, 0, 1})
    ->Args({1000000, 1, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(5);

}  // namespace
