/* Calendars through the C ABI alone (C99 and C11, pedantic): the shipped
 * mainland-China calendar on the seed's 2026 dates (Sunday 9-20 a make-up
 * working day, 9-25..27 the Mid-Autumn holiday), calendars from text and
 * bytes, and every misuse answered. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "c_check.h"
#include "collabflow.h"

/* 2026-09-25T10:00+08:00 (Friday, Mid-Autumn holiday). */
static const int64_t kSep25At10 = INT64_C(1790301600000000);
/* 2026-09-28T09:00+08:00 and 18:00+08:00 (Monday). */
static const int64_t kSep28At09 = INT64_C(1790557200000000);
static const int64_t kSep28At18 = INT64_C(1790589600000000);
static const int64_t kHour = INT64_C(3600000000);

static cflow_date date(int32_t y, int32_t m, int32_t d) {
  cflow_date out;
  out.year = y;
  out.month = m;
  out.day = d;
  return out;
}

static int test_china_mainland_knows_the_2026_holidays(void) {
  cflow_calendar* cal = NULL;
  int working = -1;
  cflow_date out = {0, 0, 0};
  int64_t n = 0;
  CHECK(cflow_calendar_china_mainland(&cal) == CFLOW_OK);
  CHECK(cflow_calendar_is_working_day(&working, cal, date(2026, 9, 20)) == CFLOW_OK);
  CHECK(working == 1); /* Sunday, make-up working day */
  CHECK(cflow_calendar_is_working_day(&working, cal, date(2026, 9, 25)) == CFLOW_OK);
  CHECK(working == 0); /* Friday, Mid-Autumn */
  CHECK(cflow_calendar_is_working_day(&working, cal, date(2026, 9, 19)) == CFLOW_OK);
  CHECK(working == 0); /* an ordinary Saturday */
  /* Thursday 9-24 + 1 working day skips the holiday and the weekend. */
  CHECK(cflow_calendar_add_working_days(&out, cal, date(2026, 9, 24), 1) == CFLOW_OK);
  CHECK(out.year == 2026 && out.month == 9 && out.day == 28);
  CHECK(cflow_calendar_add_working_days(&out, cal, date(2026, 9, 28), -1) == CFLOW_OK);
  CHECK(out.month == 9 && out.day == 24);
  CHECK(cflow_calendar_add_working_days(&out, cal, date(2026, 9, 19), 0) == CFLOW_OK);
  CHECK(out.day == 19);
  /* 9-18 (Fri), 9-20 (Sun, make-up), 9-21..24: 6 working days in [9-18, 9-25). */
  CHECK(cflow_calendar_working_days_between(&n, cal, date(2026, 9, 18), date(2026, 9, 25)) ==
        CFLOW_OK);
  CHECK(n == 6);
  CHECK(cflow_calendar_working_days_between(&n, cal, date(2026, 9, 25), date(2026, 9, 18)) ==
        CFLOW_OK);
  CHECK(n == -6);
  cflow_calendar_free(cal);
  return 1;
}

static int test_deadlines_and_working_time(void) {
  cflow_calendar* cal = NULL;
  int64_t t = 0;
  CHECK(cflow_calendar_china_mainland(&cal) == CFLOW_OK);
  /* Filed during the holiday: the clock starts Monday 9-28 09:00 and runs
   * one working day, to 18:00. */
  CHECK(cflow_calendar_deadline_within(&t, cal, kSep25At10, 1) == CFLOW_OK);
  CHECK(t == kSep28At18);
  CHECK(cflow_calendar_deadline_within(&t, cal, kSep25At10, 0) == CFLOW_OK);
  CHECK(t == kSep25At10);
  /* 09:00-18:00 with a 12:00-13:00 break: 8 hours. */
  CHECK(cflow_calendar_working_time_between(&t, cal, kSep28At09, kSep28At18) == CFLOW_OK);
  CHECK(t == 8 * kHour);
  CHECK(cflow_calendar_working_time_between(&t, cal, kSep28At18, kSep28At09) == CFLOW_OK);
  CHECK(t == -8 * kHour);
  /* Nothing is worked during the holiday. */
  CHECK(cflow_calendar_working_time_between(&t, cal, kSep25At10, kSep28At09) == CFLOW_OK);
  CHECK(t == 0);
  cflow_calendar_free(cal);
  return 1;
}

static int test_calendar_from_text_and_bytes(void) {
  static const char kText[] =
      "name: \"acme\"\n"
      "time_zone: \"UTC\"\n"
      "working_weekdays: [WEEKDAY_MONDAY, WEEKDAY_TUESDAY]\n"
      "exceptions { date { year: 2026 month: 9 day: 1 } kind: DAY_KIND_STATUTORY_HOLIDAY "
      "name: \"\xe5\x85\xac\xe5\x8f\xb8\xe6\x97\xa5\" }\n";
  cflow_calendar* cal = NULL;
  cflow_calendar* again = NULL;
  char* text = NULL;
  size_t len = 0;
  int working = -1;
  CHECK(cflow_calendar_from_text(&cal, kText, strlen(kText)) == CFLOW_OK);
  CHECK(cflow_calendar_is_working_day(&working, cal, date(2026, 8, 31)) == CFLOW_OK);
  CHECK(working == 1); /* Monday */
  CHECK(cflow_calendar_is_working_day(&working, cal, date(2026, 9, 1)) == CFLOW_OK);
  CHECK(working == 0); /* Tuesday, company day off */
  CHECK(cflow_calendar_is_working_day(&working, cal, date(2026, 9, 2)) == CFLOW_OK);
  CHECK(working == 0); /* Wednesday: not in the weekly pattern */
  /* Its text form reads back to the same calendar. */
  CHECK(cflow_calendar_to_text(&text, &len, cal) == CFLOW_OK);
  CHECK(len == strlen(text) && strstr(text, "acme") != NULL);
  CHECK(cflow_calendar_from_text(&again, text, len) == CFLOW_OK);
  CHECK(cflow_calendar_is_working_day(&working, again, date(2026, 9, 1)) == CFLOW_OK);
  CHECK(working == 0);
  cflow_free(text);
  cflow_calendar_free(again);
  cflow_calendar_free(cal);
  /* An empty message is the default calendar (Monday to Friday). */
  CHECK(cflow_calendar_from_bytes(&cal, NULL, 0) == CFLOW_OK);
  CHECK(cflow_calendar_is_working_day(&working, cal, date(2026, 9, 20)) == CFLOW_OK);
  CHECK(working == 0);
  cflow_calendar_free(cal);
  return 1;
}

static int test_engine_calendar_outlives_the_engine(void) {
  cflow_engine* e = NULL;
  cflow_calendar* cal = NULL;
  int working = -1;
  CHECK(cflow_engine_open(&e, NULL) == CFLOW_OK);
  CHECK(cflow_engine_calendar(&cal, e) == CFLOW_OK);
  cflow_engine_close(e);
  CHECK(cflow_calendar_is_working_day(&working, cal, date(2026, 9, 20)) == CFLOW_OK);
  CHECK(working == 1); /* the engine counts with the mainland-China calendar */
  cflow_calendar_free(cal);
  CHECK(cflow_engine_calendar(&cal, e) == CFLOW_INVALID_ARGUMENT); /* closed engine */
  return 1;
}

static int test_calendar_misuse_is_answered(void) {
  static const uint8_t kGarbage[] = {0xff, 0xff, 0xff, 0x01};
  cflow_calendar* cal = NULL;
  cflow_calendar* freed = NULL;
  int working = -1;
  int64_t t = 0;
  cflow_date out = {0, 0, 0};
  char* text = NULL;
  size_t len = 0;
  CHECK(cflow_calendar_china_mainland(NULL) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_calendar_from_text(&cal, "name: ", 6) == CFLOW_INVALID_ARGUMENT);
  CHECK(strlen(cflow_last_error()) > 0);
  CHECK(cflow_calendar_from_text(&cal, "name: \"\xff\"", 9) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "UTF-8") != NULL);
  CHECK(cflow_calendar_from_text(&cal, "time_zone: \"Mars/Olympus\"", 25) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_calendar_from_text(&cal, NULL, 5) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_calendar_from_text(&cal, "x", (size_t)-1) == CFLOW_RESOURCE_EXHAUSTED);
  CHECK(cflow_calendar_from_bytes(&cal, kGarbage, sizeof kGarbage) == CFLOW_INVALID_ARGUMENT);
  CHECK(cal == NULL);
  CHECK(cflow_calendar_china_mainland(&cal) == CFLOW_OK);
  CHECK(cflow_calendar_is_working_day(NULL, cal, date(2026, 9, 1)) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_calendar_is_working_day(&working, cal, date(2026, 2, 29)) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "day") != NULL);
  CHECK(cflow_calendar_is_working_day(&working, cal, date(2026, 13, 1)) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_calendar_is_working_day(&working, cal, date(1969, 12, 31)) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_calendar_add_working_days(&out, cal, date(2026, 0, 1), 1) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_calendar_working_days_between(&t, cal, date(2026, 9, 1), date(2026, 9, 31)) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "to") != NULL);
  CHECK(cflow_calendar_deadline_within(&t, cal, INT64_MAX, 1) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_calendar_working_time_between(&t, cal, 0, INT64_MIN) == CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_calendar_to_text(NULL, &len, cal) == CFLOW_INVALID_ARGUMENT);
  CHECK(working == -1 && t == 0 && out.year == 0); /* untouched on failure */
  /* A freed or foreign handle is refused; freeing twice is harmless. */
  CHECK(cflow_calendar_china_mainland(&freed) == CFLOW_OK);
  cflow_calendar_free(freed);
  cflow_calendar_free(freed);
  cflow_calendar_free(NULL);
  CHECK(cflow_calendar_is_working_day(&working, freed, date(2026, 9, 1)) == CFLOW_INVALID_ARGUMENT);
  CHECK(strstr(cflow_last_error(), "calendar") != NULL);
  CHECK(cflow_calendar_to_text(&text, &len, (const cflow_calendar*)&working) ==
        CFLOW_INVALID_ARGUMENT);
  CHECK(cflow_calendar_is_working_day(&working, NULL, date(2026, 9, 1)) == CFLOW_INVALID_ARGUMENT);
  cflow_calendar_free(cal);
  return 1;
}

int main(void) {
  RUN(test_china_mainland_knows_the_2026_holidays);
  RUN(test_deadlines_and_working_time);
  RUN(test_calendar_from_text_and_bytes);
  RUN(test_engine_calendar_outlives_the_engine);
  RUN(test_calendar_misuse_is_answered);
  return C_CHECK_SUMMARY();
}
