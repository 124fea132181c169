// The library's log: the host's callback, and libprotobuf's handler captured
// only on request, chaining what is not the library's to the handler
// installed before.
#include "base/library_log.h"

#include <cstdio>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "calendar/calendar_impl.h"
#include "collabflow/log.h"
#include "google/protobuf/stubs/logging.h"
#include "gtest/gtest.h"

namespace collabflow {
namespace {

std::vector<std::string>* host_lines = nullptr;

void HostHandler(google::protobuf::LogLevel, const char*, int, const std::string& message) {
  host_lines->push_back(message);
}

TEST(LibraryLog, MessagesGoToTheCallbackOrNowhere) {
  std::vector<std::pair<LogLevel, std::string>> got;
  internal::Log(LogLevel::kWarning, "dropped: no callback yet");
  SetLogCallback([&](LogLevel level, absl::string_view message) {
    got.emplace_back(level, std::string(message));
  });
  internal::Log(LogLevel::kWarning, "the snapshot writer failed");
  SetLogCallback(nullptr);
  internal::Log(LogLevel::kError, "dropped again");
  ASSERT_EQ(got.size(), 1u);
  EXPECT_EQ(got[0].first, LogLevel::kWarning);
  EXPECT_EQ(got[0].second, "the snapshot writer failed");
}

TEST(LibraryLog, ProtobufIsCapturedOnlyOnRequestAndChainsTheHostsMessages) {
  std::vector<std::string> host;
  host_lines = &host;
  std::vector<std::string> library;
  SetLogCallback([&](LogLevel, absl::string_view message) { library.emplace_back(message); });
  google::protobuf::LogHandler* before = google::protobuf::SetLogHandler(&HostHandler);

  // Not captured: the library leaves the host's handler alone.
  {
    const internal::LibraryCallScope scope;
    GOOGLE_LOG(ERROR) << "inside a call, not captured";
  }
  ASSERT_TRUE(CaptureProtobufLog(true).ok());
  GOOGLE_LOG(ERROR) << "the host's own";
  {
    const internal::LibraryCallScope scope;
    GOOGLE_LOG(ERROR) << "inside a call, captured";
  }
  ASSERT_TRUE(CaptureProtobufLog(false).ok());
  // Released: the host's handler is back in place.
  EXPECT_EQ(google::protobuf::SetLogHandler(before), &HostHandler);
  SetLogCallback(nullptr);
  host_lines = nullptr;

  EXPECT_EQ(host, (std::vector<std::string>{"inside a call, not captured", "the host's own"}));
  ASSERT_EQ(library.size(), 1u);
  EXPECT_NE(library[0].find("inside a call, captured"), std::string::npos) << library[0];
}

TEST(LibraryLog, ReleasingAfterAnotherHandlerWasInstalledLeavesIt) {
  google::protobuf::LogHandler* before = google::protobuf::SetLogHandler(nullptr);
  ASSERT_TRUE(CaptureProtobufLog(true).ok());
  google::protobuf::SetLogHandler(&HostHandler);  // someone else's, after ours
  EXPECT_TRUE(absl::IsFailedPrecondition(CaptureProtobufLog(false)));
  EXPECT_EQ(google::protobuf::SetLogHandler(before), &HostHandler);
}

// The library's only aborts (a broken installation) say why through the
// log callback first, and print nothing themselves.
TEST(LibraryLogDeathTest, AnAbortTellsTheCallbackWhyAndPrintsNothing) {
  const absl::Status bad = absl::InternalError("a day past its year");
  EXPECT_DEATH(
      {
        SetLogCallback([](LogLevel level, absl::string_view message) {
          std::fprintf(stderr, "host heard (%d): %.*s\n", static_cast<int>(level),
                       static_cast<int>(message.size()), message.data());
        });
        internal::DieOnBadBuiltinCalendar("china-mainland", bad);
      },
      "host heard \\(2\\): collabflow: built-in calendar china-mainland is invalid: INTERNAL: "
      "a day past its year");
  EXPECT_DEATH(
      {
        SetLogCallback(nullptr);
        internal::DieOnBadBuiltinCalendar("china-mainland", bad);
      },
      "^$");
}

}  // namespace
}  // namespace collabflow
