// The ready calendars: the schedules compiled into the library as textproto
// (calendar_embedded.h), parsed through the codec on first use. They live
// here, above the codec, so that the kernel (calendar.cc) depends on neither.
#include <utility>

#include "calendar/calendar_embedded.h"
#include "calendar/calendar_impl.h"
#include "collabflow/calendar.h"
#include "collabflow/calendar_codec.h"

namespace collabflow {

const Calendar& Calendar::ChinaMainland() {
  static const Calendar* const kChina = [] {
    auto calendar = ParseCalendarText(internal::kChinaMainlandCalendarText);
    if (!calendar.ok()) {
      internal::DieOnBadBuiltinCalendar("cn-mainland-2025-2026", calendar.status());
    }
    return new Calendar(*std::move(calendar));
  }();
  return *kChina;
}

}  // namespace collabflow
