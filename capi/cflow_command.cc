// Typed commands through the C ABI: an opaque collabflow.v1.Command built by
// a constructor per kind plus adders, executed through the same path as
// cflow_engine_execute() (engine_handle.h's ExecuteCommand).
#include <initializer_list>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/str_cat.h"
#include "base/status_macros.h"
#include "boundary.h"
#include "collabflow.h"
#include "collabflow/v1/command.pb.h"
#include "engine_handle.h"
#include "live_handles.h"
#include "message_io.h"
#include "wire/common_proto.h"
#include "wire/time_proto.h"

struct cflow_command {
  collabflow::v1::Command command;
  // publish_plan: task id -> index in the plan, so that adding to a task of
  // a large plan does not scan it (the first task with an id wins; the
  // engine refuses duplicates on execution).
  absl::flat_hash_map<std::string, int> task_index;
};

namespace {

namespace v1 = collabflow::v1;
using collabflow::capi::DateArg;
using collabflow::capi::Guard;
using collabflow::capi::InstantArg;
using collabflow::capi::LiveHandles;
using collabflow::capi::RequireNonNull;
using collabflow::capi::TextArg;

// The C enums are the collabflow.v1 numbers (collabflow.h): a cast suffices.
// The _MAX checks fire when the schema grows a value that needs a C constant
// (and a wider EnumArg range).
constexpr bool Same(int c_value, int proto_value) { return c_value == proto_value; }
static_assert(Same(CFLOW_DECISION_ACCEPT, v1::DECISION_ACCEPT) &&
              Same(CFLOW_DECISION_ACCEPT_WITH_CHANGES, v1::DECISION_ACCEPT_WITH_CHANGES) &&
              Same(CFLOW_DECISION_DECLINE, v1::DECISION_DECLINE) && v1::Decision_MAX == 3);
static_assert(Same(CFLOW_DEPENDENCY_FINISH_TO_START, v1::DEPENDENCY_TYPE_FINISH_TO_START) &&
              Same(CFLOW_DEPENDENCY_START_TO_START, v1::DEPENDENCY_TYPE_START_TO_START) &&
              Same(CFLOW_DEPENDENCY_FINISH_TO_FINISH, v1::DEPENDENCY_TYPE_FINISH_TO_FINISH) &&
              Same(CFLOW_DEPENDENCY_START_TO_FINISH, v1::DEPENDENCY_TYPE_START_TO_FINISH) &&
              v1::DependencyType_MAX == 4);
static_assert(Same(CFLOW_RISK_DELAY, v1::RISK_TYPE_DELAY) &&
              Same(CFLOW_RISK_RESOURCE_SHORTAGE, v1::RISK_TYPE_RESOURCE_SHORTAGE) &&
              Same(CFLOW_RISK_DISAGREEMENT, v1::RISK_TYPE_DISAGREEMENT) &&
              Same(CFLOW_RISK_OTHER, v1::RISK_TYPE_OTHER) && v1::RiskType_MAX == 4);
static_assert(Same(CFLOW_SEVERITY_LOW, v1::SEVERITY_LOW) &&
              Same(CFLOW_SEVERITY_MEDIUM, v1::SEVERITY_MEDIUM) &&
              Same(CFLOW_SEVERITY_HIGH, v1::SEVERITY_HIGH) &&
              Same(CFLOW_SEVERITY_CRITICAL, v1::SEVERITY_CRITICAL) && v1::Severity_MAX == 4);
static_assert(Same(CFLOW_VERDICT_PASS, v1::VERDICT_PASS) &&
              Same(CFLOW_VERDICT_FAIL, v1::VERDICT_FAIL) && v1::Verdict_MAX == 2);

LiveHandles<cflow_command>& Commands() {
  static auto* handles = new LiveHandles<cflow_command>("command");  // never destroyed
  return *handles;
}

// Text arguments: required ones must be non-empty; optional ones may be NULL.
absl::Status Required(const char* text, const char* name, std::string* out) {
  return TextArg(text, name, /*optional=*/false, /*required=*/true, out);
}
absl::Status Optional(const char* text, const char* name, std::string* out) {
  return TextArg(text, name, /*optional=*/true, /*required=*/false, out);
}

// The C enums carry the collabflow.v1 numbers; UNSPECIFIED (0) is refused.
absl::Status EnumArg(int value, const char* name, int last) {
  if (value < 1 || value > last) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": unknown value ", value));
  }
  return absl::OkStatus();
}

absl::Status FlagArg(int value, const char* name) {
  if (value != 0 && value != 1) {
    return absl::InvalidArgumentError(absl::StrCat(name, ": must be 0 or 1, not ", value));
  }
  return absl::OkStatus();
}

// A new command with its envelope; `fill` sets the payload.
template <typename Fill>
cflow_status NewCommand(cflow_command** out, const char* actor_id, int64_t time_unix_micros,
                        const char* request_id, Fill&& fill) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(RequireNonNull(out, "out"));
    auto handle = std::make_unique<cflow_command>();
    v1::Command& c = handle->command;
    CFLOW_RETURN_IF_ERROR(Required(actor_id, "actor_id", c.mutable_actor_id()));
    CFLOW_ASSIGN_OR_RETURN(absl::Time time, InstantArg(time_unix_micros, "time_unix_micros"));
    collabflow::internal::ToProto(time, c.mutable_time());
    CFLOW_RETURN_IF_ERROR(Required(request_id, "request_id", c.mutable_request_id()));
    CFLOW_RETURN_IF_ERROR(fill(c));
    *out = Commands().Add(handle.release());
    return absl::OkStatus();
  });
}

std::string KindName(const v1::Command& c) {
  if (c.payload_case() == v1::Command::PAYLOAD_NOT_SET) return "an empty command";
  return c.GetDescriptor()->FindFieldByNumber(c.payload_case())->name();
}

// Runs fn(command) on a live command of one of the given kinds.
template <typename Fn>
cflow_status Amend(cflow_command* command, std::initializer_list<v1::Command::PayloadCase> kinds,
                   const char* function, Fn&& fn) {
  return Guard([&]() -> absl::Status {
    return Commands().With(command, [&](cflow_command& h) -> absl::Status {
      for (v1::Command::PayloadCase kind : kinds) {
        if (h.command.payload_case() != kind) continue;
        // Adders that need the handle (the plan's task index) take it whole.
        if constexpr (std::is_invocable_v<Fn, cflow_command&>) {
          return fn(h);
        } else {
          return fn(h.command);
        }
      }
      std::string wanted;
      for (v1::Command::PayloadCase kind : kinds) {
        absl::StrAppend(&wanted, wanted.empty() ? "" : " or ",
                        v1::Command::GetDescriptor()->FindFieldByNumber(kind)->name());
      }
      return absl::InvalidArgumentError(absl::StrCat(
          "command: ", function, " applies to a ", wanted, " command, not ", KindName(h.command)));
    });
  });
}

absl::Status AddDeliverable(google::protobuf::RepeatedPtrField<v1::Deliverable>* list,
                            const char* title, const char* uri, const char* sha256,
                            int64_t size_bytes) {
  v1::Deliverable d;
  CFLOW_RETURN_IF_ERROR(Required(title, "title", d.mutable_title()));
  CFLOW_RETURN_IF_ERROR(Required(uri, "uri", d.mutable_uri()));
  CFLOW_RETURN_IF_ERROR(Required(sha256, "sha256", d.mutable_sha256()));
  if (size_bytes < 0) {
    return absl::InvalidArgumentError(absl::StrCat("size_bytes: must be >= 0, not ", size_bytes));
  }
  d.set_size_bytes(size_bytes);
  *list->Add() = std::move(d);
  return absl::OkStatus();
}

absl::StatusOr<v1::Task*> FindTask(cflow_command& h, const std::string& task_id) {
  auto it = h.task_index.find(task_id);
  if (it == h.task_index.end()) {
    return absl::NotFoundError(absl::StrCat("task_id: no task \"", task_id, "\" in this plan"));
  }
  return h.command.mutable_publish_plan()->mutable_plan()->mutable_tasks(it->second);
}

// A copy of the built command (the handle stays the caller's), or the
// registry's refusal of a closed or foreign handle.
absl::StatusOr<v1::Command> CopyOf(const cflow_command* command) {
  v1::Command copy;
  CFLOW_RETURN_IF_ERROR(Commands().With(command, [&](cflow_command& h) {
    copy = h.command;
    return absl::OkStatus();
  }));
  return copy;
}

}  // namespace

extern "C" {

CFLOW_EXPORT void cflow_command_free(cflow_command* command) {
  try {
    Commands().Free(command);
  } catch (...) {
  }
}

CFLOW_EXPORT cflow_status cflow_command_encode(void** out, size_t* out_len,
                                               const cflow_command* command, cflow_format format) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(collabflow::capi::CheckOutputArgs(out, out_len, format));
    CFLOW_ASSIGN_OR_RETURN(v1::Command copy, CopyOf(command));
    return collabflow::capi::EncodeMessage(copy, format, out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_engine_execute_command(void** out, size_t* out_len,
                                                       cflow_engine* engine, cflow_format format,
                                                       const cflow_command* command) {
  return Guard([&]() -> absl::Status {
    CFLOW_RETURN_IF_ERROR(collabflow::capi::CheckOutputArgs(out, out_len, format));
    CFLOW_ASSIGN_OR_RETURN(v1::Command copy, CopyOf(command));
    return collabflow::capi::ExecuteCommand(engine, std::move(copy), format, out, out_len);
  });
}

CFLOW_EXPORT cflow_status cflow_command_submit_request(cflow_command** out, const char* actor_id,
                                                       int64_t time_unix_micros,
                                                       const char* request_id) {
  return NewCommand(out, actor_id, time_unix_micros, request_id, [&](v1::Command& c) {
    c.mutable_submit_request();
    return absl::OkStatus();
  });
}

CFLOW_EXPORT cflow_status cflow_command_respond(cflow_command** out, const char* actor_id,
                                                int64_t time_unix_micros, const char* request_id,
                                                const char* receiver_id, cflow_decision decision,
                                                const char* comment) {
  return NewCommand(
      out, actor_id, time_unix_micros, request_id, [&](v1::Command& c) -> absl::Status {
        v1::ReceiverResponse* r = c.mutable_respond()->mutable_response();
        CFLOW_RETURN_IF_ERROR(Required(receiver_id, "receiver_id", r->mutable_receiver_id()));
        CFLOW_RETURN_IF_ERROR(EnumArg(decision, "decision", CFLOW_DECISION_DECLINE));
        r->set_decision(static_cast<v1::Decision>(decision));
        r->set_timing_accepted(decision == CFLOW_DECISION_ACCEPT);
        return Optional(comment, "comment", r->mutable_comment());
      });
}

CFLOW_EXPORT cflow_status cflow_command_add_counter_proposal(cflow_command* command,
                                                             const char* milestone_id,
                                                             cflow_date proposed_date,
                                                             const char* condition) {
  std::string id, cond;
  return Amend(
      command, {v1::Command::kRespond}, "add_counter_proposal",
      [&](v1::Command& c) -> absl::Status {
        CFLOW_RETURN_IF_ERROR(Required(milestone_id, "milestone_id", &id));
        CFLOW_ASSIGN_OR_RETURN(absl::CivilDay day, DateArg(proposed_date, "proposed_date"));
        CFLOW_RETURN_IF_ERROR(Optional(condition, "condition", &cond));
        v1::MilestoneCounter* m = c.mutable_respond()->mutable_response()->add_counter_proposals();
        m->set_milestone_id(id);
        collabflow::internal::ToProto(day, m->mutable_proposed_date());
        m->set_condition(cond);
        return absl::OkStatus();
      });
}

CFLOW_EXPORT cflow_status cflow_command_add_duty(cflow_command* command, const char* duty) {
  return Amend(command, {v1::Command::kRespond}, "add_duty", [&](v1::Command& c) -> absl::Status {
    std::string text;
    CFLOW_RETURN_IF_ERROR(Required(duty, "duty", &text));
    c.mutable_respond()->mutable_response()->add_duties(std::move(text));
    return absl::OkStatus();
  });
}

CFLOW_EXPORT cflow_status cflow_command_publish_plan(cflow_command** out, const char* actor_id,
                                                     int64_t time_unix_micros,
                                                     const char* request_id,
                                                     int acknowledge_omissions) {
  return NewCommand(
      out, actor_id, time_unix_micros, request_id, [&](v1::Command& c) -> absl::Status {
        CFLOW_RETURN_IF_ERROR(FlagArg(acknowledge_omissions, "acknowledge_omissions"));
        c.mutable_publish_plan()->set_acknowledge_omissions(acknowledge_omissions);
        c.mutable_publish_plan()->mutable_plan();
        return absl::OkStatus();
      });
}

CFLOW_EXPORT cflow_status cflow_command_add_task(cflow_command* command, const char* task_id,
                                                 const char* name, cflow_party_kind assignee_kind,
                                                 const char* assignee_id, int32_t duration_days) {
  return Amend(
      command, {v1::Command::kPublishPlan}, "add_task", [&](cflow_command& h) -> absl::Status {
        v1::Task task;
        CFLOW_RETURN_IF_ERROR(Required(task_id, "task_id", task.mutable_id()));
        CFLOW_RETURN_IF_ERROR(Required(name, "name", task.mutable_name()));
        CFLOW_RETURN_IF_ERROR(EnumArg(assignee_kind, "assignee_kind", CFLOW_PARTY_DEPARTMENT));
        std::string assignee;
        CFLOW_RETURN_IF_ERROR(Required(assignee_id, "assignee_id", &assignee));
        if (assignee_kind == CFLOW_PARTY_PERSON) {
          task.mutable_assignee()->set_person_id(std::move(assignee));
        } else {
          task.mutable_assignee()->set_department_id(std::move(assignee));
        }
        if (duration_days < 0) {
          return absl::InvalidArgumentError(
              absl::StrCat("duration_days: must be >= 0, not ", duration_days));
        }
        task.set_duration_days(duration_days);
        v1::Plan* plan = h.command.mutable_publish_plan()->mutable_plan();
        h.task_index.emplace(task.id(), plan->tasks_size());
        *plan->add_tasks() = std::move(task);
        return absl::OkStatus();
      });
}

CFLOW_EXPORT cflow_status cflow_command_add_predecessor(cflow_command* command, const char* task_id,
                                                        const char* predecessor_id,
                                                        cflow_dependency_type type,
                                                        int32_t lag_days) {
  return Amend(command, {v1::Command::kPublishPlan}, "add_predecessor",
               [&](cflow_command& h) -> absl::Status {
                 std::string id, pred;
                 CFLOW_RETURN_IF_ERROR(Required(task_id, "task_id", &id));
                 CFLOW_RETURN_IF_ERROR(Required(predecessor_id, "predecessor_id", &pred));
                 CFLOW_RETURN_IF_ERROR(EnumArg(type, "type", CFLOW_DEPENDENCY_START_TO_FINISH));
                 CFLOW_ASSIGN_OR_RETURN(v1::Task * task, FindTask(h, id));
                 v1::Dependency* d = task->add_predecessors();
                 d->set_predecessor_id(std::move(pred));
                 d->set_type(static_cast<v1::DependencyType>(type));
                 d->set_lag_days(lag_days);
                 return absl::OkStatus();
               });
}

CFLOW_EXPORT cflow_status cflow_command_add_task_serves(cflow_command* command, const char* task_id,
                                                        const char* milestone_id) {
  return Amend(command, {v1::Command::kPublishPlan}, "add_task_serves",
               [&](cflow_command& h) -> absl::Status {
                 std::string id, milestone;
                 CFLOW_RETURN_IF_ERROR(Required(task_id, "task_id", &id));
                 if (milestone_id != nullptr) {
                   CFLOW_RETURN_IF_ERROR(Required(milestone_id, "milestone_id", &milestone));
                 }
                 CFLOW_ASSIGN_OR_RETURN(v1::Task * task, FindTask(h, id));
                 v1::ServedItem* s = task->add_serves();
                 if (milestone_id == nullptr) {
                   s->set_goal(true);
                 } else {
                   s->set_milestone_id(std::move(milestone));
                 }
                 return absl::OkStatus();
               });
}

CFLOW_EXPORT cflow_status cflow_command_add_delivery_item(cflow_command* command,
                                                          const char* task_id, const char* item) {
  return Amend(command, {v1::Command::kPublishPlan}, "add_delivery_item",
               [&](cflow_command& h) -> absl::Status {
                 std::string id, text;
                 CFLOW_RETURN_IF_ERROR(Required(task_id, "task_id", &id));
                 CFLOW_RETURN_IF_ERROR(Required(item, "item", &text));
                 CFLOW_ASSIGN_OR_RETURN(v1::Task * task, FindTask(h, id));
                 task->add_delivery_standard(std::move(text));
                 return absl::OkStatus();
               });
}

CFLOW_EXPORT cflow_status cflow_command_start_task(cflow_command** out, const char* actor_id,
                                                   int64_t time_unix_micros, const char* request_id,
                                                   const char* task_id) {
  return NewCommand(out, actor_id, time_unix_micros, request_id, [&](v1::Command& c) {
    return Required(task_id, "task_id", c.mutable_start_task()->mutable_task_id());
  });
}

CFLOW_EXPORT cflow_status cflow_command_report_progress(
    cflow_command** out, const char* actor_id, int64_t time_unix_micros, const char* request_id,
    const char* task_id, int32_t percent_complete, const char* work_done, const char* work_not_done,
    const char* reason, const char* support_needed) {
  return NewCommand(
      out, actor_id, time_unix_micros, request_id, [&](v1::Command& c) -> absl::Status {
        v1::ProgressReport* r = c.mutable_report_progress()->mutable_report();
        CFLOW_RETURN_IF_ERROR(Required(task_id, "task_id", r->mutable_task_id()));
        r->set_percent_complete(percent_complete);
        CFLOW_RETURN_IF_ERROR(Optional(work_done, "work_done", r->mutable_work_done()));
        CFLOW_RETURN_IF_ERROR(Optional(work_not_done, "work_not_done", r->mutable_work_not_done()));
        CFLOW_RETURN_IF_ERROR(Optional(reason, "reason", r->mutable_reason()));
        return Optional(support_needed, "support_needed", r->mutable_support_needed());
      });
}

CFLOW_EXPORT cflow_status cflow_command_raise_risk(cflow_command** out, const char* actor_id,
                                                   int64_t time_unix_micros, const char* request_id,
                                                   const char* task_id, cflow_risk_type type,
                                                   cflow_severity severity, const char* description,
                                                   int blocker) {
  return NewCommand(
      out, actor_id, time_unix_micros, request_id, [&](v1::Command& c) -> absl::Status {
        v1::Risk* r = c.mutable_raise_risk()->mutable_risk();
        CFLOW_RETURN_IF_ERROR(Required(task_id, "task_id", r->mutable_task_id()));
        CFLOW_RETURN_IF_ERROR(EnumArg(type, "type", CFLOW_RISK_OTHER));
        CFLOW_RETURN_IF_ERROR(EnumArg(severity, "severity", CFLOW_SEVERITY_CRITICAL));
        r->set_type(static_cast<v1::RiskType>(type));
        r->set_severity(static_cast<v1::Severity>(severity));
        CFLOW_RETURN_IF_ERROR(Required(description, "description", r->mutable_description()));
        CFLOW_RETURN_IF_ERROR(FlagArg(blocker, "blocker"));
        r->set_blocker(blocker == 1);
        return absl::OkStatus();
      });
}

CFLOW_EXPORT cflow_status cflow_command_resolve_risk(cflow_command** out, const char* actor_id,
                                                     int64_t time_unix_micros,
                                                     const char* request_id, const char* risk_id,
                                                     const char* resolution,
                                                     int32_t revision_number) {
  return NewCommand(
      out, actor_id, time_unix_micros, request_id, [&](v1::Command& c) -> absl::Status {
        v1::ResolveRisk* r = c.mutable_resolve_risk();
        CFLOW_RETURN_IF_ERROR(Required(risk_id, "risk_id", r->mutable_risk_id()));
        CFLOW_RETURN_IF_ERROR(Required(resolution, "resolution", r->mutable_resolution()));
        if (revision_number < 0) {
          return absl::InvalidArgumentError(
              absl::StrCat("revision_number: must be >= 0, not ", revision_number));
        }
        r->set_revision_number(revision_number);
        return absl::OkStatus();
      });
}

CFLOW_EXPORT cflow_status cflow_command_submit_deliverables(cflow_command** out,
                                                            const char* actor_id,
                                                            int64_t time_unix_micros,
                                                            const char* request_id,
                                                            const char* task_id, const char* note) {
  return NewCommand(out, actor_id, time_unix_micros, request_id,
                    [&](v1::Command& c) -> absl::Status {
                      v1::SubmitDeliverables* s = c.mutable_submit_deliverables();
                      CFLOW_RETURN_IF_ERROR(Required(task_id, "task_id", s->mutable_task_id()));
                      return Optional(note, "note", s->mutable_note());
                    });
}

CFLOW_EXPORT cflow_status cflow_command_add_deliverable(cflow_command* command, const char* title,
                                                        const char* uri, const char* sha256,
                                                        int64_t size_bytes) {
  return Amend(command, {v1::Command::kSubmitDeliverables, v1::Command::kSubmitFinal},
               "add_deliverable", [&](v1::Command& c) {
                 return AddDeliverable(
                     c.has_submit_final() ? c.mutable_submit_final()->mutable_deliverables()
                                          : c.mutable_submit_deliverables()->mutable_deliverables(),
                     title, uri, sha256, size_bytes);
               });
}

CFLOW_EXPORT cflow_status cflow_command_review_submission(
    cflow_command** out, const char* actor_id, int64_t time_unix_micros, const char* request_id,
    const char* task_id, cflow_verdict verdict, int accurate, const char* accuracy_comment) {
  return NewCommand(
      out, actor_id, time_unix_micros, request_id, [&](v1::Command& c) -> absl::Status {
        v1::ReviewSubmission* r = c.mutable_review_submission();
        CFLOW_RETURN_IF_ERROR(Required(task_id, "task_id", r->mutable_task_id()));
        CFLOW_RETURN_IF_ERROR(EnumArg(verdict, "verdict", CFLOW_VERDICT_FAIL));
        r->set_verdict(static_cast<v1::Verdict>(verdict));
        CFLOW_RETURN_IF_ERROR(FlagArg(accurate, "accurate"));
        r->set_accurate(accurate == 1);
        return Optional(accuracy_comment, "accuracy_comment", r->mutable_accuracy_comment());
      });
}

CFLOW_EXPORT cflow_status cflow_command_add_review_item(cflow_command* command, const char* item,
                                                        int met) {
  return Amend(command, {v1::Command::kReviewSubmission}, "add_review_item",
               [&](v1::Command& c) -> absl::Status {
                 std::string text;
                 CFLOW_RETURN_IF_ERROR(Required(item, "item", &text));
                 CFLOW_RETURN_IF_ERROR(FlagArg(met, "met"));
                 v1::ReviewSubmission* r = c.mutable_review_submission();
                 if (met == 1) {
                   r->add_items_met(std::move(text));
                 } else {
                   r->add_items_missing(std::move(text));
                 }
                 return absl::OkStatus();
               });
}

CFLOW_EXPORT cflow_status cflow_command_add_rectification(cflow_command* command,
                                                          const char* description,
                                                          int64_t due_unix_micros) {
  return Amend(
      command, {v1::Command::kReviewSubmission, v1::Command::kReviewFinal}, "add_rectification",
      [&](v1::Command& c) -> absl::Status {
        v1::RectificationItem item;
        CFLOW_RETURN_IF_ERROR(Required(description, "description", item.mutable_description()));
        if (due_unix_micros != 0) {
          CFLOW_ASSIGN_OR_RETURN(absl::Time due, InstantArg(due_unix_micros, "due_unix_micros"));
          collabflow::internal::ToProto(due, item.mutable_due());
        }
        *(c.has_review_final() ? c.mutable_review_final()->add_rectification()
                               : c.mutable_review_submission()->add_rectification()) =
            std::move(item);
        return absl::OkStatus();
      });
}

CFLOW_EXPORT cflow_status cflow_command_submit_final(cflow_command** out, const char* actor_id,
                                                     int64_t time_unix_micros,
                                                     const char* request_id, const char* note) {
  return NewCommand(out, actor_id, time_unix_micros, request_id, [&](v1::Command& c) {
    return Optional(note, "note", c.mutable_submit_final()->mutable_note());
  });
}

CFLOW_EXPORT cflow_status cflow_command_review_final(cflow_command** out, const char* actor_id,
                                                     int64_t time_unix_micros,
                                                     const char* request_id, cflow_verdict verdict,
                                                     const char* comment) {
  return NewCommand(out, actor_id, time_unix_micros, request_id,
                    [&](v1::Command& c) -> absl::Status {
                      v1::ReviewFinal* r = c.mutable_review_final();
                      CFLOW_RETURN_IF_ERROR(EnumArg(verdict, "verdict", CFLOW_VERDICT_FAIL));
                      r->set_verdict(static_cast<v1::Verdict>(verdict));
                      return Optional(comment, "comment", r->mutable_comment());
                    });
}

CFLOW_EXPORT cflow_status cflow_command_archive_request(cflow_command** out, const char* actor_id,
                                                        int64_t time_unix_micros,
                                                        const char* request_id, const char* note) {
  return NewCommand(out, actor_id, time_unix_micros, request_id, [&](v1::Command& c) {
    return Optional(note, "note", c.mutable_archive_request()->mutable_note());
  });
}

}  // extern "C"
