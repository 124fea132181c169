"""The seed example's collaboration request, through every layer.

Python reads the request (协作需求申请表) for "Q3新品上市营销方案执行" from its
proto3 JSON form, the C ABI validates it with the engine's own checks and
returns protobuf bytes, and the same bytes are read back through the C ABI
and printed.
"""
import collabflow

REQUEST = collabflow.CollaborationRequest.from_json({
    "id": "REQ-Q3-LAUNCH",
    "version": 1,
    "topic": "Q3新品上市营销方案执行",
    "background": "新品研发完成,需市场部配合制定推广计划",
    "goal": "30天内完成营销方案设计并启动推广",
    "resources": [
        {"id": "planners", "kind": "RESOURCE_KIND_PEOPLE", "description": "市场部策划专员",
         "quantity": 2, "unit": "人", "provider": {"department_id": "d-market"}},
        {"id": "customer-data", "kind": "RESOURCE_KIND_DATA", "description": "区域客户数据",
         "provider": {"department_id": "d-sales"}},
    ],
    "milestones": [
        {"id": "first-draft", "name": "方案初稿", "date": {"year": 2026, "month": 9, "day": 10}},
        {"id": "final", "name": "定稿并启动推广", "date": {"year": 2026, "month": 9, "day": 20}},
    ],
    "final_deadline": {"year": 2026, "month": 9, "day": 20},
    "receivers": [
        {"id": "market", "department_id": "d-market"},
        {"id": "sales", "department_id": "d-sales"},
    ],
    "priority": "PRIORITY_HIGH",
    "complexity": "COMPLEXITY_COMPLEX",
    "initiator_id": "p-zhang",
    "owner_id": "p-li",
})


def main():
    pb = collabflow.request_to_protobuf(REQUEST)
    r = collabflow.request_from_protobuf(pb)
    print("collabflow %s (library: %s)" % (collabflow.version(), collabflow.library_path()))
    print("协作需求申请表 — read back through the C ABI (%d protobuf bytes)" % len(pb))
    print("  协作主题  topic       %s" % r.topic)
    print("  协作背景  background  %s" % r.background)
    print("  协作目标  goal        %s" % r.goal)
    for res in r.resources:
        who = res.provider.id if res.provider is not None else "?"
        qty = "%s%s " % (res.quantity, res.unit) if res.quantity else ""
        print("  所需资源  resource    %s%s  (provider %s)" % (qty, res.description, who))
    for m in r.milestones:
        print("  时间节点  milestone   %s  %s" % (m.date, m.name))
    print("  截止时间  deadline    %s" % r.final_deadline)
    print("  接收方    receivers   %s" % ", ".join(x.department_id for x in r.receivers))
    print("  发起人/负责人          %s / %s" % (r.initiator_id, r.owner_id))


if __name__ == "__main__":
    main()
