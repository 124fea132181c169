#include "store/postgres/append_wakeups.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"

namespace collabflow::internal::pg {

void AppendNotifier::Appended(uint64_t position) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stop_ || position <= noted_) return;
  noted_ = position;
  if (!thread_.joinable()) thread_ = std::thread([this] { Run(); });
  cv_.notify_one();
}

void AppendNotifier::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void AppendNotifier::Run() {
  std::unique_ptr<Connection> conn;
  std::unique_lock<std::mutex> lock(mu_);
  while (true) {
    cv_.wait(lock, [this] { return stop_ || noted_ > sent_; });
    if (stop_) return;
    const uint64_t position = noted_;
    lock.unlock();
    if (conn == nullptr || !conn->reusable()) {
      absl::StatusOr<std::unique_ptr<Connection>> opened = Connection::Open(options_);
      conn = opened.ok() ? std::move(*opened) : nullptr;
    }
    if (conn != nullptr) {
      // Outside any transaction of the appender's: committed already.
      (void)conn->Exec("SELECT pg_notify($1, $2)",
                       {Param::Text(kAppendChannel), Param::Text(absl::StrCat(position))});
    }
    lock.lock();
    // Sent, or dropped with the connection (listeners read now and then).
    sent_ = std::max(sent_, position);
  }
}

AppendListener::AppendListener(ConnectOptions options, std::function<void(uint64_t)> fn)
    : options_(std::move(options)), fn_(std::move(fn)) {
  if (pipe(wake_) != 0) wake_[0] = wake_[1] = -1;
  thread_ = std::thread([this] { Run(); });
}

AppendListener::~AppendListener() {
  const char byte = 1;
  if (wake_[1] >= 0) (void)!write(wake_[1], &byte, 1);
  thread_.join();
  for (int fd : wake_) {
    if (fd >= 0) close(fd);
  }
}

void AppendListener::Run() {
  auto pause = std::chrono::milliseconds(10);
  const auto stopped = [&](std::chrono::milliseconds wait) {
    pollfd fd{wake_[0], POLLIN, 0};
    return wake_[0] < 0 || poll(&fd, 1, static_cast<int>(wait.count())) != 0;
  };
  while (true) {
    absl::StatusOr<std::unique_ptr<Connection>> conn = Connection::Open(options_);
    if (conn.ok() && (*conn)->Exec(absl::StrCat("LISTEN ", kAppendChannel)).ok()) {
      pause = std::chrono::milliseconds(10);
      // What was sent before this listener listened is lost: the follower
      // reads now.
      fn_(0);
      while (true) {
        absl::StatusOr<std::vector<std::string>> got = (*conn)->WaitForNotifications(wake_[0], -1);
        if (!got.ok()) break;  // the connection is lost: reconnect
        if (got->empty()) {
          if (stopped(std::chrono::milliseconds(0))) return;
          continue;
        }
        uint64_t last = 0;
        for (const std::string& payload : *got) {
          uint64_t position = 0;
          if (absl::SimpleAtoi(payload, &position)) last = std::max(last, position);
        }
        fn_(last);
      }
    }
    if (stopped(pause)) return;
    pause = std::min(pause * 2, std::chrono::milliseconds(1000));
  }
}

}  // namespace collabflow::internal::pg
