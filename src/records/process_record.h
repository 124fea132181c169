// The process record table (协作流程记录表) of a request, built from its
// record and its events: for each of the five steps of the process, the
// responsible role and people, the time rule, the actual start and end, the
// due time, whether the rule was met, the outputs, the members, and notes on
// risks and adjustments. Partly filled while the request runs.
//
// Deterministic: a pure function of its inputs. Time-dependent judgements
// ("still open past its due") are made as of the request's latest event, so
// the same history always gives the same table.
//
// Steps 3 to 5 read the tracking and acceptance records generically
// (TaskExecution, Risk, ResourceRequest, PlanRevision, Minutes, Submission,
// Review, Archive found anywhere in the record or its events), so new fields
// that hold them need no change here.
//
// Thread safety: a pure function.
#ifndef COLLABFLOW_SRC_RECORDS_PROCESS_RECORD_H_
#define COLLABFLOW_SRC_RECORDS_PROCESS_RECORD_H_

#include <string>

#include "absl/types/span.h"
#include "collabflow/calendar.h"
#include "collabflow/v1/acceptance.pb.h"
#include "collabflow/v1/event.pb.h"
#include "collabflow/v1/state.pb.h"
#include "engine/state/directory_index.h"

namespace collabflow::internal {

// The language of the texts the table writes itself (time requirements,
// outputs such as "启动会记录", counts such as "进度反馈3次", notes on
// answers, risks, omissions and delays), rendered from the structured
// records; what people typed (reasons, descriptions, duties) stays as typed.
// The table the engine serves (GetProcessRecord, the archive) is Chinese;
// an English report renders its own.
enum class RecordLanguage { kChinese, kEnglish };

// `events`: the request's events in sequence order (others are ignored).
v1::ProcessRecordTable BuildProcessRecord(const v1::RequestRecord& record,
                                          absl::Span<const v1::Event> events,
                                          const Calendar& calendar, const DirectoryIndex& directory,
                                          RecordLanguage language = RecordLanguage::kChinese);

// The table as plain text (one block per step), in Chinese.
std::string ProcessRecordText(const v1::ProcessRecordTable& table, const Calendar& calendar);

}  // namespace collabflow::internal

#endif  // COLLABFLOW_SRC_RECORDS_PROCESS_RECORD_H_
