// libFuzzer harness: arbitrary bytes into command decoding and execution
// through the C ABI alone (collabflow.h), as a host would call it.
//
// The first input byte picks the entry point (byte % 6), the rest is its input:
//   0  JSON commands, one per line, each previewed as a plan revision
//      (cflow_engine_preview_revision) and then executed by cflow_engine_execute
//   1  protobuf commands, each as [2-byte little-endian length][bytes], likewise
//   2  cflow_request_from_json, and the result back through cflow_request_to_json
//   3  cflow_request_to_json, and the result back through cflow_request_from_json
//   4  cflow_calendar_from_text; a calendar that loads is printed, read back
//      and asked every calendar question
//   5  cflow_calendar_from_bytes, likewise
// Modes 0 and 1 run on a fresh in-memory engine that already holds the seed
// scenario's directory (examples/q3-launch/directory.json, so actors exist and commands get past
// authorization), then read every view and record (the process record, the reports, the
// archive, which must verify, and the history, which must too), so decided state is printed,
// encoded and checked too.
//
// Besides the sanitizers, the harness aborts when the library breaks its own
// contract: CFLOW_INTERNAL or CFLOW_UNKNOWN (an escaped exception or a bug), a
// failure without a message, a failed call that wrote its out-parameters, or a
// request that validates but does not round-trip.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "collabflow.h"
#include "fuzz_contract.h"

namespace {

using collabflow::fuzz::CheckAnswer;
using collabflow::fuzz::kUntouched;
using collabflow::fuzz::Violation;

constexpr char kDirectory[] =
    R"({"actor_id":"host","time":"2026-08-28T01:00:00Z","update_directory":{"directory":{)"
    R"("people":[{"id":"p-liu","name":"刘总"},)"
    R"({"id":"p-zhang","name":"张伟","department_id":"d-product","superior_id":"p-liu"},)"
    R"({"id":"p-li","name":"李娜","department_id":"d-market","superior_id":"p-liu"},)"
    R"({"id":"p-chen","name":"陈静","department_id":"d-market","superior_id":"p-li"},)"
    R"({"id":"p-sun","name":"孙涛","department_id":"d-market","superior_id":"p-chen"},)"
    R"({"id":"p-zhao","name":"赵强","department_id":"d-sales","superior_id":"p-liu"},)"
    R"({"id":"p-wu","name":"吴磊","department_id":"d-sales","superior_id":"p-zhao"},)"
    R"({"id":"p-qian","name":"钱芳","department_id":"d-finance","superior_id":"p-liu"},)"
    R"({"id":"p-ma","name":"马丽","department_id":"d-finance","superior_id":"p-qian"}],)"
    R"("departments":[{"id":"d-product","name":"产品部","head_id":"p-zhang"},)"
    R"({"id":"d-market","name":"市场部","head_id":"p-li","delegate_ids":["p-chen"]},)"
    R"({"id":"d-sales","name":"销售部","head_id":"p-zhao","delegate_ids":["p-wu"]},)"
    R"({"id":"d-finance","name":"财务部","head_id":"p-qian"}]}}})";

// CFLOW_FUZZ_VERBOSE=1 prints every command's answer (to see what an input
// reaches when reproducing it).
const bool kVerbose = std::getenv("CFLOW_FUZZ_VERBOSE") != nullptr;

cflow_status Execute(cflow_engine* engine, cflow_format format, const void* data, size_t len) {
  uint8_t* out = kUntouched;
  size_t out_len = 0;
  const cflow_status s = cflow_engine_execute(&out, &out_len, engine, format, data, len);
  if (kVerbose) {
    const std::string answer = s != CFLOW_OK ? cflow_last_error()
                               : format == CFLOW_FORMAT_JSON
                                   ? reinterpret_cast<const char*>(out)
                                   : std::to_string(out_len) + " bytes of CommandResult";
    std::fprintf(stderr, "execute (%zu bytes): %s %s\n", len, cflow_status_name(s), answer.c_str());
  }
  CheckAnswer(s, out, kUntouched);
  if (s == CFLOW_OK) cflow_free(out);
  return s;
}

// A query returning a buffer: checked, then released.
template <typename Call>
void Query(Call&& call) {
  uint8_t* out = kUntouched;
  size_t out_len = 0;
  const cflow_status s = call(&out, &out_len);
  CheckAnswer(s, out, kUntouched);
  if (s == CFLOW_OK) cflow_free(out);
}

void ReadEveryView(cflow_engine* engine) {
  for (cflow_format f : {CFLOW_FORMAT_PROTOBUF, CFLOW_FORMAT_JSON}) {
    Query([&](uint8_t** o, size_t* n) { return cflow_engine_state(o, n, engine, f); });
    Query([&](uint8_t** o, size_t* n) { return cflow_engine_events(o, n, engine, f, 0, 1000); });
    Query(
        [&](uint8_t** o, size_t* n) { return cflow_engine_outbox_read(o, n, engine, f, 0, 1000); });
    Query([&](uint8_t** o, size_t* n) {
      return cflow_engine_get_request(o, n, engine, f, "REQ-Q3-LAUNCH");
    });
    Query([&](uint8_t** o, size_t* n) {
      return cflow_engine_schedule(o, n, engine, f, "REQ-Q3-LAUNCH");
    });
    Query([&](uint8_t** o, size_t* n) {
      return cflow_engine_must_do(o, n, engine, f, "p-li", 1789000000000000LL);
    });
    Query([&](uint8_t** o, size_t* n) {
      return cflow_engine_overdue(o, n, engine, f, 1789000000000000LL);
    });
  }
  for (cflow_format f : {CFLOW_FORMAT_PROTOBUF, CFLOW_FORMAT_JSON}) {
    Query([&](uint8_t** o, size_t* n) {
      return cflow_engine_process_record(o, n, engine, f, "REQ-Q3-LAUNCH");
    });
  }
  // The records: a report of each kind, and the archive read back verified.
  for (cflow_report_format f : {CFLOW_REPORT_MARKDOWN, CFLOW_REPORT_HTML, CFLOW_REPORT_GANTT_SVG}) {
    char* text = reinterpret_cast<char*>(kUntouched);
    size_t text_len = 0;
    const cflow_status s = cflow_engine_report(&text, &text_len, engine, "REQ-Q3-LAUNCH", f,
                                               CFLOW_LANGUAGE_CHINESE, 1789000000000000LL);
    CheckAnswer(s, text, kUntouched);
    if (s == CFLOW_OK) cflow_free(text);
  }
  uint8_t* bundle = kUntouched;
  size_t bundle_len = 0;
  const cflow_status exported =
      cflow_engine_export_archive(&bundle, &bundle_len, engine, "REQ-Q3-LAUNCH");
  CheckAnswer(exported, bundle, kUntouched);
  if (exported == CFLOW_OK) {
    const cflow_status read =
        cflow_archive_verify(nullptr, nullptr, CFLOW_FORMAT_PROTOBUF, bundle, bundle_len);
    if (read != CFLOW_OK) Violation("an exported archive does not verify", read);
    cflow_free(bundle);
  }
  if (cflow_engine_verify_history(engine) != CFLOW_OK) {
    Violation("the history of a live engine does not verify", cflow_last_error_code());
  }
  size_t events = 0;
  CheckAnswer(cflow_engine_tick(&events, engine, 1789000000000000LL), nullptr, nullptr);
}

void RunCommands(const uint8_t* data, size_t size, cflow_format format) {
  cflow_engine* engine = nullptr;
  cflow_status s = cflow_engine_open(&engine, nullptr);
  if (s != CFLOW_OK) Violation("cannot open an in-memory engine", s);
  s = Execute(engine, CFLOW_FORMAT_JSON, kDirectory, std::strlen(kDirectory));
  if (s != CFLOW_OK) Violation("the seed directory is refused", s);
  size_t pos = 0;
  int commands = 0;
  while (pos < size && commands < 64) {
    size_t len;
    if (format == CFLOW_FORMAT_JSON) {
      const void* nl = std::memchr(data + pos, '\n', size - pos);
      len = nl == nullptr ? size - pos : static_cast<const uint8_t*>(nl) - (data + pos);
    } else {
      if (size - pos < 2) break;
      len = data[pos] | (static_cast<size_t>(data[pos + 1]) << 8);
      pos += 2;
      if (len > size - pos) len = size - pos;
    }
    // Lines are copied so that an overread of the exact length is caught.
    std::string command(reinterpret_cast<const char*>(data + pos), len);
    Query([&](uint8_t** o, size_t* n) {
      return cflow_engine_preview_revision(o, n, engine, format, command.data(), command.size());
    });
    Execute(engine, format, command.data(), command.size());
    pos += len + (format == CFLOW_FORMAT_JSON ? 1 : 0);
    ++commands;
  }
  ReadEveryView(engine);
  cflow_engine_close(engine);
}

void RoundTripRequest(const uint8_t* data, size_t size, bool from_json) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  if (from_json) {
    uint8_t* pb = kUntouched;
    size_t pb_len = 0;
    const cflow_status s = cflow_request_from_json(&pb, &pb_len, input.data(), input.size());
    CheckAnswer(s, pb, kUntouched);
    if (s != CFLOW_OK) return;
    char* json = nullptr;
    size_t json_len = 0;
    const cflow_status back = cflow_request_to_json(&json, &json_len, pb, pb_len);
    if (back != CFLOW_OK) Violation("a valid request's protobuf does not convert back", back);
    cflow_free(json);
    cflow_free(pb);
  } else {
    char* json = reinterpret_cast<char*>(kUntouched);
    size_t json_len = 0;
    const cflow_status s = cflow_request_to_json(
        &json, &json_len, reinterpret_cast<const uint8_t*>(input.data()), input.size());
    CheckAnswer(s, json, kUntouched);
    if (s != CFLOW_OK) return;
    if (std::strlen(json) != json_len) Violation("JSON length differs from its NUL", s);
    uint8_t* pb = nullptr;
    size_t pb_len = 0;
    const cflow_status back = cflow_request_from_json(&pb, &pb_len, json, json_len);
    if (back != CFLOW_OK) Violation("a valid request's JSON does not convert back", back);
    cflow_free(pb);
    cflow_free(json);
  }
}

// Every calendar question on dates and instants around the edges of the
// supported range and inside it; none may fail on a loaded calendar.
void AskCalendar(const cflow_calendar* calendar) {
  const cflow_date days[] = {{1970, 1, 1}, {2026, 9, 20}, {2026, 9, 25}, {2199, 12, 31}};
  const int64_t instants[] = {0, 1790301600000000LL, 7258118399000000LL};
  for (const cflow_date& d : days) {
    int working = -1;
    cflow_status s = cflow_calendar_is_working_day(&working, calendar, d);
    if (s != CFLOW_OK || (working != 0 && working != 1)) Violation("is_working_day", s);
    for (int64_t n : {-100000LL, -1LL, 0LL, 1LL, 100000LL}) {
      cflow_date out{};
      s = cflow_calendar_add_working_days(&out, calendar, d, n);
      if (s != CFLOW_OK || out.year < 1970 || out.year > 2199) Violation("add_working_days", s);
    }
    int64_t between = 0;
    s = cflow_calendar_working_days_between(&between, calendar, days[0], d);
    if (s != CFLOW_OK || between < 0) Violation("working_days_between", s);
  }
  for (int64_t a : instants) {
    for (int32_t n : {-1, 0, 1, 30}) {
      int64_t due = 0;
      const cflow_status s = cflow_calendar_deadline_within(&due, calendar, a, n);
      // Results saturate at the close of the range's last working day
      // (calendar.h), which may be before an instant late on 2199-12-31.
      if (s != CFLOW_OK || (n > 0 && due < a && a < instants[2])) {
        Violation("deadline_within", s);
      }
    }
    for (int64_t b : instants) {
      int64_t micros = 0;
      const cflow_status s = cflow_calendar_working_time_between(&micros, calendar, a, b);
      if (s != CFLOW_OK || (b >= a) != (micros >= 0)) Violation("working_time_between", s);
    }
  }
}

void LoadCalendar(const uint8_t* data, size_t size, bool text) {
  const std::string input(reinterpret_cast<const char*>(data), size);
  cflow_calendar* calendar = reinterpret_cast<cflow_calendar*>(kUntouched);
  const cflow_status s =
      text ? cflow_calendar_from_text(&calendar, input.data(), input.size())
           : cflow_calendar_from_bytes(&calendar, reinterpret_cast<const uint8_t*>(input.data()),
                                       input.size());
  CheckAnswer(s, calendar, kUntouched);
  if (s != CFLOW_OK) return;
  char* printed = nullptr;
  size_t printed_len = 0;
  cflow_status back = cflow_calendar_to_text(&printed, &printed_len, calendar);
  if (back != CFLOW_OK) Violation("a loaded calendar does not print", back);
  cflow_calendar* again = nullptr;
  back = cflow_calendar_from_text(&again, printed, printed_len);
  if (back != CFLOW_OK) Violation("a printed calendar does not load back", back);
  AskCalendar(calendar);
  cflow_calendar_free(again);
  cflow_free(printed);
  cflow_calendar_free(calendar);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const uint8_t mode = data[0] % 6;
  ++data;
  --size;
  switch (mode) {
    case 0:
      RunCommands(data, size, CFLOW_FORMAT_JSON);
      break;
    case 1:
      RunCommands(data, size, CFLOW_FORMAT_PROTOBUF);
      break;
    case 2:
      RoundTripRequest(data, size, true);
      break;
    case 3:
      RoundTripRequest(data, size, false);
      break;
    case 4:
      LoadCalendar(data, size, true);
      break;
    default:
      LoadCalendar(data, size, false);
      break;
  }
  return 0;
}
