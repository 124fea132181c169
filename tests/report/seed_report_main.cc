// Writes the seed scenario's reports (through plan publication) into a
// directory: report.zh.html, report.en.html, report.zh.md, gantt.zh.svg,
// gantt.holiday.zh.svg (as of 9-28), process_record.txt and archive.bin. Used by
// scripts/check_report.sh (the headless-browser check) and by the Python XML check in ctest.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "collabflow/archive.h"
#include "collabflow/engine.h"
#include "collabflow/process_record.h"
#include "collabflow/report.h"
#include "records/process_record.h"
#include "support/records_seed.h"

namespace {

bool Write(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out << bytes;
  return static_cast<bool>(out);
}

}  // namespace

int main(int argc, char** argv) {
  using namespace collabflow;           // NOLINT
  using namespace collabflow::testing;  // NOLINT
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_DIR\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  std::filesystem::create_directories(dir);
  auto engine = OpenSeedEngine();
  if (engine == nullptr) return 1;
  DriveSeedSteps(*engine, 8);
  const absl::Time now = At(9, 8, 15);  // Tuesday of week 2, during T2
  struct Out {
    const char* file;
    ReportFormat format;
    ReportLanguage language;
  };
  const Out outs[] = {
      {"report.zh.html", ReportFormat::kHtml, ReportLanguage::kChinese},
      {"report.en.html", ReportFormat::kHtml, ReportLanguage::kEnglish},
      {"report.zh.md", ReportFormat::kMarkdown, ReportLanguage::kChinese},
      {"report.en.md", ReportFormat::kMarkdown, ReportLanguage::kEnglish},
      {"gantt.zh.svg", ReportFormat::kGanttSvg, ReportLanguage::kChinese},
      {"gantt.en.svg", ReportFormat::kGanttSvg, ReportLanguage::kEnglish},
  };
  for (const Out& o : outs) {
    auto r = RenderReport(*engine, kRequestId, o.format, o.language, now);
    if (!r.ok() || !Write(dir + "/" + o.file, *r)) {
      std::fprintf(stderr, "%s: %s\n", o.file, r.status().ToString().c_str());
      return 1;
    }
  }
  // After the Mid-Autumn holiday (9-25..27): the chart shades it.
  auto late = RenderReport(*engine, kRequestId, ReportFormat::kGanttSvg, ReportLanguage::kChinese,
                           At(9, 28, 11));
  if (!late.ok() || !Write(dir + "/gantt.holiday.zh.svg", *late)) return 1;
  auto table = GetProcessRecord(*engine, kRequestId);
  auto archive = ExportArchive(*engine, kRequestId);
  if (!table.ok() || !archive.ok()) return 1;
  if (!Write(dir + "/process_record.txt",
             internal::ProcessRecordText(*table, engine->calendar())) ||
      !Write(dir + "/archive.bin", *archive)) {
    return 1;
  }
  std::printf("%s\n", dir.c_str());
  return 0;
}
