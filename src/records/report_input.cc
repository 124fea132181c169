#include "records/report_input.h"

#include <utility>

#include "engine/state/schedule_view.h"
#include "records/process_record.h"

namespace collabflow::internal {

ReportInput MakeReportInput(const RequestHistory& history, const DirectoryIndex& directory_index,
                            const Calendar& calendar, absl::Time now, RecordLanguage language) {
  ReportInput in{history.record,    std::nullopt, {}, history.events,
                 history.directory, calendar,     now};
  if (history.record.plan().tasks_size() > 0) {
    absl::StatusOr<v1::ScheduleView> schedule = BuildScheduleView(history.record, calendar);
    if (schedule.ok()) in.schedule = *std::move(schedule);
  }
  in.process_record =
      BuildProcessRecord(history.record, history.events, calendar, directory_index, language);
  return in;
}

}  // namespace collabflow::internal
