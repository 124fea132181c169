"""The seed example ("Q3新品上市营销方案执行") as Python dicts, shared by tests."""
import datetime as dt

SHANGHAI = dt.timezone(dt.timedelta(hours=8))
REQUEST_ID = "REQ-Q3-LAUNCH"
INITIATOR, OWNER, MARKET_DELEGATE = "p-zhang", "p-li", "p-chen"
SALES_HEAD, SALES_DATA, FINANCE_HEAD, CEO, OUTSIDER = "p-zhao", "p-wu", "p-qian", "p-liu", "p-ma"


def at(month, day, hour=0, minute=0):
    return dt.datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


def date(y, m, d):
    return {"year": y, "month": m, "day": d}


DIRECTORY = {
    "people": [
        {"id": CEO, "name": "刘总"},
        {"id": INITIATOR, "name": "张伟", "department_id": "d-product", "superior_id": CEO},
        {"id": OWNER, "name": "李娜", "department_id": "d-market", "superior_id": CEO},
        {"id": MARKET_DELEGATE, "name": "陈静", "department_id": "d-market", "superior_id": OWNER},
        {"id": "p-sun", "name": "孙涛", "department_id": "d-market", "superior_id": MARKET_DELEGATE},
        {"id": SALES_HEAD, "name": "赵强", "department_id": "d-sales", "superior_id": CEO},
        {"id": SALES_DATA, "name": "吴磊", "department_id": "d-sales", "superior_id": SALES_HEAD},
        {"id": FINANCE_HEAD, "name": "钱芳", "department_id": "d-finance", "superior_id": CEO},
        {"id": OUTSIDER, "name": "马丽", "department_id": "d-finance", "superior_id": FINANCE_HEAD},
    ],
    "departments": [
        {"id": "d-product", "name": "产品部", "head_id": INITIATOR},
        {"id": "d-market", "name": "市场部", "head_id": OWNER, "delegate_ids": [MARKET_DELEGATE]},
        {"id": "d-sales", "name": "销售部", "head_id": SALES_HEAD, "delegate_ids": [SALES_DATA]},
        {"id": "d-finance", "name": "财务部", "head_id": FINANCE_HEAD},
    ],
}

REQUEST = {
    "id": REQUEST_ID,
    "topic": "Q3新品上市营销方案执行",
    "background": "新品研发完成,需市场部配合制定推广计划",
    "goal": "30天内完成营销方案设计并启动推广",
    "resources": [
        {"id": "planners", "kind": "RESOURCE_KIND_PEOPLE", "description": "市场部2名策划专员",
         "quantity": 2, "unit": "人", "provider": {"department_id": "d-market"}},
        {"id": "customer-data", "kind": "RESOURCE_KIND_DATA", "description": "销售部提供区域客户数据",
         "provider": {"department_id": "d-sales"}},
    ],
    "milestones": [
        {"id": "first-draft", "name": "方案初稿", "date": date(2026, 9, 10)},
        {"id": "final", "name": "定稿并启动推广", "date": date(2026, 9, 20)},
    ],
    "final_deadline": date(2026, 9, 20),
    "receivers": [{"id": "market", "department_id": "d-market"},
                  {"id": "sales", "department_id": "d-sales"}],
    "priority": "PRIORITY_HIGH",
    "complexity": "COMPLEXITY_COMPLEX",
    "initiator_id": INITIATOR,
    "owner_id": OWNER,
}

REVISED = dict(REQUEST, milestones=REQUEST["milestones"] + [
    {"id": "customer-data", "name": "区域客户数据提供", "date": date(2026, 9, 4)}])


def accept(receiver, duty):
    return {"receiver_id": receiver, "duties": [duty], "timing_accepted": True,
            "decision": "DECISION_ACCEPT"}


SALES_COUNTER = {
    "receiver_id": "sales",
    "duties": ["销售部负责客户画像分析"],
    "resources": [{"resource_id": "customer-data", "feasibility": "FEASIBILITY_FEASIBLE_AFTER_DAYS",
                   "days_needed": 3, "note": "客户数据需3个工作日整理完成"}],
    "timing_accepted": False,
    "counter_proposals": [{"milestone_id": "final", "proposed_date": date(2026, 9, 20),
                           "condition": "9月20日定稿可行,但需提前2天提供客户数据"}],
    "decision": "DECISION_ACCEPT_WITH_CHANGES",
}

PLAN = {"tasks": [
    {"id": "T1", "name": "客户数据收集与分析", "assignee": {"department_id": "d-sales"},
     "duration_days": 2, "deliverable": "区域客户数据表",
     "serves": [{"resource_id": "customer-data"}, {"milestone_id": "customer-data"}]},
    {"id": "T2", "name": "营销方案初稿撰写", "assignee": {"department_id": "d-market"},
     "duration_days": 4, "deliverable": "营销方案初稿",
     "delivery_standard": ["包含推广渠道", "包含预算分配", "包含执行步骤"],
     "predecessors": [{"predecessor_id": "T1"}],
     "serves": [{"milestone_id": "first-draft"}, {"resource_id": "planners"}]},
    {"id": "T3", "name": "方案定稿并启动推广", "assignee": {"department_id": "d-market"},
     "duration_days": 3, "deliverable": "营销方案定稿",
     "predecessors": [{"predecessor_id": "T2"}],
     "serves": [{"milestone_id": "final"}, {"goal": True}]},
]}


def drive(engine, steps=8):
    """The seed scenario through plan publication (steps as in engine_test.cc)."""
    if steps >= 1:
        engine.create_request(INITIATOR, REQUEST, time=at(8, 31, 9, 30))
    if steps >= 2:
        engine.submit_request(INITIATOR, REQUEST_ID, time=at(8, 31, 10))
    if steps >= 3:
        engine.respond(MARKET_DELEGATE, REQUEST_ID, accept("market", "市场部负责方案策划"),
                       time=at(8, 31, 15))
    if steps >= 4:
        engine.respond(SALES_DATA, REQUEST_ID, SALES_COUNTER, time=at(9, 1, 9, 30))
    if steps >= 5:
        engine.revise_request(INITIATOR, REVISED, "客户数据提前至9月4日", time=at(9, 1, 11))
    if steps >= 6:
        engine.respond(OWNER, REQUEST_ID, accept("market", "方案策划"), time=at(9, 1, 14))
    if steps >= 7:
        engine.respond(SALES_HEAD, REQUEST_ID, accept("sales", "客户画像分析"), time=at(9, 1, 16))
    if steps >= 8:
        engine.publish_plan(OWNER, REQUEST_ID, PLAN, time=at(9, 2, 10))
