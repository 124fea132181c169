// How the handles of one PostgreSQL store wake each other after appends:
// NOTIFY sent after each commit, LISTEN on a connection of its own.
//
// A NOTIFY inside the appending transaction would take the server's global
// notify lock through the commit, serializing every writer; and a payload
// holds at most 8,000 bytes. So the notification is sent after the commit,
// from a thread of its own (the appender does not wait for it), and carries
// the position alone: the records are read by position, up to the
// high-water mark (postgres_store.h), and a notification is only the cue to
// read. Appends that come while one is being sent are merged into the next
// (the last position).
//
// Thread-safe.
#ifndef COLLABFLOW_SRC_STORE_POSTGRES_APPEND_WAKEUPS_H_
#define COLLABFLOW_SRC_STORE_POSTGRES_APPEND_WAKEUPS_H_

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

#include "store/postgres/pg_connection.h"

namespace collabflow::internal::pg {

// The channel (per database, as PostgreSQL's notifications are).
inline constexpr char kAppendChannel[] = "collabflow_appended";

// Sends a notification on kAppendChannel after appends.
class AppendNotifier {
 public:
  explicit AppendNotifier(ConnectOptions options) : options_(std::move(options)) {}
  ~AppendNotifier() { Stop(); }

  // Notes that the record at `position` was committed: a notification with
  // the largest position noted is sent soon (starting the sender's thread
  // the first time). Never blocks on the server. A notification that
  // cannot be sent (the server is down) is dropped: listeners read now and
  // then anyway.
  void Appended(uint64_t position);
  // Stops the thread (the notification in flight is sent or dropped).
  void Stop();

 private:
  void Run();

  const ConnectOptions options_;
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t noted_ = 0;  // the largest position noted
  uint64_t sent_ = 0;   // the largest position sent
  bool stop_ = false;
  std::thread thread_;
};

// Listens on kAppendChannel on a connection of its own and calls `fn` with
// each notification's position; with 0 after (re)connecting, as
// notifications sent while it was away are lost. Reconnects, backing off up
// to a second, while the server is away.
class AppendListener {
 public:
  AppendListener(ConnectOptions options, std::function<void(uint64_t)> fn);
  // Stops the thread: once it returns, `fn` is not running and will not
  // run.
  ~AppendListener();

 private:
  void Run();

  const ConnectOptions options_;
  const std::function<void(uint64_t)> fn_;
  int wake_[2] = {-1, -1};  // a pipe: a byte written stops the thread
  std::thread thread_;
};

}  // namespace collabflow::internal::pg

#endif  // COLLABFLOW_SRC_STORE_POSTGRES_APPEND_WAKEUPS_H_
