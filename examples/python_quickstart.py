"""collabflow from Python in one page: the seed example "Q3新品上市营销方案执行".

The product department files a request to the market and sales departments,
both confirm, the owner publishes a three-task plan, and the schedule and the
notifications come back as Python objects.

    COLLABFLOW_LIBRARY=build/default/capi/libcollabflow.so \\
        PYTHONPATH=bindings/python /usr/bin/python3 examples/python_quickstart.py
"""
from datetime import date, datetime, timedelta, timezone

import collabflow as cf
from collabflow.builders import accept, department, plan, task

CST = timezone(timedelta(hours=8))  # Asia/Shanghai


def at(month, day, hour=9):
    return datetime(2026, month, day, hour, tzinfo=CST)


def main():
    with cf.Engine() as engine:  # cf.Engine("path/to/store") keeps it on disk
        engine.update_directory(cf.Directory(
            people=[cf.Person(id="p-zhang", name="张伟", department_id="d-product"),
                    cf.Person(id="p-li", name="李娜", department_id="d-market"),
                    cf.Person(id="p-zhao", name="赵强", department_id="d-sales")],
            departments=[cf.Department(id="d-product", name="产品部", head_id="p-zhang"),
                         cf.Department(id="d-market", name="市场部", head_id="p-li"),
                         cf.Department(id="d-sales", name="销售部", head_id="p-zhao")]))

        # Step 1: the request (协作需求申请表), answered by both receivers.
        req = engine.create_request("p-zhang", cf.CollaborationRequest(
            id="REQ-Q3-LAUNCH", topic="Q3新品上市营销方案执行",
            goal="30天内完成营销方案设计并启动推广",
            resources=[cf.ResourceNeed(id="customer-data", kind=cf.ResourceKind.DATA,
                                       description="区域客户数据",
                                       provider=department("d-sales"))],
            milestones=[cf.Milestone(id="first-draft", name="方案初稿", date=date(2026, 9, 10)),
                        cf.Milestone(id="final", name="定稿并启动推广", date=date(2026, 9, 20))],
            final_deadline=date(2026, 9, 20),
            receivers=[cf.Receiver(id="market", department_id="d-market"),
                       cf.Receiver(id="sales", department_id="d-sales")],
            initiator_id="p-zhang", owner_id="p-li"), at=at(8, 31))
        req.submit("p-zhang", at=at(8, 31, 10))
        req.respond("p-li", accept("market", "方案策划"), at=at(8, 31, 15))
        req.respond("p-zhao", accept("sales", "提供区域客户数据"), at=at(9, 1))
        print(req.state.name)  # CONFIRMED

        # Step 2: the plan (协作任务拆分清单); the engine schedules it on the
        # mainland-China working calendar.
        req.publish_plan("p-li", plan(
            task("T1", "客户数据收集与分析", department="d-sales", days=2,
                 resources=["customer-data"]),
            task("T2", "营销方案初稿撰写", department="d-market", days=4, after=["T1"],
                 milestones=["first-draft"]),
            task("T3", "方案定稿并启动推广", department="d-market", days=3, after=["T2"],
                 milestones=["final"], goal=True)), at=at(9, 2, 10))

        schedule = req.schedule()
        for row in schedule:
            print(row.task_id, row.name, row.early_start, row.early_finish,
                  "critical" if row.critical else "")
        print("critical path:", " -> ".join(schedule.critical_path))

        # What the host must deliver: the outbox, in order; acknowledge when sent.
        last = None
        for note in engine.notifications():
            print(note.id, note.kind.name, note.recipient_ids, note.subject)
            last = note
        if last is not None:
            engine.acknowledge(last)

        try:  # refusals are typed exceptions and change nothing
            req.cancel("p-zhao", reason="not mine", at=at(9, 3))
        except cf.PermissionDenied as e:
            print("refused:", e.status, e.message)


if __name__ == "__main__":
    main()
