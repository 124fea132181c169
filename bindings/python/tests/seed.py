"""The seed example ("Q3新品上市营销方案执行") built with the typed API, shared
by the tests. Times are Asia/Shanghai (UTC+8)."""
import dataclasses
import datetime as dt

import collabflow as cf
from collabflow.builders import accept, department, plan, task

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
REQUEST_ID = "REQ-Q3-LAUNCH"
INITIATOR, OWNER, MARKET_DELEGATE = "p-zhang", "p-li", "p-chen"
SALES_HEAD, SALES_DATA, FINANCE_HEAD, CEO, OUTSIDER = "p-zhao", "p-wu", "p-qian", "p-liu", "p-ma"


def at(month, day, hour=0, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def P(pid, name, dept="", sup=""):
    return cf.Person(id=pid, name=name, department_id=dept, superior_id=sup)


DIRECTORY = cf.Directory(
    people=[
        P(CEO, "刘总"),
        P(INITIATOR, "张伟", "d-product", CEO),
        P(OWNER, "李娜", "d-market", CEO),
        P(MARKET_DELEGATE, "陈静", "d-market", OWNER),
        P("p-sun", "孙涛", "d-market", MARKET_DELEGATE),
        P(SALES_HEAD, "赵强", "d-sales", CEO),
        P(SALES_DATA, "吴磊", "d-sales", SALES_HEAD),
        P(FINANCE_HEAD, "钱芳", "d-finance", CEO),
        P(OUTSIDER, "马丽", "d-finance", FINANCE_HEAD),
    ],
    departments=[
        cf.Department(id="d-product", name="产品部", head_id=INITIATOR),
        cf.Department(id="d-market", name="市场部", head_id=OWNER, delegate_ids=[MARKET_DELEGATE]),
        cf.Department(id="d-sales", name="销售部", head_id=SALES_HEAD, delegate_ids=[SALES_DATA]),
        cf.Department(id="d-finance", name="财务部", head_id=FINANCE_HEAD),
    ])

REQUEST = cf.CollaborationRequest(
    id=REQUEST_ID,
    topic="Q3新品上市营销方案执行",
    background="新品研发完成,需市场部配合制定推广计划",
    goal="30天内完成营销方案设计并启动推广",
    resources=[
        cf.ResourceNeed(id="planners", kind=cf.ResourceKind.PEOPLE, description="市场部2名策划专员",
                        quantity=2, unit="人", provider=department("d-market")),
        cf.ResourceNeed(id="customer-data", kind=cf.ResourceKind.DATA,
                        description="销售部提供区域客户数据", provider=department("d-sales")),
    ],
    milestones=[
        cf.Milestone(id="first-draft", name="方案初稿", date=dt.date(2026, 9, 10)),
        cf.Milestone(id="final", name="定稿并启动推广", date=dt.date(2026, 9, 20)),
    ],
    final_deadline=dt.date(2026, 9, 20),
    receivers=[cf.Receiver(id="market", department_id="d-market"),
               cf.Receiver(id="sales", department_id="d-sales")],
    priority=cf.Priority.HIGH,
    complexity=cf.Complexity.COMPLEX,
    initiator_id=INITIATOR,
    owner_id=OWNER,
)

REVISED = dataclasses.replace(REQUEST, milestones=REQUEST.milestones + [
    cf.Milestone(id="customer-data", name="区域客户数据提供", date=dt.date(2026, 9, 4))])

SALES_COUNTER = cf.ReceiverResponse(
    receiver_id="sales",
    duties=["销售部负责客户画像分析"],
    resources=[cf.ResourceFeasibility(resource_id="customer-data",
                                      feasibility=cf.Feasibility.FEASIBLE_AFTER_DAYS,
                                      days_needed=3, note="客户数据需3个工作日整理完成")],
    timing_accepted=False,
    counter_proposals=[cf.MilestoneCounter(milestone_id="final", proposed_date=dt.date(2026, 9, 20),
                                           condition="9月20日定稿可行,但需提前2天提供客户数据")],
    decision=cf.Decision.ACCEPT_WITH_CHANGES,
)

PLAN = plan(
    task("T1", "客户数据收集与分析", department="d-sales", days=2, deliverable="区域客户数据表",
         resources=["customer-data"], milestones=["customer-data"]),
    task("T2", "营销方案初稿撰写", department="d-market", days=4, after=["T1"],
         deliverable="营销方案初稿", standard=["包含推广渠道", "包含预算分配", "包含执行步骤"],
         milestones=["first-draft"], resources=["planners"]),
    task("T3", "方案定稿并启动推广", department="d-market", days=3, after=["T2"],
         deliverable="营销方案定稿", milestones=["final"], goal=True),
)


def drive(engine, steps=8):
    """The seed scenario through plan publication (steps as in engine_test.cc);
    returns the request's handle."""
    if steps >= 1:
        req = engine.create_request(INITIATOR, REQUEST, at=at(8, 31, 9, 30))
    else:
        return engine.request(REQUEST_ID)
    if steps >= 2:
        req.submit(INITIATOR, at=at(8, 31, 10))
    if steps >= 3:
        req.respond(MARKET_DELEGATE, accept("market", "市场部负责方案策划"), at=at(8, 31, 15))
    if steps >= 4:
        req.respond(SALES_DATA, SALES_COUNTER, at=at(9, 1, 9, 30))
    if steps >= 5:
        req.revise(INITIATOR, REVISED, change_note="客户数据提前至9月4日", at=at(9, 1, 11))
    if steps >= 6:
        req.respond(OWNER, accept("market", "方案策划"), at=at(9, 1, 14))
    if steps >= 7:
        req.respond(SALES_HEAD, accept("sales", "客户画像分析"), at=at(9, 1, 16))
    if steps >= 8:
        req.publish_plan(OWNER, PLAN, at=at(9, 2, 10))
    return req
