"""Parses the seed reports' SVG with Python's xml.etree (an independent XML
parser): the standalone Gantt charts and the <svg> inside each HTML page.

usage: check_report_xml.py DIR   (DIR written by the seed_report tool)
"""
import pathlib
import sys
import xml.etree.ElementTree as ET

SVG = "{http://www.w3.org/2000/svg}"


def check_svg(text: str, where: str) -> None:
    root = ET.fromstring(text)
    assert root.tag == SVG + "svg", f"{where}: root is {root.tag}"
    bars = [e for e in root.iter(SVG + "rect") if "bar" in (e.get("class") or "")]
    assert len(bars) == 3, f"{where}: {len(bars)} task bars"
    critical = [e for e in bars if "critical" in e.get("class")]
    assert len(critical) == 3, f"{where}: {len(critical)} critical bars"
    texts = "".join(t.text or "" for t in root.iter(SVG + "text"))
    assert "T1" in texts and "T3" in texts, f"{where}: task labels missing"


def main() -> int:
    d = pathlib.Path(sys.argv[1])
    for name in ("gantt.zh.svg", "gantt.en.svg"):
        check_svg((d / name).read_text(encoding="utf-8"), name)
    for name in ("report.zh.html", "report.en.html"):
        html = (d / name).read_text(encoding="utf-8")
        start, end = html.index("<svg"), html.rindex("</svg>") + len("</svg>")
        check_svg(html[start:end], name)
    assert "客户数据收集与分析" in (d / "gantt.zh.svg").read_text(encoding="utf-8")
    print("4 passed, 0 failed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
