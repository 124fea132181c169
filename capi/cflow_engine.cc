// The engine through the C ABI. Engine and options handles are checked in
// their handle tables (handle_table.h): a closed or foreign handle is refused
// (never dereferenced), calls on different engines share nothing, and a
// close waits for the calls in flight on other threads.
#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "base/status_macros.h"
#include "boundary.h"
#include "collabflow.h"
#include "collabflow/engine.h"
#include "engine_handle.h"
#include "handle_table.h"
#include "message_io.h"
#include "wire/time_proto.h"

namespace {

using collabflow::capi::CheckOutputArgs;
using collabflow::capi::DecodeMessage;
using collabflow::capi::EncodeMessage;
using collabflow::capi::EncodeResult;
using collabflow::capi::EnumArg;
using collabflow::capi::FindRequestArgs;
using collabflow::capi::Guard;
using collabflow::capi::RequestArgs;
using collabflow::capi::RequireNonNull;

using collabflow::capi::HandleTable;

// What an options handle names. Its setters may be called from several
// threads (convention 9), so the options have their own lock.
struct OptionsObject {
  absl::Mutex mu;
  collabflow::EngineOptions options ABSL_GUARDED_BY(mu);
};

HandleTable<OptionsObject>& OptionsHandles() {
  static auto* handles = new HandleTable<OptionsObject>("options", collabflow::capi::kOptionsTag);
  return *handles;  // never destroyed: safe at exit
}

HandleTable<collabflow::Engine>& Engines() {
  static auto* handles =
      new HandleTable<collabflow::Engine>("engine", collabflow::capi::kEngineTag);
  return *handles;  // never destroyed: safe at exit
}

// The C constants are the positions in this table (collabflow.h).
constexpr collabflow::Durability kDurabilities[] = {collabflow::Durability::kSyncEveryCommand,
                                                    collabflow::Durability::kGroupCommit,
                                                    collabflow::Durability::kNoSync};
static_assert(CFLOW_DURABILITY_SYNC_EVERY_COMMAND == 0 && CFLOW_DURABILITY_GROUP_COMMIT == 1 &&
              CFLOW_DURABILITY_NO_SYNC == 2);

// A required NUL-terminated UTF-8 argument (boundary.h's TextArg).
absl::Status CheckText(const char* text, const char* name, std::string* out) {
  return collabflow::capi::TextArg(text, name, /*optional=*/false, /*required=*/false, out);
}

absl::Time FromMicros(int64_t micros) { return absl::FromUnixMicros(micros); }

// Runs fn(EngineOptions&) on a live options handle, under the options' lock.
template <typename Fn>
absl::Status WithOptions(const cflow_options* handle, Fn&& fn) {
  CFLOW_ASSIGN_OR_RETURN(auto options, OptionsHandles().Find(handle));
  absl::MutexLock lock(&options->mu);
  return fn(options->options);
}

// Declares `var`, the live engine behind `handle`, held for the rest of the
// call (a close waits for it); returns the refusal for a bad handle.
#define CFLOW_ENGINE(var, handle)                 \
  auto var##_ref = Engines().Find(handle);        \
  if (!var##_ref.ok()) return var##_ref.status(); \
  collabflow::Engine& var = **var##_ref

}  // namespace

extern "C" {

CFLOW_EXPORT cflow_status cflow_options_new(cflow_options** out) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    return OptionsHandles().Publish(std::make_unique<OptionsObject>(), out);
  });
}

CFLOW_EXPORT void cflow_options_free(cflow_options* options) {
  // NULL, unknown or already freed handles are ignored (never freed twice).
  OptionsHandles().FreeFromC(options);
}

CFLOW_EXPORT cflow_status cflow_options_set_store_dir(cflow_options* options, const char* dir) {
  return Guard([&]() -> absl::Status {
    std::string value;
    if (dir != nullptr) CFLOW_RETURN_IF_ERROR(CheckText(dir, "dir", &value));
    return WithOptions(options, [&](collabflow::EngineOptions& o) {
      o.store_dir = std::move(value);
      return absl::OkStatus();
    });
  });
}

CFLOW_EXPORT cflow_status cflow_options_set_store_uri(cflow_options* options, const char* uri) {
  return Guard([&]() -> absl::Status {
    if (uri == nullptr) return absl::InvalidArgumentError("uri is NULL");
    std::string value;
    CFLOW_RETURN_IF_ERROR(CheckText(uri, "uri", &value));
    if (!collabflow::IsPostgresUri(value)) {
      return absl::InvalidArgumentError(
          "uri: not a PostgreSQL URI (postgresql://... or postgres://...)");
    }
    return WithOptions(options, [&](collabflow::EngineOptions& o) {
      o.store_dir = std::move(value);
      return absl::OkStatus();
    });
  });
}

CFLOW_EXPORT cflow_status cflow_options_set_store_timeouts(cflow_options* options,
                                                           uint32_t connect_timeout_seconds,
                                                           uint32_t statement_timeout_ms) {
  return Guard([&]() -> absl::Status {
    if (connect_timeout_seconds == 0 || statement_timeout_ms == 0) {
      return absl::InvalidArgumentError("store timeouts must be positive");
    }
    return WithOptions(options, [&](collabflow::EngineOptions& o) {
      o.store.connect_timeout_seconds = connect_timeout_seconds;
      o.store.statement_timeout_ms = statement_timeout_ms;
      return absl::OkStatus();
    });
  });
}

CFLOW_EXPORT cflow_status cflow_options_set_read_only(cflow_options* options, int read_only) {
  return Guard([&]() -> absl::Status {
    return WithOptions(options, [&](collabflow::EngineOptions& o) {
      o.store.read_only = read_only != 0;
      return absl::OkStatus();
    });
  });
}

CFLOW_EXPORT cflow_status cflow_options_set_durability(cflow_options* options,
                                                       cflow_durability durability) {
  return Guard([&]() -> absl::Status {
    CFLOW_ASSIGN_OR_RETURN(collabflow::Durability value,
                           EnumArg(durability, kDurabilities, "durability"));
    return WithOptions(options, [&](collabflow::EngineOptions& o) {
      o.store.durability = value;
      return absl::OkStatus();
    });
  });
}

CFLOW_EXPORT cflow_status cflow_options_set_host_actor(cflow_options* options,
                                                       const char* actor_id) {
  return Guard([&]() -> absl::Status {
    std::string value;
    CFLOW_RETURN_IF_ERROR(CheckText(actor_id, "actor_id", &value));
    if (value.empty()) return absl::InvalidArgumentError("actor_id: empty");
    return WithOptions(options, [&](collabflow::EngineOptions& o) {
      o.host_actor_id = std::move(value);
      return absl::OkStatus();
    });
  });
}

CFLOW_EXPORT cflow_status cflow_options_set_request_cache_bytes(cflow_options* options,
                                                                uint64_t bytes) {
  return Guard([&]() -> absl::Status {
    return WithOptions(options, [&](collabflow::EngineOptions& o) {
      o.request_cache_bytes = static_cast<size_t>(bytes);
      return absl::OkStatus();
    });
  });
}

CFLOW_EXPORT cflow_status cflow_options_set_snapshot_every_records(cflow_options* options,
                                                                   uint64_t records) {
  return Guard([&]() -> absl::Status {
    return WithOptions(options, [&](collabflow::EngineOptions& o) {
      o.snapshot_every_records = records;
      return absl::OkStatus();
    });
  });
}

CFLOW_EXPORT cflow_status cflow_options_set_clock_tolerance(cflow_options* options,
                                                            int64_t tolerance_micros) {
  return Guard([&]() -> absl::Status {
    if (tolerance_micros < 0) {
      return absl::InvalidArgumentError(
          absl::StrCat("tolerance_micros: ", tolerance_micros, " is negative"));
    }
    return WithOptions(options, [&](collabflow::EngineOptions& o) {
      o.clock_tolerance = absl::Microseconds(tolerance_micros);
      return absl::OkStatus();
    });
  });
}

CFLOW_EXPORT cflow_status cflow_options_set_progress(cflow_options* options, cflow_progress_fn fn,
                                                     void* payload) {
  return Guard([&]() -> absl::Status {
    collabflow::ReadProgress progress;
    if (fn != nullptr) {
      progress = [fn, payload](uint64_t done, uint64_t total) {
        if (fn(static_cast<size_t>(done), static_cast<size_t>(total), payload) != 0) {
          return absl::CancelledError(
              absl::StrCat("cancelled by the progress callback at ", done, " of ", total));
        }
        return absl::OkStatus();
      };
    }
    return WithOptions(options, [&](collabflow::EngineOptions& o) {
      o.progress = std::move(progress);
      return absl::OkStatus();
    });
  });
}

CFLOW_EXPORT cflow_status cflow_engine_open(cflow_engine** out, const cflow_options* options) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    collabflow::EngineOptions engine_options;
    if (options != nullptr) {
      CFLOW_RETURN_IF_ERROR(WithOptions(options, [&](collabflow::EngineOptions& o) {
        engine_options = o;
        return absl::OkStatus();
      }));
    }
    CFLOW_ASSIGN_OR_RETURN(std::unique_ptr<collabflow::Engine> engine,
                           collabflow::Engine::Open(std::move(engine_options)));
    return Engines().Publish(std::move(engine), out);
  });
}

CFLOW_EXPORT void cflow_engine_close(cflow_engine* engine) {
  // NULL, unknown or already closed handles are ignored (never closed twice).
  Engines().FreeFromC(engine);
}

CFLOW_EXPORT cflow_status cflow_engine_execute(uint8_t** out, size_t* out_len, cflow_engine* engine,
                                               cflow_format format, const void* command,
                                               size_t command_len) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(CheckOutputArgs(out, out_len, format));
    CFLOW_ENGINE(e, engine);
    collabflow::v1::Command cmd;
    CFLOW_RETURN_IF_ERROR(DecodeMessage(format, command, command_len, "command", &cmd));
    CFLOW_ASSIGN_OR_RETURN(collabflow::v1::CommandResult result, e.Execute(std::move(cmd)));
    return EncodeMessage(result, format, out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_engine_preview_revision(uint8_t** out, size_t* out_len,
                                                        cflow_engine* engine, cflow_format format,
                                                        const void* command, size_t command_len) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(CheckOutputArgs(out, out_len, format));
    CFLOW_ENGINE(e, engine);
    collabflow::v1::Command cmd;
    CFLOW_RETURN_IF_ERROR(DecodeMessage(format, command, command_len, "command", &cmd));
    CFLOW_ASSIGN_OR_RETURN(collabflow::v1::RevisionPreview preview,
                           e.PreviewRevision(std::move(cmd)));
    return EncodeMessage(preview, format, out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_engine_get_request(uint8_t** out, size_t* out_len,
                                                   cflow_engine* engine, cflow_format format,
                                                   const char* request_id) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(CheckOutputArgs(out, out_len, format));
    CFLOW_ASSIGN_OR_RETURN(RequestArgs args, FindRequestArgs(engine, request_id));
    return EncodeResult(args.engine->GetRequest(args.request_id), format, out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_engine_schedule(uint8_t** out, size_t* out_len,
                                                cflow_engine* engine, cflow_format format,
                                                const char* request_id) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(CheckOutputArgs(out, out_len, format));
    CFLOW_ASSIGN_OR_RETURN(RequestArgs args, FindRequestArgs(engine, request_id));
    return EncodeResult(args.engine->GetSchedule(args.request_id), format, out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_engine_must_do(uint8_t** out, size_t* out_len, cflow_engine* engine,
                                               cflow_format format, const char* person_id,
                                               int64_t at_unix_micros) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(CheckOutputArgs(out, out_len, format));
    CFLOW_ENGINE(e, engine);
    std::string id;
    CFLOW_RETURN_IF_ERROR(CheckText(person_id, "person_id", &id));
    auto list = e.MustDo(id, FromMicros(at_unix_micros));
    if (!list.ok()) return list.status();
    return EncodeMessage(*list, format, out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_engine_overdue(uint8_t** out, size_t* out_len, cflow_engine* engine,
                                               cflow_format format, int64_t at_unix_micros) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(CheckOutputArgs(out, out_len, format));
    CFLOW_ENGINE(e, engine);
    return EncodeMessage(e.Overdue(FromMicros(at_unix_micros)), format, out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_engine_tick(size_t* out_events, cflow_engine* engine,
                                            int64_t now_unix_micros) {
  return Guard([&]() -> absl::Status {
    CFLOW_ENGINE(e, engine);
    // The instant is stamped on the reminder events it appends, so it must be
    // one the journal and every reader accept (the engine's supported years).
    google::protobuf::Timestamp ts;
    collabflow::internal::ToProto(FromMicros(now_unix_micros), &ts);
    CFLOW_RETURN_IF_ERROR(
        collabflow::internal::CheckedFromProto(ts, true, "now_unix_micros").status());
    auto n = e.Tick(FromMicros(now_unix_micros));
    if (!n.ok()) return n.status();
    if (out_events != nullptr) *out_events = static_cast<size_t>(*n);
    return absl::OkStatus();
  });
}

CFLOW_EXPORT cflow_status cflow_engine_outbox_read(uint8_t** out, size_t* out_len,
                                                   cflow_engine* engine, cflow_format format,
                                                   uint64_t after, size_t max) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(CheckOutputArgs(out, out_len, format));
    CFLOW_ENGINE(e, engine);
    collabflow::v1::OutboxPage page;
    for (auto& n : e.ReadOutbox(after, max)) *page.add_notifications() = std::move(n);
    return EncodeMessage(page, format, out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_engine_outbox_ack(cflow_engine* engine, uint64_t up_to) {
  return Guard([&]() -> absl::Status {
    CFLOW_ENGINE(e, engine);
    return e.AcknowledgeOutbox(up_to);
  });
}

CFLOW_EXPORT cflow_status cflow_engine_catch_up(cflow_engine* engine, uint64_t position) {
  return Guard([&]() -> absl::Status {
    CFLOW_ENGINE(e, engine);
    return e.CatchUp(position);
  });
}

CFLOW_EXPORT cflow_status cflow_engine_events(uint8_t** out, size_t* out_len, cflow_engine* engine,
                                              cflow_format format, uint64_t after, size_t max) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(CheckOutputArgs(out, out_len, format));
    CFLOW_ENGINE(e, engine);
    // Whole records, as many as it takes to reach `max` events: the cursor
    // is a record's position.
    collabflow::v1::EventPage page;
    bool full = false;
    const absl::Status read = e.ReadEvents(after, [&](const collabflow::v1::Event& ev) {
      if (page.events_size() > 0 && static_cast<size_t>(page.events_size()) >= max &&
          ev.position() != page.events(page.events_size() - 1).position()) {
        full = true;
        return absl::CancelledError("page full");
      }
      *page.add_events() = ev;
      return absl::OkStatus();
    });
    if (!full) CFLOW_RETURN_IF_ERROR(read);
    return EncodeMessage(page, format, out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_engine_state(uint8_t** out, size_t* out_len, cflow_engine* engine,
                                             cflow_format format) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(CheckOutputArgs(out, out_len, format));
    CFLOW_ENGINE(e, engine);
    collabflow::v1::EngineState state;
    if (!state.ParseFromString(e.StateBytes())) return absl::InternalError("state does not parse");
    return EncodeMessage(state, format, out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_engine_write_snapshot(cflow_engine* engine) {
  return Guard([&]() -> absl::Status {
    CFLOW_ENGINE(e, engine);
    return e.WriteSnapshot();
  });
}

}  // extern "C"

namespace collabflow::capi {

// For the entry points in other files (engine_handle.h).
absl::StatusOr<EngineRef> FindEngine(const cflow_engine* handle) { return Engines().Find(handle); }

absl::StatusOr<RequestArgs> FindRequestArgs(const cflow_engine* handle, const char* request_id) {
  CFLOW_ASSIGN_OR_RETURN(EngineRef engine, Engines().Find(handle));
  std::string id;
  CFLOW_RETURN_IF_ERROR(CheckText(request_id, "request_id", &id));
  return RequestArgs{std::move(engine), std::move(id)};
}

}  // namespace collabflow::capi
