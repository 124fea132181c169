// The PostgreSQL store's own behaviour (the EventStore contract runs on it in
// directory_store_test): the schema and its version, many handles on one
// database, errors that name the server and never hang, the high-water mark
// that never skips a record committing out of order, large records, damage.
#include <fcntl.h>
#include <libpq-fe.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <fstream>
#include <functional>
#include <future>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "collabflow/event_store.h"
#include "collabflow/log.h"
#include "gtest/gtest.h"
#include "store/crc32c.h"
#include "support/pg_test_database.h"
#include "support/store_test_support.h"

namespace collabflow {
namespace {

using ::collabflow::testing::ScratchDir;
using ::collabflow::testing::TestDatabase;

std::vector<std::string> ReadAllAsText(const EventStore& store) {
  std::vector<std::string> out;
  absl::Status s = store.ReadAll(0, [&](const StoredRecord& r) {
    out.push_back(absl::StrCat(r.position, ":", r.stream, "@", r.version, "=", r.payload));
    return absl::OkStatus();
  });
  EXPECT_TRUE(s.ok()) << s;
  return out;
}

// A raw libpq session beside the store, for what a test does behind its back.
class RawSession {
 public:
  explicit RawSession(const std::string& uri) : conn_(PQconnectdb(uri.c_str())) {
    EXPECT_EQ(PQstatus(conn_), CONNECTION_OK) << PQerrorMessage(conn_);
    PQsetNoticeProcessor(
        conn_, [](void*, const char*) {}, nullptr);
  }
  ~RawSession() { PQfinish(conn_); }
  std::string Exec(const std::string& sql) {
    PGresult* res = PQexec(conn_, sql.c_str());
    const ExecStatusType st = PQresultStatus(res);
    EXPECT_TRUE(st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
        << sql << ": " << PQresultErrorMessage(res);
    std::string first = PQntuples(res) > 0 ? PQgetvalue(res, 0, 0) : "";
    PQclear(res);
    return first;
  }

 private:
  PGconn* conn_;
};

TEST(PostgresStore, CreatesItsSchemaAndReopensWithItsRecords) {
  TestDatabase db;
  ASSERT_TRUE(db.ok());
  {
    auto store = OpenStore(db.uri());
    ASSERT_TRUE(store.ok()) << store.status();
    ASSERT_EQ(*(*store)->Append("request/A", 0, "a1"), 1u);
    ASSERT_EQ(*(*store)->Append("request/B", 0, "b1"), 2u);
    ASSERT_TRUE((*store)->WriteSnapshot(2, "state-2").ok());
    ASSERT_TRUE((*store)->Close().ok());
  }
  RawSession raw(db.uri());
  EXPECT_EQ(raw.Exec("SELECT version FROM collabflow_schema"), "1");
  auto store = OpenStore(db.uri());
  ASSERT_TRUE(store.ok()) << store.status();
  EXPECT_EQ((*store)->recovery().last_position, 2u);
  EXPECT_EQ((*store)->recovery().snapshot_position, 2u);
  EXPECT_EQ(ReadAllAsText(**store),
            (std::vector<std::string>{"1:request/A@1=a1", "2:request/B@1=b1"}));
  EXPECT_EQ(*(*store)->Append("request/A", 1, "a2"), 3u);
  EXPECT_EQ((*(*store)->LatestSnapshot())->state, "state-2");
}

TEST(PostgresStore, RefusesASchemaNewerThanItKnows) {
  TestDatabase db;
  ASSERT_TRUE(db.ok());
  ASSERT_TRUE(OpenStore(db.uri()).ok());
  ASSERT_TRUE(db.Exec("UPDATE collabflow_schema SET version = 99").ok());
  auto store = OpenStore(db.uri());
  EXPECT_TRUE(absl::IsFailedPrecondition(store.status())) << store.status();
  EXPECT_TRUE(absl::StrContains(store.status().message(), "version 99")) << store.status();
  EXPECT_TRUE(absl::StrContains(store.status().message(), "newer")) << store.status();
}

TEST(PostgresStore, ManyHandlesShareADatabaseAndSeeEachOthersRecords) {
  TestDatabase db;
  ASSERT_TRUE(db.ok());
  auto first = OpenStore(db.uri());
  ASSERT_TRUE(first.ok()) << first.status();
  auto second = OpenStore(db.uri());
  ASSERT_TRUE(second.ok()) << second.status();
  EXPECT_TRUE((*first)->shared());
  ASSERT_EQ(*(*first)->Append("request/A", 0, "a1"), 1u);
  ASSERT_EQ(*(*second)->Append("request/B", 0, "b1"), 2u);
  // A version the other handle took is refused, nothing written.
  auto stale = (*second)->Append("request/A", 0, "a1'");
  EXPECT_TRUE(absl::IsAborted(stale.status())) << stale.status();
  ASSERT_EQ(*(*second)->Append("request/A", 1, "a2"), 3u);
  const std::vector<std::string> all{"1:request/A@1=a1", "2:request/B@1=b1", "3:request/A@2=a2"};
  EXPECT_EQ(ReadAllAsText(**first), all);
  EXPECT_EQ(ReadAllAsText(**second), all);
  EXPECT_EQ((*first)->LastPosition(), 3u);
  auto memory = OpenMemoryStore();
  EXPECT_FALSE((*memory)->shared());
}

// What a listener heard: positions, in order.
class Heard {
 public:
  std::function<void(uint64_t)> Listener() {
    return [this](uint64_t position) {
      std::lock_guard<std::mutex> lock(mu_);
      positions_.push_back(position);
      cv_.notify_all();
    };
  }
  // Waits (up to 30 s: a correctness bound, not a speed target) until
  // `position` was heard.
  bool WaitFor(uint64_t position, size_t times = 1) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(30), [&] {
      return static_cast<size_t>(std::count(positions_.begin(), positions_.end(), position)) >=
             times;
    });
  }
  size_t count() {
    std::lock_guard<std::mutex> lock(mu_);
    return positions_.size();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<uint64_t> positions_;
};

TEST(PostgresStore, AHandleIsWokenByAnothersAppends) {
  TestDatabase db;
  ASSERT_TRUE(db.ok());
  auto listening = OpenStore(db.uri());
  ASSERT_TRUE(listening.ok()) << listening.status();
  auto writing = OpenStore(db.uri());
  ASSERT_TRUE(writing.ok()) << writing.status();
  Heard heard;
  (*listening)->SetAppendListener(heard.Listener());
  ASSERT_TRUE(heard.WaitFor(0));  // listening: read now, in case
  // A wake-up names the position; the record is read by position.
  ASSERT_EQ(*(*writing)->Append("request/A", 0, "a1"), 1u);
  ASSERT_TRUE(heard.WaitFor(1));
  EXPECT_EQ(ReadAllAsText(**listening), std::vector<std::string>{"1:request/A@1=a1"});
  // Its connection lost (the server ends its session), the listener comes
  // back and says that wake-ups may have been missed (0).
  RawSession raw(db.uri());
  raw.Exec(
      "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
      "WHERE query LIKE 'LISTEN collabflow_appended%' AND datname = current_database()");
  ASSERT_TRUE(heard.WaitFor(0, /*times=*/2));
  ASSERT_EQ(*(*writing)->Append("request/A", 1, "a2"), 2u);
  ASSERT_TRUE(heard.WaitFor(2));
  // Stopped: once SetAppendListener(nullptr) returns, nothing more is heard
  // (a new listener hears 4, sent after 3: the old one would have heard 3).
  (*listening)->SetAppendListener(nullptr);
  const size_t stopped_at = heard.count();
  ASSERT_EQ(*(*writing)->Append("request/A", 2, "a3"), 3u);
  Heard later;
  (*listening)->SetAppendListener(later.Listener());
  ASSERT_TRUE(later.WaitFor(0));
  ASSERT_EQ(*(*writing)->Append("request/A", 3, "a4"), 4u);
  ASSERT_TRUE(later.WaitFor(4));
  EXPECT_EQ(heard.count(), stopped_at);
  ASSERT_TRUE((*listening)->Close().ok());  // stops `later`'s listener too
}

TEST(PostgresStore, AnUnreachableServerIsUnavailableAtOnceNamingIt) {
  testing::UseBuiltPostgresModule();
  ScratchDir nowhere;  // a socket directory with no server
  const auto start = std::chrono::steady_clock::now();
  auto store = OpenStore(absl::StrCat("postgresql:///db?host=", nowhere.path()));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_TRUE(absl::IsUnavailable(store.status())) << store.status();
  EXPECT_TRUE(absl::StrContains(store.status().message(), nowhere.path())) << store.status();
}

TEST(PostgresStore, AConnectTimeoutBoundsTheWaitForASilentServer) {
  testing::UseBuiltPostgresModule();
  // A listening socket that never answers: the kernel completes the TCP
  // handshake, the "server" says nothing.
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT_GE(fd, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(listen(fd, 4), 0);
  socklen_t len = sizeof addr;
  ASSERT_EQ(getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  StoreOptions options;
  options.connect_timeout_seconds = 2;
  const auto start = std::chrono::steady_clock::now();
  auto store =
      OpenStore(absl::StrCat("postgresql://127.0.0.1:", ntohs(addr.sin_port), "/db"), options);
  const auto took = std::chrono::steady_clock::now() - start;
  close(fd);
  EXPECT_TRUE(absl::IsUnavailable(store.status())) << store.status();
  EXPECT_TRUE(absl::StrContains(store.status().message(), "127.0.0.1")) << store.status();
  EXPECT_LT(took, std::chrono::seconds(5));
}

TEST(PostgresStore, RefusedAuthenticationIsPermissionDenied) {
  TestDatabase db;
  ASSERT_TRUE(db.ok());
  // pg_hba.conf of the test server: cf_rejected is refused, cf_password
  // must give its password (scram-sha-256).
  ASSERT_TRUE(db.Exec("DO $$ BEGIN CREATE ROLE cf_password LOGIN PASSWORD 'right'; "
                      "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
                  .ok());
  ASSERT_TRUE(db.Exec("DO $$ BEGIN CREATE ROLE cf_rejected LOGIN; "
                      "EXCEPTION WHEN duplicate_object THEN NULL; END $$")
                  .ok());
  const std::string base = db.uri().substr(0, db.uri().find("&user="));
  auto rejected = OpenStore(absl::StrCat(base, "&user=cf_rejected"));
  EXPECT_TRUE(absl::IsPermissionDenied(rejected.status())) << rejected.status();
  auto wrong = OpenStore(absl::StrCat(base, "&user=cf_password&password=wrong"));
  EXPECT_TRUE(absl::IsPermissionDenied(wrong.status())) << wrong.status();
  EXPECT_FALSE(absl::StrContains(wrong.status().message(), "wrong")) << "password leaked";
}

TEST(PostgresStore, AMalformedUriIsInvalidArgument) {
  testing::UseBuiltPostgresModule();
  auto store = OpenStore("postgresql://host/db?no_such_parameter=1");
  EXPECT_TRUE(absl::IsInvalidArgument(store.status())) << store.status();
}

TEST(PostgresStore, AStatementTimeoutEndsAWaitForALock) {
  TestDatabase db;
  ASSERT_TRUE(db.ok());
  StoreOptions options;
  options.statement_timeout_ms = 300;
  auto store = OpenStore(db.uri(), options);
  ASSERT_TRUE(store.ok()) << store.status();
  RawSession raw(db.uri());
  raw.Exec("BEGIN");
  raw.Exec("LOCK TABLE collabflow_records IN ACCESS EXCLUSIVE MODE");
  const auto start = std::chrono::steady_clock::now();
  auto appended = (*store)->Append("s", 0, "x");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  EXPECT_TRUE(absl::IsDeadlineExceeded(appended.status())) << appended.status();
  EXPECT_TRUE(absl::StrContains(appended.status().message(), "PostgreSQL")) << appended.status();
  raw.Exec("ROLLBACK");
  EXPECT_EQ(*(*store)->Append("s", 0, "x"), 1u) << "the store carries on";
}

// The rule of the high-water mark: a transaction that claimed position 1 and
// commits after the store's append at position 2 is still read, before 2.
TEST(PostgresStore, ReadAllWaitsForATransactionThatClaimedAnEarlierPosition) {
  TestDatabase db;
  ASSERT_TRUE(db.ok());
  auto store = OpenStore(db.uri());
  ASSERT_TRUE(store.ok()) << store.status();
  RawSession other(db.uri());  // another writer, in the store's protocol
  other.Exec("BEGIN");
  const uint32_t crc = internal::crc32c::Value("early");
  EXPECT_EQ(other.Exec(absl::StrCat(
                "INSERT INTO collabflow_records (position, tx, stream, version, payload, crc) "
                "VALUES (collabflow_claim_position(), pg_current_xact_id(), 'other'::bytea, 1, "
                "'early'::bytea, ",
                crc, ") RETURNING position")),
            "1");
  ASSERT_EQ(*(*store)->Append("mine", 0, "late"), 2u);
  // Position 2 is committed, 1 is not yet: a read must not pass 1.
  auto read = std::async(std::launch::async, [&] { return ReadAllAsText(**store); });
  EXPECT_EQ(read.wait_for(std::chrono::milliseconds(300)), std::future_status::timeout);
  other.Exec("COMMIT");
  EXPECT_EQ(read.get(), (std::vector<std::string>{"1:other@1=early", "2:mine@1=late"}));
}

// Only collabflow's writers in this database hold the mark back: a long
// transaction elsewhere (here: another table, another database) does not.
TEST(PostgresStore, OtherOpenTransactionsDoNotHoldTheHighWaterMarkBack) {
  TestDatabase db;
  TestDatabase elsewhere;
  ASSERT_TRUE(db.ok() && elsewhere.ok());
  StoreOptions options;
  options.statement_timeout_ms = 2000;
  auto store = OpenStore(db.uri(), options);
  ASSERT_TRUE(store.ok()) << store.status();
  RawSession same_db(db.uri());
  same_db.Exec("CREATE TABLE unrelated (x integer)");
  same_db.Exec("BEGIN");
  same_db.Exec("INSERT INTO unrelated VALUES (1)");  // holds a transaction id
  RawSession other_db(elsewhere.uri());
  other_db.Exec("BEGIN");
  other_db.Exec("SELECT pg_current_xact_id()");
  ASSERT_EQ(*(*store)->Append("s", 0, "x"), 1u);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(ReadAllAsText(**store), (std::vector<std::string>{"1:s@1=x"}));
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(500));
  ASSERT_TRUE((*store)->Close().ok());
  // A fresh handle (no writes of its own) sees it too.
  auto reopened = OpenStore(db.uri(), options);
  ASSERT_TRUE(reopened.ok()) << reopened.status();
  EXPECT_EQ((*reopened)->LastPosition(), 1u);
  EXPECT_EQ(ReadAllAsText(**reopened), (std::vector<std::string>{"1:s@1=x"}));
  same_db.Exec("ROLLBACK");
  other_db.Exec("ROLLBACK");
}

TEST(PostgresStore, ReadAllGivesUpWhenAnOlderTransactionStaysOpen) {
  TestDatabase db;
  ASSERT_TRUE(db.ok());
  StoreOptions options;
  options.statement_timeout_ms = 300;
  auto store = OpenStore(db.uri(), options);
  ASSERT_TRUE(store.ok()) << store.status();
  RawSession other(db.uri());
  other.Exec("BEGIN");
  other.Exec("SELECT collabflow_claim_position()");
  ASSERT_EQ(*(*store)->Append("mine", 0, "late"), 2u);
  absl::Status s = (*store)->ReadAll(0, [](const StoredRecord&) { return absl::OkStatus(); });
  EXPECT_TRUE(absl::IsDeadlineExceeded(s)) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "still open")) << s;
  other.Exec("ROLLBACK");  // position 1 never appears
  EXPECT_EQ(ReadAllAsText(**store), (std::vector<std::string>{"2:mine@1=late"}));
}

TEST(PostgresStore, ARecordLargerThanOnePieceRoundTrips) {
  TestDatabase db;
  ASSERT_TRUE(db.ok());
  auto store = OpenStore(db.uri());
  ASSERT_TRUE(store.ok()) << store.status();
  std::string big((size_t{64} << 20) + 3'000'001, '\0');  // two pieces
  for (size_t i = 0; i < big.size(); i += 4096) big[i] = static_cast<char>(i / 4096);
  big.back() = 'z';
  ASSERT_EQ(*(*store)->Append("big", 0, big), 1u);
  ASSERT_EQ(*(*store)->Append("big", 1, "small"), 2u);
  std::vector<size_t> sizes;
  ASSERT_TRUE((*store)
                  ->ReadStream("big", 0,
                               [&](const StoredRecord& r) {
                                 EXPECT_EQ(r.payload == big, r.version == 1);
                                 sizes.push_back(r.payload.size());
                                 return absl::OkStatus();
                               })
                  .ok());
  EXPECT_EQ(sizes, (std::vector<size_t>{big.size(), 5}));
}

TEST(PostgresStore, ADamagedRecordIsDataLossNamingItsPosition) {
  TestDatabase db;
  ASSERT_TRUE(db.ok());
  auto store = OpenStore(db.uri());
  ASSERT_TRUE(store.ok()) << store.status();
  ASSERT_TRUE((*store)->Append("s", 0, "good").ok());
  ASSERT_TRUE((*store)->Append("s", 1, "also good").ok());
  ASSERT_TRUE(
      db.Exec("UPDATE collabflow_records SET payload = 'bad'::bytea WHERE position = 2").ok());
  absl::Status s = (*store)->ReadAll(0, [](const StoredRecord&) { return absl::OkStatus(); });
  EXPECT_TRUE(absl::IsDataLoss(s)) << s;
  EXPECT_TRUE(absl::StrContains(s.message(), "position 2")) << s;
  ASSERT_TRUE((*store)->WriteSnapshot(2, "state").ok());
  ASSERT_TRUE(db.Exec("UPDATE collabflow_snapshot_chunks SET bytes = 'xxxxx'::bytea").ok());
  EXPECT_TRUE(absl::IsDataLoss((*store)->LatestSnapshot().status()));
}

// libpq's notices ("relation ... already exists, skipping" on a second open)
// never reach stderr.
TEST(PostgresStore, NoticesGoToTheLibrarysLogNeverToStderr) {
  TestDatabase db;
  ASSERT_TRUE(db.ok());
  std::mutex mu;
  std::vector<std::string> heard;
  SetLogCallback([&](LogLevel level, absl::string_view message) {
    std::lock_guard<std::mutex> lock(mu);
    if (level == LogLevel::kInfo) heard.emplace_back(message);
  });
  ScratchDir dir;
  const std::string path = dir.Sub("stderr");
  fflush(stderr);
  const int saved = dup(2);
  const int file = open(path.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
  ASSERT_GE(file, 0);
  dup2(file, 2);
  for (int i = 0; i < 2; ++i) {
    auto store = OpenStore(db.uri());
    EXPECT_TRUE(store.ok());
    if (store.ok()) (void)(*store)->Close();
  }
  fflush(stderr);
  dup2(saved, 2);
  close(saved);
  close(file);
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "");
  SetLogCallback(nullptr);
  // The second open's "CREATE TABLE IF NOT EXISTS" drew a notice, which the
  // log heard, naming the server.
  const bool notice = std::any_of(heard.begin(), heard.end(), [](const std::string& m) {
    return absl::StrContains(m, "PostgreSQL") && absl::StrContains(m, "already exists");
  });
  EXPECT_TRUE(notice) << (heard.empty() ? "nothing heard" : heard.front());
}

}  // namespace
}  // namespace collabflow
