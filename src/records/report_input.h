// What a report is rendered from: copies of one request's record, schedule,
// process record and events, the directory (for names), the calendar and the
// time the report is "as of". Every renderer (src/report/) is a pure
// function of these.
#ifndef COLLABFLOW_SRC_RECORDS_REPORT_INPUT_H_
#define COLLABFLOW_SRC_RECORDS_REPORT_INPUT_H_

#include <optional>
#include <vector>

#include "absl/time/time.h"
#include "collabflow/calendar.h"
#include "collabflow/request_history.h"
#include "collabflow/v1/acceptance.pb.h"
#include "collabflow/v1/directory.pb.h"
#include "collabflow/v1/event.pb.h"
#include "collabflow/v1/state.pb.h"
#include "collabflow/v1/views.pb.h"
#include "engine/state/directory_index.h"
#include "records/process_record.h"

namespace collabflow::internal {

struct ReportInput {
  v1::RequestRecord record;
  std::optional<v1::ScheduleView> schedule;  // unset without a plan
  v1::ProcessRecordTable process_record;
  std::vector<v1::Event> events;  // the request's, in order
  v1::Directory directory;
  Calendar calendar;
  absl::Time now;  // the Gantt chart's today line; the "generated" stamp
};

// The input of a report on `history` as of `now`: its schedule (when it has
// a plan) and process record computed (its own texts in `language`), the
// directory indexed as `directory_index`.
ReportInput MakeReportInput(const RequestHistory& history, const DirectoryIndex& directory_index,
                            const Calendar& calendar, absl::Time now,
                            RecordLanguage language = RecordLanguage::kChinese);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_RECORDS_REPORT_INPUT_H_
