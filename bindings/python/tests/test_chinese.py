"""Chinese text round trips through every layer: ids, names, free text,
notification subjects, error messages."""
import datetime as dt

import pytest

import collabflow as cf
from collabflow.builders import accept, person, plan, task
from seed import at

TEXT = "需求方案:包含推广渠道、预算分配、执行步骤 — «引号» 🚀 ＡＢＣ 㐀𠀀"


def chinese_engine():
    e = cf.Engine()
    e.update_directory(cf.Directory(
        people=[cf.Person(id="张伟", name="张伟"), cf.Person(id="李娜", name="李娜"),
                cf.Person(id="赵强", name="赵强")],
        departments=[cf.Department(id="市场部", name="市场部", head_id="李娜"),
                     cf.Department(id="销售部", name="销售部", head_id="赵强")]),
        at=at(8, 28))
    return e


def test_chinese_ids_and_text_round_trip_through_the_engine():
    with chinese_engine() as e:
        req = e.create_request("张伟", cf.CollaborationRequest(
            id="需求-2026-一号", topic=TEXT, background="背景:" + TEXT, goal="目标",
            milestones=[cf.Milestone(id="初稿", name="方案初稿", date=dt.date(2026, 9, 10))],
            final_deadline=dt.date(2026, 9, 20),
            receivers=[cf.Receiver(id="市场", department_id="市场部"),
                       cf.Receiver(id="销售", department_id="销售部")],
            initiator_id="张伟", owner_id="李娜"), at=at(8, 31, 9))
        req.submit("张伟", at=at(8, 31, 10))
        req.respond("李娜", accept("市场", "负责方案策划" + TEXT), at=at(8, 31, 11))
        req.respond("赵强", accept("销售", "提供客户数据"), at=at(8, 31, 12))
        req.publish_plan("李娜", plan(
            task("任务一", "客户数据收集", department="销售部", days=2, goal=True),
            task("任务二", "方案撰写" + TEXT, person="李娜", days=3, after=["任务一"],
                 milestones=["初稿"])), at=at(9, 1, 10))
        record = e.request("需求-2026-一号").record()
        assert record.request.topic == TEXT
        assert record.responses[0].duties == ["负责方案策划" + TEXT]
        assert record.plan.tasks[1].name == "方案撰写" + TEXT
        assert record.plan.tasks[1].assignee == person("李娜")
        rows = req.schedule().to_dicts()
        assert [r["task_id"] for r in rows] == ["任务一", "任务二"]
        assert rows[0]["assignee"] == "销售部"
        subjects = [n.subject for n in e.notifications()]
        assert any(TEXT in s for s in subjects)
        assert all(n.request_id == "需求-2026-一号" for n in e.notifications())
        # The dict path carries the same text, unescaped.
        result = e.execute_json({"actor_id": "李娜", "request_id": "需求-2026-一号",
                                 "time": "2026-09-01T03:00:00Z",
                                 "record_channel": {"link": {"channel": "CHANNEL_GROUP_CHAT",
                                                             "uri": "微信群:" + TEXT}}})
        assert result["event_kinds"] == ["channel_recorded"]
        assert req.record().channels[-1].uri == "微信群:" + TEXT


def test_chinese_text_in_error_messages_survives():
    with chinese_engine() as e:
        with pytest.raises(cf.PermissionDenied) as info:
            e.create_request("王五", cf.CollaborationRequest(id="需求-二"), at=at(9, 1))
        assert "王五" in info.value.message
        with pytest.raises(cf.NotFound) as info:
            e.request("不存在的需求").view()
        assert "不存在的需求" in info.value.message


def test_protobuf_round_trip_keeps_chinese_and_emoji():
    r = cf.CollaborationRequest(id="需求-三", version=1, topic=TEXT, goal="目标" + TEXT,
                                initiator_id="张伟", priority=cf.Priority.NORMAL,
                                complexity=cf.Complexity.SIMPLE,
                                final_deadline=dt.date(2026, 9, 20),
                                receivers=[cf.Receiver(id="市场", department_id="市场部")])
    back = cf.request_from_protobuf(cf.request_to_protobuf(r))
    assert back == r


def test_invalid_utf8_is_refused_not_garbled():
    with cf.Engine() as e:
        bad = b'{"actor_id": "\xe5\xbc", "submit_request": {}}'
        out = cf._ffi.c_void_p()
        n = cf._ffi.c_size_t()
        status = cf._ffi.lib.cflow_engine_execute(cf._ffi.ctypes.byref(out),
                                                  cf._ffi.ctypes.byref(n), e._handle(), 1, bad,
                                                  len(bad))
        with pytest.raises(cf.InvalidArgument):
            cf._ffi.check(status)
