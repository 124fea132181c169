/* collabflow.h -- the stable C ABI of collabflow.
 *
 * A host meets the library in the order of this file: versions and errors;
 * options and the engine; commands (everything that changes the engine);
 * queries (what it knows, in protobuf or JSON); working-time calendars;
 * records and reports; the scheduler on its own (task graphs and the
 * critical path, without an engine). Every command of the process
 * (collabflow.v1.Command in proto/collabflow/v1/command.proto) goes through
 * one entry point, cflow_engine_execute(), as protobuf bytes or as JSON
 * text, so the schema is the one model of what can be asked and this header
 * need not follow it.
 *
 * Conventions (they hold for every function below unless it says otherwise):
 *
 *  1. Names. Functions are cflow_<module>_<verb>; constants and macros are
 *     CFLOW_*. Only cflow_* symbols are exported from libcollabflow.so.
 *  2. Status. A function that can fail returns cflow_status: CFLOW_OK (0) or
 *     a negative code. The values are fixed forever; new codes are only ever
 *     appended. A failed call changes nothing and leaves its out-parameters
 *     untouched. A code the caller does not know must be treated as a
 *     failure (cflow_status_name() gives "UNRECOGNIZED" for it).
 *  3. Last error. After a failure, cflow_last_error() returns a UTF-8 message
 *     for the calling thread (never NULL) that names the argument, field or
 *     limit at fault; cflow_last_error_code() the code. Both stay valid, and
 *     unchanged, until the next failing cflow_* call on that thread; a
 *     successful call does not clear them.
 *  4. Outputs first. Output parameters come first and are named out...; every
 *     pointer is checked, and NULL where a pointer is required is
 *     CFLOW_INVALID_ARGUMENT. An input buffer may be NULL only with length 0.
 *     Optional pointers say so ("may be NULL").
 *  5. Buffers. A buffer is a pointer and a size_t length. Returned ones come
 *     through (out, out_len): text (UTF-8: a report, a calendar, a request's
 *     JSON) as char**; bytes, and anything whose encoding a cflow_format
 *     argument picks (protobuf or JSON), as uint8_t**. They were allocated
 *     by the library and belong to the caller, who releases them with
 *     cflow_free() (never with free(): the library may use another
 *     allocator). Every returned buffer is also NUL-terminated, the NUL not
 *     counted in *out_len, so JSON and text can be read as C strings. Inputs
 *     are const char* for text, const uint8_t* for bytes, and const void*
 *     where a cflow_format picks protobuf bytes or JSON text (either passes
 *     without a cast).
 *     const char * results of functions that cannot fail (version, status
 *     names) are static and must not be freed. The library never keeps a
 *     pointer the caller passed in: inputs are copied or only read during
 *     the call (the two exceptions: the payload of a progress callback, see
 *     cflow_options_set_progress(), and of the log callback, see
 *     cflow_log_set_callback()). cflow_free(NULL) does nothing.
 *  6. Integers. A count of anything (bytes, items, events, records) is
 *     size_t. Ids and positions in an ordered feed (a notification id, a
 *     record's position) are uint64_t. Signed quantities (instants and
 *     durations in microseconds, numbers of working days to add) are
 *     int64_t. Version numbers, enum values and flags (0 or 1) are int.
 *     A task of a task graph is a cflow_task (uint32_t), and working-day
 *     durations, lags and dates there are int32_t: columns of millions.
 *     Nothing wraps: an integer in a JSON input that its field's type
 *     cannot hold is CFLOW_INVALID_ARGUMENT naming the field (the Python
 *     binding likewise refuses an int its C parameter cannot hold, before
 *     the call, as InvalidArgument naming the parameter).
 *  7. Handles and lifetimes. A handle (cflow_engine, cflow_options,
 *     cflow_calendar, cflow_task_graph) is created by a function that
 *     returns it through an out-parameter, owned by the caller and released
 *     by its _free/_close function, which accepts NULL and ignores a handle
 *     it already released.
 *     A released, foreign or mistyped handle is refused with
 *     CFLOW_INVALID_ARGUMENT, never dereferenced: a handle is a checked
 *     number, not an address, and a released one stays refused even after
 *     its slot is used again by a later constructor. Releasing waits for the
 *     calls in flight on the object from other threads (so it must not
 *     happen inside such a call, e.g. from a progress callback); calls on
 *     different objects never wait for each other.
 *  8. Encoding. All text is UTF-8; invalid UTF-8 input is
 *     CFLOW_INVALID_ARGUMENT. Byte inputs carry an explicit length and need no
 *     NUL terminator; a length above CFLOW_MAX_INPUT_BYTES is
 *     CFLOW_RESOURCE_EXHAUSTED, refused before the bytes are read. Entities
 *     cross as collabflow.v1 protobuf bytes (see the .proto files installed
 *     under share/collabflow/proto) or as their proto3 JSON form (a cflow_format
 *     argument picks one). Unknown JSON fields, unknown protobuf field numbers
 *     and unknown enum values are CFLOW_INVALID_ARGUMENT naming the field
 *     (an older library refuses what it cannot honour rather than guess).
 *  9. Threads. Functions without a handle may be called from any thread. An
 *     engine is thread-safe (commands are serialized inside), and so are a
 *     calendar (immutable), an options object (its setters lock it) and a
 *     task graph (its calls are serialized inside).
 * 10. Exceptions never escape: every entry point catches everything and
 *     returns a status (CFLOW_INTERNAL, or CFLOW_RESOURCE_EXHAUSTED when out
 *     of memory). Functions returning void cannot fail.
 * 11. Versions. CFLOW_VERSION* (collabflow_version.h) give the version you
 *     compiled against; cflow_version*() the one you run with.
 *     CFLOW_VERSION_CHECK() is true when the running library has the same ABI
 *     and is at least as new as the header: check it once at start-up.
 *     Within one ABI version functions are only added, never changed; a
 *     changed behaviour gets a new name (_v2). See docs/abi.md.
 */
#ifndef COLLABFLOW_H_
#define COLLABFLOW_H_

#include <stddef.h>
#include <stdint.h>

#include "collabflow_version.h"

#if defined(CFLOW_BUILDING_LIBRARY)
#define CFLOW_EXPORT __attribute__((visibility("default")))
#else
#define CFLOW_EXPORT
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* ==== Versions and errors ============================================== */

/* Status codes (fixed forever; the canonical codes, negated). */
typedef int cflow_status;
enum {
  CFLOW_OK = 0,
  CFLOW_CANCELLED = -1,
  CFLOW_UNKNOWN = -2,
  CFLOW_INVALID_ARGUMENT = -3, /* bad input: the message names the field */
  CFLOW_DEADLINE_EXCEEDED = -4,
  CFLOW_NOT_FOUND = -5, /* the entity does not exist */
  CFLOW_ALREADY_EXISTS = -6,
  CFLOW_PERMISSION_DENIED = -7,   /* the actor's role does not allow it */
  CFLOW_RESOURCE_EXHAUSTED = -8,  /* a documented limit was exceeded */
  CFLOW_FAILED_PRECONDITION = -9, /* not allowed in the current state */
  CFLOW_ABORTED = -10,
  CFLOW_OUT_OF_RANGE = -11,
  CFLOW_UNIMPLEMENTED = -12,
  CFLOW_INTERNAL = -13,
  CFLOW_UNAVAILABLE = -14,
  CFLOW_DATA_LOSS = -15 /* stored data is damaged */
};

/* The longest input buffer any function accepts (1 GiB). */
#define CFLOW_MAX_INPUT_BYTES ((size_t)1 << 30)

/* The running library's version, e.g. "0.3.0". Static; do not free. */
CFLOW_EXPORT const char* cflow_version(void);
/* MAJOR * 1000000 + MINOR * 1000 + PATCH of the running library. */
CFLOW_EXPORT int cflow_version_number(void);
/* The running library's ABI version (the soname number: libcollabflow.so.N),
 * which counts the incompatible changes of this header (docs/abi.md). */
CFLOW_EXPORT int cflow_abi_version(void);

/* True (non-zero) when the running library can serve a program compiled
 * against this header: the same ABI version and a version number at least
 * CFLOW_VERSION_NUMBER (functions are only ever added). */
#define CFLOW_VERSION_CHECK() \
  (cflow_abi_version() == CFLOW_ABI_VERSION && cflow_version_number() >= CFLOW_VERSION_NUMBER)

/* The message of the calling thread's last failure ("" if none). Valid until
 * the next failing cflow_* call on this thread. Never NULL. */
CFLOW_EXPORT const char* cflow_last_error(void);
/* The code of the calling thread's last failure (CFLOW_OK if none). */
CFLOW_EXPORT cflow_status cflow_last_error_code(void);
/* "OK", "INVALID_ARGUMENT", ...; "UNRECOGNIZED" for a value not listed
 * above. Static; do not free. */
CFLOW_EXPORT const char* cflow_status_name(cflow_status status);
/* Releases a buffer returned by the library. NULL is allowed. */
CFLOW_EXPORT void cflow_free(void* buffer);

/* Logging. The library never writes to the process's stderr: what goes
 * wrong in a call is its status, and what has no call to answer (a
 * snapshot that an engine's own thread failed to write) goes to the log
 * callback, or nowhere if none is set. */
enum { CFLOW_LOG_INFO = 0, CFLOW_LOG_WARNING = 1, CFLOW_LOG_ERROR = 2 };
/* `message` is NUL-terminated UTF-8, valid during the call only. The
 * callback may be called from any thread (an engine's snapshot writer, a
 * call on another thread), concurrently; it must not call
 * cflow_log_set_callback(). */
typedef void (*cflow_log_fn)(int level, const char* message, void* payload);

/* Sets the process-wide log callback (fn NULL removes it: messages are
 * dropped, the default). Like the progress callback's, `payload` is kept
 * (never dereferenced) and handed to `fn`, so it must stay valid until the
 * callback is replaced. Any thread, at any time. Always CFLOW_OK. */
CFLOW_EXPORT cflow_status cflow_log_set_callback(cflow_log_fn fn, void* payload);

/* libprotobuf's own log messages (e.g. "String field ... contains invalid
 * UTF-8") go through a process-wide handler that may be the host's. The
 * library does not touch it unless asked here: it checks the bytes it
 * parses first, so bad input is a status, not a message. capture non-zero
 * installs the library's handler (google::protobuf::SetLogHandler): a
 * message logged while a cflow_* call runs on that thread goes to the log
 * callback; every other one (the host's own protobuf use) is passed on to
 * the handler installed before, unchanged. capture 0 puts that handler
 * back. Repeating either is a no-op. Call it at start-up, before other
 * threads use protobuf (SetLogHandler is not thread-safe).
 * Errors: CFLOW_FAILED_PRECONDITION when releasing if another handler was
 * installed after the library's (left in place, still chaining). */
CFLOW_EXPORT cflow_status cflow_log_capture_protobuf(int capture);

/* How an entity crosses the boundary (convention 8). */
typedef int cflow_format;
enum {
  CFLOW_FORMAT_PROTOBUF = 0, /* collabflow.v1 protobuf bytes */
  CFLOW_FORMAT_JSON = 1      /* the proto3 JSON form, UTF-8 */
};

/* ==== Options and the engine =========================================== */

/* Opaque engine options. Create with cflow_options_new(), release with
 * cflow_options_free() (NULL allowed). Options are copied by
 * cflow_engine_open(); they may be freed right after. */
typedef struct cflow_options cflow_options;

typedef int cflow_durability;
enum {
  CFLOW_DURABILITY_SYNC_EVERY_COMMAND = 0, /* default: acknowledged = on disk */
  CFLOW_DURABILITY_GROUP_COMMIT = 1,       /* concurrent commands share fsyncs */
  CFLOW_DURABILITY_NO_SYNC = 2             /* tests only */
};

/* Creates options with the defaults (in memory, SYNC_EVERY_COMMAND, host
 * actor "host", no progress callback) in *out, owned by the caller.
 * Errors: CFLOW_INVALID_ARGUMENT (out is NULL). */
CFLOW_EXPORT cflow_status cflow_options_new(cflow_options** out);
/* Releases options. NULL, or options already freed, are ignored. */
CFLOW_EXPORT void cflow_options_free(cflow_options* options);
/* The store directory (UTF-8 path, copied); NULL or "" means in memory.
 * A "postgresql://" or "postgres://" URI here names a PostgreSQL store, as
 * with cflow_options_set_store_uri().
 * Errors: CFLOW_INVALID_ARGUMENT (NULL, freed or foreign options; invalid
 * UTF-8). The directory itself is checked by cflow_engine_open(). */
CFLOW_EXPORT cflow_status cflow_options_set_store_dir(cflow_options* options, const char* dir);
/* The store in a PostgreSQL database: a libpq connection URI
 * ("postgresql://user@host:port/database?..." or "postgres://..."),
 * copied; it replaces the store directory. cflow_engine_open() loads the
 * PostgreSQL module (libcollabflow_pg.so, installed beside this library;
 * $COLLABFLOW_PG_MODULE overrides where) and connects, creating the tables
 * on first use; it then fails with CFLOW_UNAVAILABLE (the server cannot be
 * reached; the message names it), CFLOW_PERMISSION_DENIED (authentication
 * refused), CFLOW_INVALID_ARGUMENT (a malformed URI) or
 * CFLOW_FAILED_PRECONDITION (the module cannot be loaded, the database holds
 * a newer schema, or another engine holds the database: one engine per
 * database for now). Errors here: CFLOW_INVALID_ARGUMENT (bad options
 * handle; uri NULL, invalid UTF-8, or not such a URI). */
CFLOW_EXPORT cflow_status cflow_options_set_store_uri(cflow_options* options, const char* uri);
/* How long a PostgreSQL store waits for its server: to connect
 * (connect_timeout_seconds, default 10; libpq counts at least 2) and for
 * any one statement (statement_timeout_ms, default 10000); past them, calls
 * fail with CFLOW_UNAVAILABLE or CFLOW_DEADLINE_EXCEEDED instead of
 * hanging. Ignored by the other stores. Errors: CFLOW_INVALID_ARGUMENT (bad
 * options handle; a zero timeout). */
CFLOW_EXPORT cflow_status cflow_options_set_store_timeouts(cflow_options* options,
                                                           uint32_t connect_timeout_seconds,
                                                           uint32_t statement_timeout_ms);
/* Opens the store directory read-only (read_only non-zero; 0, the default,
 * opens it to write): without taking its lock, for a process that reads a
 * store a host may be writing (an operator's tool beside a running host).
 * Nothing on disk is changed (no directory created: CFLOW_NOT_FOUND if there
 * is none); the engine sees the commands complete when it opened (open
 * again to see later ones), and cflow_engine_execute, cflow_engine_tick,
 * cflow_engine_outbox_ack and cflow_engine_snapshot fail with
 * CFLOW_FAILED_PRECONDITION "... opened read-only". A directory store only:
 * cflow_engine_open fails with CFLOW_INVALID_ARGUMENT for a PostgreSQL
 * store or none. Errors: CFLOW_INVALID_ARGUMENT (bad options handle). */
CFLOW_EXPORT cflow_status cflow_options_set_read_only(cflow_options* options, int read_only);
/* Errors: CFLOW_INVALID_ARGUMENT (bad options handle; a durability value not
 * listed above). */
CFLOW_EXPORT cflow_status cflow_options_set_durability(cflow_options* options,
                                                       cflow_durability durability);
/* The actor id the host acts under (directory updates, ticks), copied.
 * Default "host". Errors: CFLOW_INVALID_ARGUMENT (bad options handle; NULL,
 * empty or invalid UTF-8 actor_id). */
CFLOW_EXPORT cflow_status cflow_options_set_host_actor(cflow_options* options,
                                                       const char* actor_id);
/* The memory the records of the requests in use may take, in bytes (an
 * estimate: twice their events' bytes). The engine keeps every
 * request's summary and stream head, and holds full records only for the
 * requests recently touched, the least recently used dropped first and read
 * back from their streams when needed; a request in use stays held whatever
 * the budget. Default 256 MiB; 0 holds no record between calls.
 * Errors: CFLOW_INVALID_ARGUMENT (bad options handle). */
CFLOW_EXPORT cflow_status cflow_options_set_request_cache_bytes(cflow_options* options,
                                                                uint64_t bytes);
/* A durable engine writes a snapshot of its index (see
 * cflow_engine_write_snapshot()) on a thread of its own each time its
 * journal has grown by this many records since the last snapshot, so that
 * the next open reads at most about as many; commands go on meanwhile. A
 * snapshot that fails is tried again as many records later (call
 * cflow_engine_write_snapshot() to see its error). Default 20000; 0 never
 * (the host calls cflow_engine_write_snapshot()). Ignored in memory.
 * Errors: CFLOW_INVALID_ARGUMENT (bad options handle). */
CFLOW_EXPORT cflow_status cflow_options_set_snapshot_every_records(cflow_options* options,
                                                                   uint64_t records);
/* How much earlier than its request's last event a command may be dated,
 * in microseconds (hosts' clocks differ): within it the command is accepted
 * and ordered by the request's stream; beyond it, or before the request's
 * creation, cflow_engine_execute refuses it with CFLOW_INVALID_ARGUMENT
 * naming both times. Default 5 minutes (300000000).
 * Errors: CFLOW_INVALID_ARGUMENT (bad options handle; a negative value). */
CFLOW_EXPORT cflow_status cflow_options_set_clock_tolerance(cflow_options* options,
                                                            int64_t tolerance_micros);

/* Progress of long work: called during a pass over the engine's journal
 * (the replay inside cflow_engine_open(); cflow_engine_verify_history() and
 * _events(); a request's own history, which _export_archive(), _report()
 * and _process_record() read, is short and not reported) with the
 * records read so far and the records the pass reads: at most about 100
 * times per pass, done growing from 1 (no call before the first record is
 * read), and with done == total when the pass ends (a pass with nothing to
 * read makes no call; a call may make more than one pass). It runs on the
 * thread of the call, inside it, and must not call cflow_* functions on the
 * same engine (the engine is locked, and a close would wait for the call).
 * Return 0 to go on; any other value stops the work, which fails with
 * CFLOW_CANCELLED and changes nothing. `payload` is the pointer given to
 * cflow_options_set_progress(), passed back untouched. */
typedef int (*cflow_progress_fn)(size_t done, size_t total, void* payload);

/* Sets the progress callback of engines opened with these options (fn NULL
 * removes it). An exception to convention 5 (with the log callback): the library keeps
 * `payload` (never dereferencing it) and hands it to `fn`, so it must stay
 * valid as long as an engine opened with these options is open.
 * Errors: CFLOW_INVALID_ARGUMENT (NULL, freed or foreign options). */
CFLOW_EXPORT cflow_status cflow_options_set_progress(cflow_options* options, cflow_progress_fn fn,
                                                     void* payload);

/* An open engine. Thread-safe: one handle may be used from many threads.
 * Close it with cflow_engine_close(); using a closed handle returns
 * CFLOW_INVALID_ARGUMENT (never crashes).
 *
 * Every cflow_engine_* function below also answers CFLOW_INVALID_ARGUMENT
 * for a NULL, closed or foreign engine handle, a NULL out/out_len, a
 * cflow_format other than the two above and invalid UTF-8 in a text
 * argument; what it returns through (out, out_len) is a buffer in the given
 * format that the caller releases with cflow_free(). Text arguments
 * (request_id, person_id) are NUL-terminated UTF-8 and only read. */
typedef struct cflow_engine cflow_engine;

/* Opens an engine (options may be NULL for an in-memory engine with the
 * defaults) and recovers its state from the store. *out is the caller's;
 * release it with cflow_engine_close(). The options are copied. A store
 * written by collabflow 0.1 or 0.2 is first converted, once and verified,
 * and kept beside as <dir>.format1 (docs/abi.md).
 * Errors: CFLOW_DATA_LOSS (a damaged store: the message names file and
 * offset), CFLOW_FAILED_PRECONDITION (the store is locked by another handle
 * or process, named in the message; or a 0.2 store compacted after a
 * snapshot, which cannot be converted), CFLOW_ALREADY_EXISTS (a kept
 * <dir>.format1 is in the way of a conversion), CFLOW_INVALID_ARGUMENT (out is NULL;
 * freed or foreign options), CFLOW_CANCELLED (the progress callback stopped
 * the replay), or the store's I/O error for a directory that cannot be
 * created or opened (the message names the path). */
CFLOW_EXPORT cflow_status cflow_engine_open(cflow_engine** out, const cflow_options* options);
/* Closes the engine. NULL allowed; a second close is harmless. Calls still
 * running on other threads finish first, and the store directory is free
 * when it returns (it may be opened again at once). Buffers it returned stay
 * valid. */
CFLOW_EXPORT void cflow_engine_close(cflow_engine* engine);

/* ==== Commands ========================================================== */

/* Executes one collabflow.v1.Command (in `format`: protobuf bytes, or JSON
 * text, which need not be NUL-terminated) and returns the
 * collabflow.v1.CommandResult in the same format in *out (free with
 * cflow_free()). Every step of the process is a command: update_directory,
 * create_request, submit_request, respond, revise_request, publish_plan,
 * start_task, report_progress, raise_risk, submit_deliverables,
 * review_submission, submit_final, review_final, archive_request, ...
 * On a refusal nothing changed; the status says why:
 * CFLOW_INVALID_ARGUMENT / CFLOW_RESOURCE_EXHAUSTED (bad input, naming the
 * field), CFLOW_NOT_FOUND, CFLOW_ALREADY_EXISTS, CFLOW_PERMISSION_DENIED (the
 * actor's role), CFLOW_FAILED_PRECONDITION (the current state). */
CFLOW_EXPORT cflow_status cflow_engine_execute(uint8_t** out, size_t* out_len, cflow_engine* engine,
                                               cflow_format format, const void* command,
                                               size_t command_len);

/* Processes the time rules due at `now` (reminders, missed reports,
 * escalations); *out_events (may be NULL) receives the number of events
 * appended. Idempotent at one instant.
 * Errors: CFLOW_INVALID_ARGUMENT (`now` outside the supported years
 * 1970..2199), or the store's error (nothing appended). */
CFLOW_EXPORT cflow_status cflow_engine_tick(size_t* out_events, cflow_engine* engine,
                                            int64_t now_unix_micros);

/* Marks every notification whose record's position is <= up_to delivered
 * (durably); a lower up_to than before is a no-op. CFLOW_OUT_OF_RANGE beyond
 * the store's last position. */
CFLOW_EXPORT cflow_status cflow_engine_outbox_ack(cflow_engine* engine, uint64_t up_to);

/* Validates a collabflow.v1.CollaborationRequest (协作需求申请表) given as
 * JSON and returns its protobuf bytes in *out (length *out_len; the
 * message's deterministic encoding, so equal requests give equal bytes), to
 * be released with cflow_free(). The checks are the engine's own for a
 * create_request command, without the directory (who exists is the
 * engine's to know).
 * Errors: CFLOW_INVALID_ARGUMENT (NULL pointer, invalid UTF-8 or JSON, an
 * unknown field or enum value, an invalid request: the message names the
 * field), CFLOW_RESOURCE_EXHAUSTED (a documented limit exceeded). */
CFLOW_EXPORT cflow_status cflow_request_from_json(uint8_t** out, size_t* out_len, const char* json,
                                                  size_t json_len);

/* Validates a collabflow.v1.CollaborationRequest given as protobuf bytes and
 * returns it as JSON text in *out (length *out_len), to be released with
 * cflow_free(). Errors as cflow_request_from_json (an unknown field number
 * too). */
CFLOW_EXPORT cflow_status cflow_request_to_json(char** out, size_t* out_len, const uint8_t* bytes,
                                                size_t bytes_len);

/* ==== Queries =========================================================== */

/* collabflow.v1.RequestView of one request: its record (current version,
 * state, plan, task executions: the ready set is the tasks whose state is
 * TASK_STATE_READY), where each receiver stands, and the members.
 * CFLOW_NOT_FOUND if unknown. */
CFLOW_EXPORT cflow_status cflow_engine_get_request(uint8_t** out, size_t* out_len,
                                                   cflow_engine* engine, cflow_format format,
                                                   const char* request_id);
/* collabflow.v1.ScheduleView of a request's published plan: CPM dates,
 * float, critical path, milestone forecasts. CFLOW_NOT_FOUND if the request
 * is unknown, CFLOW_FAILED_PRECONDITION if it has no plan yet. */
CFLOW_EXPORT cflow_status cflow_engine_schedule(uint8_t** out, size_t* out_len,
                                                cflow_engine* engine, cflow_format format,
                                                const char* request_id);
/* The what-if of a plan revision, without committing it: `command` is a
 * collabflow.v1.Command (in `format`) whose payload is revise_plan, with
 * actor_id, time and request_id set, exactly as it would be executed. *out
 * receives the collabflow.v1.RevisionPreview (schedule before and after, the
 * tasks that move, the finish shift, the milestones newly late) in `format`.
 * Nothing changes. Errors: those cflow_engine_execute() would answer for the
 * same revision (CFLOW_NOT_FOUND, CFLOW_PERMISSION_DENIED,
 * CFLOW_FAILED_PRECONDITION, ...), and CFLOW_INVALID_ARGUMENT for a command
 * that is not a revise_plan or has no time. */
CFLOW_EXPORT cflow_status cflow_engine_preview_revision(uint8_t** out, size_t* out_len,
                                                        cflow_engine* engine, cflow_format format,
                                                        const void* command, size_t command_len);
/* collabflow.v1.MustDoList: what `person_id` owes, by due time, flagged
 * overdue at `at_unix_micros`. CFLOW_NOT_FOUND for an unknown person. */
CFLOW_EXPORT cflow_status cflow_engine_must_do(uint8_t** out, size_t* out_len, cflow_engine* engine,
                                               cflow_format format, const char* person_id,
                                               int64_t at_unix_micros);
/* collabflow.v1.OverdueList: every open due item due at or before `at`
 * (found-but-empty is an empty list, CFLOW_OK). */
CFLOW_EXPORT cflow_status cflow_engine_overdue(uint8_t** out, size_t* out_len, cflow_engine* engine,
                                               cflow_format format, int64_t at_unix_micros);
/* The outbox: collabflow.v1.OutboxPage with the waiting notifications of the
 * records after position `after`, in position order, each with its
 * `position` set: whole records, as many as it takes to reach `max`
 * notifications (at least one record). A notification is known by its
 * request_id and id (1, 2, 3, ... within the request). Deliver them, then
 * acknowledge up to the last position with cflow_engine_outbox_ack(), and
 * read on after it (found-but-empty is an empty page, CFLOW_OK). */
CFLOW_EXPORT cflow_status cflow_engine_outbox_read(uint8_t** out, size_t* out_len,
                                                   cflow_engine* engine, cflow_format format,
                                                   uint64_t after, size_t max);
/* collabflow.v1.EventPage: the events of the records after position
 * `after`, in position order, each with its `position` set: whole records,
 * as many as it takes to reach `max` events; read on after the last
 * position. CFLOW_DATA_LOSS if the journal cannot be read back. */
CFLOW_EXPORT cflow_status cflow_engine_events(uint8_t** out, size_t* out_len, cflow_engine* engine,
                                              cflow_format format, uint64_t after, size_t max);
/* The folded state (collabflow.v1.EngineState); as protobuf, deterministic
 * bytes (equal histories give equal bytes). */
CFLOW_EXPORT cflow_status cflow_engine_state(uint8_t** out, size_t* out_len, cflow_engine* engine,
                                             cflow_format format);
/* Writes a snapshot of the engine's index now: the next open reads it and
 * the journal after it, not the whole history. Commands from other threads
 * go on meanwhile (they wait only while the requests changed since the last
 * snapshot are copied out). CFLOW_OK with nothing written when nothing
 * happened since the last snapshot. Errors: the store's (e.g. CFLOW_INTERNAL
 * or CFLOW_DATA_LOSS when the file cannot be written). */
CFLOW_EXPORT cflow_status cflow_engine_write_snapshot(cflow_engine* engine);

/* On a store several engines share (PostgreSQL: many hosts, one database),
 * reads and folds the records other engines committed since this one last
 * did. With position > 0 (the position of a command's result, from any
 * engine), waits until this engine has folded it: CFLOW_DEADLINE_EXCEEDED
 * after the store's statement timeout. Queries never go back in time. On a
 * store only this engine writes: CFLOW_OK up to its last position,
 * CFLOW_OUT_OF_RANGE beyond. Errors: the store's (CFLOW_UNAVAILABLE while
 * the server is down; nothing half-read). */
CFLOW_EXPORT cflow_status cflow_engine_catch_up(cflow_engine* engine, uint64_t position);

/* ==== Calendars: working days, deadlines, working time ================== */

/* A civil date (no time zone). Valid dates lie in the supported years
 * (1970..2199); anything else (month 13, February 30) is
 * CFLOW_INVALID_ARGUMENT naming the argument. The layout is fixed forever. */
typedef struct cflow_date {
  int32_t year;
  int32_t month; /* 1..12 */
  int32_t day;   /* 1..31, valid for the month */
} cflow_date;

/* An immutable working-time calendar (weekly pattern, holidays, make-up
 * working days, working hours, time zone). Thread-safe: one handle may be
 * used from many threads. Release it with cflow_calendar_free(); a freed or
 * foreign handle is CFLOW_INVALID_ARGUMENT. Instants are microseconds since
 * the Unix epoch (UTC) and must lie in the supported years. */
typedef struct cflow_calendar cflow_calendar;

/* The shipped mainland-China calendar: the official 2025-2026 holidays and
 * make-up working days (State Council notices), Asia/Shanghai, 09:00-18:00
 * with a 12:00-13:00 break. *out is the caller's.
 * Errors: CFLOW_INVALID_ARGUMENT (out is NULL). */
CFLOW_EXPORT cflow_status cflow_calendar_china_mainland(cflow_calendar** out);
/* A calendar from a collabflow.v1.Calendar in text format (textproto, UTF-8)
 * or as protobuf bytes. *out is the caller's.
 * Errors: CFLOW_INVALID_ARGUMENT (NULL pointer; a syntax error, with line
 * and column; invalid UTF-8; a field that fails validation, named),
 * CFLOW_RESOURCE_EXHAUSTED (a documented limit). */
CFLOW_EXPORT cflow_status cflow_calendar_from_text(cflow_calendar** out, const char* text,
                                                   size_t text_len);
CFLOW_EXPORT cflow_status cflow_calendar_from_bytes(cflow_calendar** out, const uint8_t* bytes,
                                                    size_t bytes_len);
/* The calendar an engine counts every time rule with. *out is the caller's
 * (it stays valid after the engine is closed). */
CFLOW_EXPORT cflow_status cflow_engine_calendar(cflow_calendar** out, cflow_engine* engine);
/* Releases a calendar. NULL, or a calendar already freed, is ignored. */
CFLOW_EXPORT void cflow_calendar_free(cflow_calendar* calendar);
/* The calendar as text format (every field explicit) in *out (free with
 * cflow_free()). */
CFLOW_EXPORT cflow_status cflow_calendar_to_text(char** out, size_t* out_len,
                                                 const cflow_calendar* calendar);

/* *out = 1 if `day` is a working day (make-up working days count), else 0. */
CFLOW_EXPORT cflow_status cflow_calendar_is_working_day(int* out, const cflow_calendar* calendar,
                                                        cflow_date day);
/* *out = the n-th working day strictly after `day` (n > 0), the |n|-th
 * strictly before it (n < 0), or `day` itself (n == 0). Saturates at the ends
 * of the supported range. */
CFLOW_EXPORT cflow_status cflow_calendar_add_working_days(cflow_date* out,
                                                          const cflow_calendar* calendar,
                                                          cflow_date day, int64_t n);
/* *out = the number of working days in [from, to) (negative when to < from). */
CFLOW_EXPORT cflow_status cflow_calendar_working_days_between(int64_t* out,
                                                              const cflow_calendar* calendar,
                                                              cflow_date from, cflow_date to);
/* *out_unix_micros = the deadline of "within n working days" counted from
 * `filed` (the rule every SLA in the engine uses: n nominal working days of
 * working time, the clock starting at the next opening when filed outside
 * working hours). n <= 0 gives `filed`; saturates at the end of the
 * supported range. */
CFLOW_EXPORT cflow_status cflow_calendar_deadline_within(int64_t* out_unix_micros,
                                                         const cflow_calendar* calendar,
                                                         int64_t filed_unix_micros, int64_t n);
/* *out_micros = the working time between two instants, in microseconds
 * (negative when to < from). */
CFLOW_EXPORT cflow_status cflow_calendar_working_time_between(int64_t* out_micros,
                                                              const cflow_calendar* calendar,
                                                              int64_t from_unix_micros,
                                                              int64_t to_unix_micros);

/* ==== Records and reports =============================================== */

/* Verifies every stream's hash chain in the engine's stored history against
 * its head. CFLOW_OK if intact; CFLOW_DATA_LOSS if an event was changed,
 * removed or reordered (the message names the stream, the event's version
 * and what was expected). */
CFLOW_EXPORT cflow_status cflow_engine_verify_history(cflow_engine* engine);

/* collabflow.v1.ProcessRecordTable (协作流程记录表) of a request as its
 * history stands. CFLOW_NOT_FOUND if the request is unknown. */
CFLOW_EXPORT cflow_status cflow_engine_process_record(uint8_t** out, size_t* out_len,
                                                      cflow_engine* engine, cflow_format format,
                                                      const char* request_id);

/* The archive bundle of a request (collabflow.v1.ArchiveBundle, protobuf
 * bytes) in *out, to be released with cflow_free(). Read it back with
 * cflow_archive_verify(). CFLOW_NOT_FOUND if the request is unknown. */
CFLOW_EXPORT cflow_status cflow_engine_export_archive(uint8_t** out, size_t* out_len,
                                                      cflow_engine* engine, const char* request_id);

/* Verifies an archive bundle: every part against its manifest digest, each
 * event's hash and links, the record against the events. On success, and if
 * out is not NULL, returns the bundle in `format` in *out (free with
 * cflow_free()); out and out_len may both be NULL to only verify.
 * Errors: CFLOW_DATA_LOSS (what is wrong, and where),
 * CFLOW_FAILED_PRECONDITION (a bundle format this library does not read). */
CFLOW_EXPORT cflow_status cflow_archive_verify(uint8_t** out, size_t* out_len, cflow_format format,
                                               const uint8_t* bundle, size_t bundle_len);

typedef int cflow_report_format;
enum {
  CFLOW_REPORT_MARKDOWN = 0,
  CFLOW_REPORT_HTML = 1,     /* one self-contained page, Gantt chart inline */
  CFLOW_REPORT_GANTT_SVG = 2 /* the Gantt chart alone */
};
typedef int cflow_language;
enum {
  CFLOW_LANGUAGE_CHINESE = 0, /* the default */
  CFLOW_LANGUAGE_ENGLISH = 1
};

/* A report people can read, as UTF-8 text in *out (length *out_len; free
 * with cflow_free()), as of `now_unix_micros` (the Gantt chart's today
 * line). CFLOW_NOT_FOUND if the request is unknown; CFLOW_INVALID_ARGUMENT
 * for an unknown format or language. */
CFLOW_EXPORT cflow_status cflow_engine_report(char** out, size_t* out_len, cflow_engine* engine,
                                              const char* request_id, cflow_report_format format,
                                              cflow_language language, int64_t now_unix_micros);

/* ==== The scheduler on its own: task graphs and the critical path ======= */

/* A dependency graph of tasks with its critical-path schedule, usable
 * without an engine: for hosts that schedule their own plans, and for
 * people who benchmark dependency-graph scheduling on their own graphs
 * (benchmarks/README.md, "Your own graph").
 *
 * Thread-safe: calls on one graph are serialized inside (one waits for
 * another); calls on different graphs never wait for each other. Release
 * it with cflow_task_graph_free(); a freed or foreign handle is
 * CFLOW_INVALID_ARGUMENT, as everywhere.
 *
 * Tasks are named by handles (cflow_task): 0, 1, 2, ... in the order they
 * were created (task i of a build or a task list is handle i), never reused.
 * A task may carry a text id, unique in the graph; messages name tasks by
 * id. Every duration, lag and date is in working days: dates are ordinals
 * (day 0 is the project's first working day unless a project start says
 * otherwise), and a calendar maps them to civil days
 * (cflow_calendar_add_working_days). The semantics are those of the engine's
 * scheduler: a task occupies [early_start, early_finish), a dependency of
 * type FS, SS, FF or SF with a lag (negative: a lead) bounds its successor,
 * total float = late_finish - early_finish, critical = total float <= 0.
 *
 * Arrays. Functions that return tasks or one value per task fill arrays
 * the caller passes, with `capacity` elements: at least the handle count
 * (values by handle) or the live tasks (lists of tasks), as each function
 * says (cflow_task_graph_size() gives both), else CFLOW_OUT_OF_RANGE. A
 * removed task's entry in an array by handle is left as it was.
 *
 * Edits change nothing when refused. The schedule is kept in the graph:
 * cflow_task_graph_schedule() computes it in full, and after edits
 * cflow_task_graph_reschedule() brings it up to date touching only what the
 * edits can affect (the result always equals a full computation). Reading
 * the times of a graph edited since its last (re)schedule is
 * CFLOW_FAILED_PRECONDITION: the dates would be stale. */
typedef struct cflow_task_graph cflow_task_graph;
/* A task's handle (an index; columns of millions of them stay 4 bytes). */
typedef uint32_t cflow_task;

/* How a dependency p -> s bounds its successor (ES/EF: early start/finish):
 * FS: ES(s) >= EF(p) + lag; SS: ES(s) >= ES(p) + lag; FF: EF(s) >= EF(p) +
 * lag; SF: EF(s) >= ES(p) + lag. */
typedef int cflow_link_type;
enum {
  CFLOW_LINK_FINISH_TO_START = 0, /* the default */
  CFLOW_LINK_START_TO_START = 1,
  CFLOW_LINK_FINISH_TO_FINISH = 2,
  CFLOW_LINK_START_TO_FINISH = 3
};

/* An empty graph in *out (the caller's). Errors: CFLOW_INVALID_ARGUMENT
 * (out is NULL). */
CFLOW_EXPORT cflow_status cflow_task_graph_new(cflow_task_graph** out);

/* Builds a graph in one pass from columns: task i has the id ids[i] (ids
 * may be NULL, and so may an element: no id; "" is no id too) and
 * durations[i] working days (0..100000; 0 is a milestone); dependency k
 * runs from predecessors[k] to successors[k] with types[k] and lags[k]
 * (types and lags may be NULL: all FS, all lag 0). Checks everything, then
 * one topological sort; O(tasks + dependencies). Nothing is built on any
 * error. Errors: CFLOW_INVALID_ARGUMENT (a NULL column with a non-zero
 * count; invalid UTF-8 in an id; a duration or lag out of range, a
 * self-loop, an unknown type: the message names the index; a cycle: the
 * message names its tasks), CFLOW_NOT_FOUND (a handle >= task_count),
 * CFLOW_ALREADY_EXISTS (an id or a pair given twice),
 * CFLOW_RESOURCE_EXHAUSTED (more than 2^28 tasks). */
CFLOW_EXPORT cflow_status cflow_task_graph_build(cflow_task_graph** out, const char* const* ids,
                                                 const int32_t* durations, size_t task_count,
                                                 const cflow_task* predecessors,
                                                 const cflow_task* successors,
                                                 const cflow_link_type* types, const int32_t* lags,
                                                 size_t dependency_count);

/* Builds a graph from an edge list: `tasks` holds lines "id,duration" and
 * `edges` lines "from,to[,type[,lag]]" naming tasks by id (type FS, SS, FF
 * or SF, FS when absent; lag 0 when absent). Commas, or tabs when the first
 * line holds one; a first line starting "id"/"task" (tasks) or
 * "from"/"predecessor" (edges) is a header; blank and '#' lines are
 * skipped; fields are trimmed, never quoted. Task i of the list is handle i
 * and keeps its id. The format in full: include/collabflow/task_graph_text.h.
 * Errors name the text and the line, and nothing is built:
 * CFLOW_INVALID_ARGUMENT (a malformed line, a bad duration, type or lag, a
 * self-loop, a cycle: its tasks and lines), CFLOW_NOT_FOUND (an unknown task
 * id: "edges line 7: to: unknown task id \"Q\""), CFLOW_ALREADY_EXISTS (a
 * repeated task id or dependency, with both lines). */
CFLOW_EXPORT cflow_status cflow_task_graph_from_edge_list(cflow_task_graph** out, const char* tasks,
                                                          size_t tasks_len, const char* edges,
                                                          size_t edges_len);

/* Builds a graph from JSON: {"tasks": [{"id": "A", "duration": 3}, ...],
 * "dependencies": [{"from": "A", "to": "B", "type": "FS", "lag": 0}, ...]}
 * ("type", "lag" and "dependencies" optional). Errors as
 * cflow_task_graph_from_edge_list(), naming "tasks[i]" or
 * "dependencies[i]" and the key; an unknown key is CFLOW_INVALID_ARGUMENT. */
CFLOW_EXPORT cflow_status cflow_task_graph_from_json(cflow_task_graph** out, const char* json,
                                                     size_t json_len);

/* Saves the graph (tasks, ids, dependencies, the topological order) as
 * collabflow.v1.TaskGraph protobuf bytes in *out (free with cflow_free()).
 * The schedule is not saved. */
CFLOW_EXPORT cflow_status cflow_task_graph_save(uint8_t** out, size_t* out_len,
                                                cflow_task_graph* graph);
/* Loads a graph saved by cflow_task_graph_save() (the same handles; no sort:
 * the order is stored). *out is the caller's. Errors: CFLOW_INVALID_ARGUMENT
 * (bytes that do not parse or describe an invalid graph: the message names
 * the field and index), CFLOW_RESOURCE_EXHAUSTED (a documented limit). */
CFLOW_EXPORT cflow_status cflow_task_graph_load(cflow_task_graph** out, const uint8_t* bytes,
                                                size_t bytes_len);

/* Releases a graph. NULL, or a graph already freed, is ignored. */
CFLOW_EXPORT void cflow_task_graph_free(cflow_task_graph* graph);

/* *out_handles = handles ever issued (the arrays' length; live or
 * removed), *out_tasks = live tasks, *out_dependencies = dependencies. Any
 * out pointer may be NULL. */
CFLOW_EXPORT cflow_status cflow_task_graph_size(size_t* out_handles, size_t* out_tasks,
                                                size_t* out_dependencies, cflow_task_graph* graph);
/* *out = the handle of the live task with this id. CFLOW_NOT_FOUND if none. */
CFLOW_EXPORT cflow_status cflow_task_graph_find(cflow_task* out, cflow_task_graph* graph,
                                                const char* id);
/* Every handle's id, in handle order, each followed by a NUL ("" for a task
 * without an id or a removed one), in *out (free with cflow_free()). */
CFLOW_EXPORT cflow_status cflow_task_graph_ids(char** out, size_t* out_len,
                                               cflow_task_graph* graph);

/* Adds a task (id may be NULL or "": none) and returns its handle in *out.
 * Errors: CFLOW_INVALID_ARGUMENT (duration outside 0..100000, invalid UTF-8),
 * CFLOW_ALREADY_EXISTS (the id is taken). */
CFLOW_EXPORT cflow_status cflow_task_graph_add_task(cflow_task* out, cflow_task_graph* graph,
                                                    const char* id, int32_t duration);
/* Adds the dependency predecessor -> successor, checking for a cycle
 * (Pearce-Kelly: O(1) when the edge agrees with the current order, else
 * proportional to the tasks between its ends that it reaches).
 * Errors: CFLOW_NOT_FOUND (an unknown or removed task),
 * CFLOW_ALREADY_EXISTS (the pair already has a dependency),
 * CFLOW_INVALID_ARGUMENT (a self-loop, an unknown type, a lag beyond
 * +-100000, or an edge that would close a cycle: "... would close the cycle
 * A -> B -> C -> A"). */
CFLOW_EXPORT cflow_status cflow_task_graph_add_dependency(cflow_task_graph* graph,
                                                          cflow_task predecessor,
                                                          cflow_task successor,
                                                          cflow_link_type type, int32_t lag);
/* Removes the dependency predecessor -> successor. CFLOW_NOT_FOUND if there
 * is none. */
CFLOW_EXPORT cflow_status cflow_task_graph_remove_dependency(cflow_task_graph* graph,
                                                             cflow_task predecessor,
                                                             cflow_task successor);
/* Sets a task's duration (0..100000 working days). CFLOW_NOT_FOUND for an
 * unknown task, CFLOW_INVALID_ARGUMENT for a duration out of range. */
CFLOW_EXPORT cflow_status cflow_task_graph_set_duration(cflow_task_graph* graph, cflow_task task,
                                                        int32_t duration);

/* A topological order of the live tasks (every dependency's predecessor
 * before its successor) into out[0 .. tasks), *out_count = the live tasks.
 * capacity must be at least the live tasks. */
CFLOW_EXPORT cflow_status cflow_task_graph_order(cflow_task* out, size_t capacity,
                                                 size_t* out_count, cflow_task_graph* graph);

/* Computes the schedule in full (critical path method: a forward and a
 * backward pass, O(tasks + dependencies)) with every task starting no
 * earlier than working day `project_start` (an ordinal, 0..2^20), keeps it
 * in the graph, and returns the project finish (the largest early finish)
 * in *out_project_finish (may be NULL). Errors: CFLOW_INVALID_ARGUMENT
 * (project_start out of range), CFLOW_OUT_OF_RANGE (a plan too long for any
 * calendar). */
CFLOW_EXPORT cflow_status cflow_task_graph_schedule(int32_t* out_project_finish,
                                                    cflow_task_graph* graph, int32_t project_start);
/* Brings the schedule up to date after edits since the last (re)schedule,
 * recomputing only the tasks they can affect (a full pass when that is
 * cheaper); the result equals cflow_task_graph_schedule() with the same
 * project start. *out_project_finish and *out_tasks_visited (how many tasks
 * were recomputed) may be NULL. CFLOW_FAILED_PRECONDITION if the graph was
 * never scheduled. */
CFLOW_EXPORT cflow_status cflow_task_graph_reschedule(int32_t* out_project_finish,
                                                      size_t* out_tasks_visited,
                                                      cflow_task_graph* graph);
/* The schedule's dates by handle (see "Arrays" above; each array may be
 * NULL when not wanted): early and late start and finish (ordinals), total
 * and free float (working days). CFLOW_FAILED_PRECONDITION if the graph was
 * never scheduled or was edited since its last (re)schedule. */
CFLOW_EXPORT cflow_status cflow_task_graph_times(int32_t* early_start, int32_t* early_finish,
                                                 int32_t* late_start, int32_t* late_finish,
                                                 int32_t* total_float, int32_t* free_float,
                                                 size_t capacity, cflow_task_graph* graph);
/* The critical path: the driving chain of the task that finishes last, first
 * task first, into out[0 .. *out_count). capacity must be at least the live
 * tasks (the longest a path can be). Same CFLOW_FAILED_PRECONDITION as
 * cflow_task_graph_times(). */
CFLOW_EXPORT cflow_status cflow_task_graph_critical_path(cflow_task* out, size_t capacity,
                                                         size_t* out_count,
                                                         cflow_task_graph* graph);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* COLLABFLOW_H_ */
