from congdoan.conftest import Tree
from congdoan.core.audit import audit_record, audit_trail


def test_audit_trail_of_several_records_newest_first(tree: Tree) -> None:
    audit_record(actor=None, action="unit.update", target=tree.X1, unit_id=tree.X1.pk,
                 changes={"name": ["A", "B"]}, summary="đổi tên")  # fmt: skip
    audit_record(actor=None, action="unit.dissolve", target=tree.X2, unit_id=tree.X2.pk)
    audit_record(actor=None, action="unit.update", target=tree.Y1, unit_id=tree.Y1.pk)
    rows = audit_trail([tree.X1, tree.X2])
    assert [(r["event"].target_id, r["action"]) for r in rows] == [
        (str(tree.X2.pk), "Dissolved"),
        (str(tree.X1.pk), "Details changed"),
        (str(tree.X2.pk), "Unit founded"),
        (str(tree.X1.pk), "Unit founded"),
    ]
    assert rows[1]["changes"] == [("Name", "A", "B")]
    summarised = audit_trail([tree.X1], with_summary=True, limit=1)
    assert [r["action"] for r in summarised] == ["Details changed: đổi tên"]
    assert audit_trail([]) == []
