#include "engine/state/request_summary.h"

namespace collabflow::internal {

void Summarize(const v1::RequestRecord& record, v1::RequestSummary* summary) {
  summary->set_state(record.state());
  if (HasEnded(record.state())) {
    summary->clear_topic();
    summary->clear_open_dues();
    return;
  }
  summary->set_topic(record.request().topic());
  *summary->mutable_open_dues() = record.open_dues();
}

}  // namespace collabflow::internal
