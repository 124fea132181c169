// Rendering a report straight from a request's history (Engine::Report):
// assembles the ReportInput (schedule, process record) and picks the format.
//
// Thread safety: a pure function.
#ifndef COLLABFLOW_SRC_REPORT_REQUEST_REPORT_H_
#define COLLABFLOW_SRC_REPORT_REQUEST_REPORT_H_

#include <string>

#include "absl/time/time.h"
#include "collabflow/calendar.h"
#include "collabflow/report.h"
#include "collabflow/v1/directory.pb.h"
#include "engine/journal/request_history.h"
#include "engine/state/directory_index.h"
#include "records/report_input.h"

namespace collabflow::internal {

ReportInput MakeReportInput(const RequestHistory& history, const v1::Directory& directory,
                            const DirectoryIndex& directory_index, const Calendar& calendar,
                            absl::Time now);

std::string RenderReport(const ReportInput& input, ReportFormat format, ReportLanguage language);

std::string RenderRequestReport(const RequestHistory& history, const v1::Directory& directory,
                                const DirectoryIndex& directory_index, const Calendar& calendar,
                                ReportFormat format, ReportLanguage language, absl::Time now);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_REPORT_REQUEST_REPORT_H_
