// The Gantt chart of a request's schedule as a standalone SVG document:
// one bar per task from its early start to its early finish (critical tasks
// highlighted, progress filled in), the milestones as diamonds with their
// forecasts, the final deadline, a today line, and non-working days shaded
// from the calendar (weekends grey; holidays and days off in lieu red;
// make-up working days marked).
//
// Thread safety: a pure function.
#ifndef COLLABFLOW_SRC_REPORT_GANTT_SVG_H_
#define COLLABFLOW_SRC_REPORT_GANTT_SVG_H_

#include <string>

#include "collabflow/report.h"
#include "records/report_input.h"

namespace collabflow::internal {

// Well-formed XML (one <svg> element with the SVG namespace). Without a
// schedule: a small SVG that says there is no plan.
std::string RenderGanttSvg(const ReportInput& input, ReportLanguage language);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_REPORT_GANTT_SVG_H_
