// Reports: the text content of the Markdown and HTML reports (CJK and
// English labels), the Gantt SVG well-formed with its critical bars,
// milestones, today line and shaded non-working days, and escaping of user
// text in every format.
#include "collabflow/report.h"

#include <string>

#include "collabflow/engine.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "report/xml_well_formed.h"
#include "support/commands.h"
#include "support/records_seed.h"
#include "wire/time_proto.h"

namespace collabflow {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace collabflow::testing;  // NOLINT: the seed vocabulary

std::string Render(const Engine& e, ReportFormat f, ReportLanguage l, absl::Time now) {
  auto r = RenderReport(e, kRequestId, f, l, now);
  EXPECT_TRUE(r.ok()) << r.status();
  return r.ok() ? *r : std::string();
}

int Count(const std::string& text, const std::string& what) {
  int n = 0;
  for (size_t p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
  return n;
}

// The <svg>...</svg> element inside an HTML page.
std::string SvgIn(const std::string& html) {
  const size_t a = html.find("<svg");
  const size_t b = html.rfind("</svg>");
  if (a == std::string::npos || b == std::string::npos) return "";
  return html.substr(a, b + 6 - a);
}

TEST(ReportTest, MarkdownHasHeaderRecordTablePlanAndHistoryInChinese) {
  auto e = OpenSeedEngine();
  DriveSeedSteps(*e, 8);
  const std::string md =
      Render(*e, ReportFormat::kMarkdown, ReportLanguage::kChinese, At(9, 8, 15));
  EXPECT_THAT(md, HasSubstr("# 协作报告:Q3新品上市营销方案执行"));
  EXPECT_THAT(md, HasSubstr("- **需求编号**: REQ-Q3-LAUNCH"));
  EXPECT_THAT(md, HasSubstr("- **状态**: 已分工"));
  EXPECT_THAT(md, HasSubstr("- **负责人**: 李娜"));
  EXPECT_THAT(md, HasSubstr("- **接收方**: 市场部、销售部"));
  EXPECT_THAT(md, HasSubstr("方案初稿 2026-09-10"));
  EXPECT_THAT(md, HasSubstr("## 协作流程记录表"));
  EXPECT_THAT(md,
              HasSubstr("| 1. 需求发起与确认 | 发起人 张伟 | 接收方在需求提出后1个工作日内反馈 | "
                        "2026-08-31 10:00 | 2026-09-01 16:00 | 2026-09-02 11:00 | 按时 |"));
  EXPECT_THAT(md, HasSubstr("## 任务计划与进度"));
  EXPECT_THAT(md,
              HasSubstr("| **T1** | 客户数据收集与分析 | 销售部 | 2 | 2026-09-03 | 2026-09-04 |"));
  EXPECT_THAT(md, HasSubstr("关键路径: T1 → T2 → T3"));
  EXPECT_THAT(md, HasSubstr("## 历史记录"));
  EXPECT_THAT(md, HasSubstr("| 发布任务拆分清单 | 3项任务 |"));
  EXPECT_THAT(md, HasSubstr("修订需求 | 第2版:客户数据提前至9月4日"));
}

TEST(ReportTest, MarkdownCarriesTheGanttAsAlignedText) {
  auto e = OpenSeedEngine();
  DriveSeedSteps(*e, 8);
  const std::string md =
      Render(*e, ReportFormat::kMarkdown, ReportLanguage::kChinese, At(9, 28, 10));
  EXPECT_THAT(md, HasSubstr("## 甘特图\n\n```text\n"));
  // One column a day from 9-3: T1 on 9-3/9-4, the weekend, T2 on 9-7..9-10;
  // 9-20 is a make-up working day (+), 9-25..27 the holiday (h).
  EXPECT_THAT(md, HasSubstr("\nT1      ##..     ..     .+    hhh \n"));
  EXPECT_THAT(md, HasSubstr("\nT2        ..#### ..     .+    hhh \n"));
  EXPECT_THAT(md, HasSubstr("\nM2        ..     .. o   .*    hhh \n"));
  EXPECT_THAT(md, HasSubstr("^ 今天\n"));
  EXPECT_THAT(md, HasSubstr("M1 = 方案初稿\n"));
}

TEST(ReportTest, EnglishReportUsesEnglishLabels) {
  auto e = OpenSeedEngine();
  DriveSeedSteps(*e, 8);
  const std::string md =
      Render(*e, ReportFormat::kMarkdown, ReportLanguage::kEnglish, At(9, 8, 15));
  EXPECT_THAT(md, HasSubstr("# Collaboration report: Q3新品上市营销方案执行"));
  EXPECT_THAT(md, HasSubstr("- **State**: planned"));
  EXPECT_THAT(md, HasSubstr("## Process record table"));
  EXPECT_THAT(md, HasSubstr("| 1. Request and confirmation | Initiator 张伟 |"));
  EXPECT_THAT(md, HasSubstr("| met |"));
  EXPECT_THAT(md, HasSubstr("Critical path: T1 → T2 → T3"));
  EXPECT_THAT(md, HasSubstr("| plan published | 3 tasks |"));
  EXPECT_THAT(md, Not(HasSubstr("协作流程记录表")));
  const std::string html = Render(*e, ReportFormat::kHtml, ReportLanguage::kEnglish, At(9, 8, 15));
  EXPECT_THAT(html, HasSubstr("<html lang=\"en\">"));
  EXPECT_THAT(html, HasSubstr("<h2>Gantt chart</h2>"));
}

v1::Command TaskCommand(const char* actor, absl::Time t) {
  v1::Command c;
  c.set_actor_id(actor);
  c.set_request_id(kRequestId);
  internal::ToProto(t, c.mutable_time());
  return c;
}

// The seed through tracking: a kickoff, T1 started, a late report (a missed
// period), a risk. What people typed is Chinese; what the engine writes is
// in the report's language.
std::unique_ptr<Engine> SeedWithTracking() {
  auto e = OpenSeedEngine();
  DriveSeedSteps(*e, 8);
  v1::KickoffMeeting m;
  internal::ToProto(At(9, 2, 14), m.mutable_time());
  m.add_attendee_ids(kOwner);
  m.add_agreed_points("9月20日定稿");
  EXPECT_TRUE(e->Execute(RecordKickoffCommand(kInitiator, At(9, 2, 15), kRequestId, m)).ok());
  v1::Command start = TaskCommand(kSalesData, At(9, 3, 9));
  start.mutable_start_task()->set_task_id("T1");
  EXPECT_TRUE(e->Execute(start).ok());
  v1::Command report = TaskCommand(kSalesData, At(9, 7, 10));
  report.mutable_report_progress()->mutable_report()->set_task_id("T1");
  report.mutable_report_progress()->mutable_report()->set_percent_complete(60);
  report.mutable_report_progress()->mutable_report()->set_work_done("客户数据收集完成60%");
  EXPECT_TRUE(e->Execute(report).ok());
  v1::Command risk = TaskCommand(kSalesData, At(9, 7, 11));
  v1::Risk* r = risk.mutable_raise_risk()->mutable_risk();
  r->set_task_id("T1");
  r->set_type(v1::RISK_TYPE_DELAY);
  r->set_severity(v1::SEVERITY_HIGH);
  r->set_description("系统接口问题");
  EXPECT_TRUE(e->Execute(risk).ok());
  return e;
}

TEST(ReportTest, AnEnglishReportWritesTheEnginesOwnTextsInEnglish) {
  auto e = SeedWithTracking();
  const std::string md =
      Render(*e, ReportFormat::kMarkdown, ReportLanguage::kEnglish, At(9, 8, 15));
  EXPECT_THAT(md, HasSubstr("collaboration request form, version 2"));
  EXPECT_THAT(md, HasSubstr("kickoff meeting record"));
  EXPECT_THAT(md, HasSubstr("task breakdown list (3 tasks)"));
  EXPECT_THAT(md, HasSubstr("progress reports (1)"));
  EXPECT_THAT(md, HasSubstr("risks and issues (1)"));
  EXPECT_THAT(md, HasSubstr("Risk risk-1 \\[delay\\]: 系统接口问题"));  // typed text as typed
  EXPECT_THAT(md, HasSubstr("Missed progress report: task T1 (2026-09-04 18:00)"));
  EXPECT_THAT(md, HasSubstr("on version 1: accepted with changes; duties: 销售部负责客户画像分析"));
  for (const char* ours :
       {"启动会记录", "进度反馈", "风险与问题", "《", "对第", "逾期", "职责", "催办", "项任务"}) {
    EXPECT_THAT(md, Not(HasSubstr(ours))) << ours;
  }
  // The Chinese report keeps its wording.
  const std::string zh =
      Render(*e, ReportFormat::kMarkdown, ReportLanguage::kChinese, At(9, 8, 15));
  EXPECT_THAT(zh, HasSubstr("启动会记录"));
  EXPECT_THAT(zh, HasSubstr("进度反馈1次"));
}

TEST(ReportTest, HtmlIsOneSelfContainedPageWithAWellFormedGantt) {
  auto e = OpenSeedEngine();
  DriveSeedSteps(*e, 8);
  const std::string html = Render(*e, ReportFormat::kHtml, ReportLanguage::kChinese, At(9, 8, 15));
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_THAT(html, HasSubstr("<html lang=\"zh-CN\">"));
  EXPECT_THAT(html, HasSubstr("<meta charset=\"utf-8\">"));
  EXPECT_THAT(html, HasSubstr("<title>协作报告:Q3新品上市营销方案执行</title>"));
  for (const char* section : {"record", "plan", "gantt", "history"}) {
    EXPECT_THAT(html, HasSubstr(absl::StrCat("<section id=\"", section, "\">")));
  }
  // Nothing to fetch: no scripts, no external sources or stylesheets.
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr(" src=")));
  EXPECT_THAT(html, Not(HasSubstr("<link")));
  // The critical rows are highlighted; the steps table has every step.
  EXPECT_EQ(Count(html, "<tr class=\"highlight\"><td>T"), 3);
  EXPECT_THAT(html, HasSubstr("<td>5. 成果验收与归档</td>"));
  const std::string svg = SvgIn(html);
  ASSERT_FALSE(svg.empty());
  EXPECT_EQ(XmlProblem(svg), "");
}

TEST(ReportTest, GanttShowsCriticalBarsMilestonesTodayAndNonWorkingDays) {
  auto e = OpenSeedEngine();
  DriveSeedSteps(*e, 8);
  // As of Monday 9-28, after the Mid-Autumn holiday (9-25..27).
  const std::string svg =
      Render(*e, ReportFormat::kGanttSvg, ReportLanguage::kChinese, At(9, 28, 12));
  ASSERT_EQ(XmlProblem(svg), "") << svg;
  EXPECT_THAT(svg, HasSubstr("xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_EQ(Count(svg, "class=\"bar critical\""), 3);  // T1 → T2 → T3
  EXPECT_EQ(Count(svg, "class=\"milestone\""), 3);     // 9-4, 9-10, 9-20
  EXPECT_EQ(Count(svg, "class=\"today\""), 1);
  // 9-25, 9-26 (Sat) and 9-27 (Sun) are the holiday; 10-1.. is National Day.
  EXPECT_GE(Count(svg, "class=\"holiday\""), 3);
  EXPECT_THAT(svg, HasSubstr("<title>中秋节</title>"));
  EXPECT_GE(Count(svg, "class=\"weekend\""), 4);
  EXPECT_EQ(Count(svg, "class=\"makeup\""), 1);  // Sunday 9-20 is worked
  EXPECT_THAT(svg, HasSubstr(">班</text>"));
  EXPECT_THAT(svg, HasSubstr("T2 营销方案初稿撰写"));
}

TEST(ReportTest, GanttLeavesOutATodayFarFromTheSchedule) {
  auto e = OpenSeedEngine();
  DriveSeedSteps(*e, 8);
  const std::string svg =
      Render(*e, ReportFormat::kGanttSvg, ReportLanguage::kEnglish, Shanghai(2025, 1, 2, 9));
  EXPECT_EQ(XmlProblem(svg), "");
  EXPECT_EQ(Count(svg, "class=\"today\""), 0);
  EXPECT_THAT(svg, HasSubstr(">Critical task</text>"));
}

TEST(ReportTest, WithoutAPlanTheReportSaysSoAndHasNoGantt) {
  auto e = OpenSeedEngine();
  DriveSeedSteps(*e, 3);
  const std::string html = Render(*e, ReportFormat::kHtml, ReportLanguage::kChinese, At(9, 1, 9));
  EXPECT_THAT(html, HasSubstr("尚未发布任务拆分清单。"));
  EXPECT_THAT(html, Not(HasSubstr("<svg")));
  EXPECT_THAT(html, HasSubstr("<td>进行中</td>"));
  const std::string svg =
      Render(*e, ReportFormat::kGanttSvg, ReportLanguage::kChinese, At(9, 1, 9));
  EXPECT_EQ(XmlProblem(svg), "");
  EXPECT_THAT(svg, HasSubstr("尚未发布任务拆分清单。"));
}

TEST(ReportTest, EscapesUserTextInEveryFormat) {
  auto e = OpenSeedEngine();
  v1::CollaborationRequest req = SeedRequestRevised();  // has the milestones the plan serves
  req.set_topic("Q3 <b>新品</b> & \"发布\" 'x' | *y*");
  v1::Plan plan = SeedPlan();
  plan.mutable_tasks(0)->set_name("<script>alert(\"x\")</script> & 数据");
  const absl::Status s = ExecuteAll(
      *e, {CreateRequestCommand(kInitiator, At(8, 31, 9), req),
           SubmitRequestCommand(kInitiator, At(8, 31, 10), kRequestId),
           RespondCommand(kOwner, At(8, 31, 11), kRequestId, Accept("market", "<i>策划</i>")),
           RespondCommand(kSalesHead, At(8, 31, 12), kRequestId, Accept("sales", "数据")),
           PublishPlanCommand(kOwner, At(8, 31, 14), kRequestId, plan)});
  ASSERT_TRUE(s.ok()) << s;

  const std::string html = Render(*e, ReportFormat::kHtml, ReportLanguage::kChinese, At(9, 8, 9));
  EXPECT_THAT(html, Not(HasSubstr("<script")));
  EXPECT_THAT(html, Not(HasSubstr("<b>新品")));
  EXPECT_THAT(html, HasSubstr("Q3 &lt;b&gt;新品&lt;/b&gt; &amp; &quot;发布&quot; &#39;x&#39;"));
  EXPECT_THAT(html, HasSubstr("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; 数据"));
  EXPECT_THAT(html, HasSubstr("&lt;i&gt;策划&lt;/i&gt;"));
  EXPECT_EQ(XmlProblem(SvgIn(html)), "");

  const std::string svg =
      Render(*e, ReportFormat::kGanttSvg, ReportLanguage::kChinese, At(9, 8, 9));
  EXPECT_EQ(XmlProblem(svg), "") << svg;
  EXPECT_THAT(svg, HasSubstr("Q3 &lt;b&gt;新品&lt;/b&gt; &amp; &quot;发布&quot;"));

  const std::string md = Render(*e, ReportFormat::kMarkdown, ReportLanguage::kChinese, At(9, 8, 9));
  EXPECT_THAT(md, Not(HasSubstr("<script")));
  EXPECT_THAT(md,
              HasSubstr("# 协作报告:Q3 &lt;b&gt;新品&lt;/b&gt; &amp; \"发布\" 'x' \\| \\*y\\*"));
  EXPECT_THAT(md, HasSubstr("&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; 数据"));
}

TEST(ReportTest, XmlCheckerRejectsMalformedSvg) {
  // The checker the tests above rely on does fail.
  EXPECT_NE(XmlProblem("<svg><g></svg></g>"), "");
  EXPECT_NE(XmlProblem("<svg><text>a & b</text></svg>"), "");
  EXPECT_NE(XmlProblem("<svg><text x=1>a</text></svg>"), "");
  EXPECT_NE(XmlProblem("<svg><text>a < b</text></svg>"), "");
  EXPECT_NE(XmlProblem("<svg></svg><svg></svg>"), "");
  EXPECT_NE(XmlProblem("<svg>"), "");
  EXPECT_EQ(XmlProblem("<svg a=\"1\"><text>中文 &amp; &#39;</text><g/></svg>"), "");
}

TEST(ReportTest, UnknownRequestIsNotFound) {
  auto e = OpenSeedEngine();
  EXPECT_TRUE(absl::IsNotFound(
      RenderReport(*e, "REQ-NONE", ReportFormat::kHtml, ReportLanguage::kChinese, At(9, 1, 9))
          .status()));
}

}  // namespace
}  // namespace collabflow
