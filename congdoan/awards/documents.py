"""The printable decision ("QUYẾT ĐỊNH Về việc tặng ...") and its certificates, as Word
documents in the administrative format (Decree 30/2020/NĐ-CP; VGCL Decision 933/QĐ-TLĐ).
They are official papers, so they are written in Vietnamese whatever the page's language."""

import re

from congdoan.core.admin_docx import AdminDocument

from .models import AwardDecision, AwardRecipient, FormKind

GROUNDS = [
    "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;",
    "Căn cứ Nghị định số 98/2023/NĐ-CP ngày 31 tháng 12 năm 2023 của Chính phủ quy định chi "
    "tiết thi hành một số điều của Luật Thi đua, khen thưởng;",
    "Căn cứ Quyết định số 999/QĐ-TLĐ ngày 29 tháng 5 năm 2024 của Tổng Liên đoàn Lao động Việt "
    "Nam ban hành Quy chế khen thưởng của tổ chức Công đoàn;",
]
CERTIFICATE_TITLE = {
    FormKind.ORDER: "HUÂN CHƯƠNG LAO ĐỘNG",
    FormKind.FLAG: "CỜ THI ĐUA",
    FormKind.MERIT: "BẰNG KHEN",
    FormKind.CREATIVE: "BẰNG LAO ĐỘNG SÁNG TẠO",
    FormKind.MEDAL: "KỶ NIỆM CHƯƠNG",
    FormKind.COMMENDATION: "GIẤY KHEN",
}
_PROVINCE = re.compile(r"(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường)\s+(.+)$", re.I)


def place_of(decision: AwardDecision) -> str:
    """The place written before the date: the decision's own, or the locality in the unit's
    name ("LĐLĐ tỉnh Lạng Sơn" → "Lạng Sơn")."""
    if decision.place:
        return decision.place
    found = _PROVINCE.search(decision.unit.name)
    return found.group(1) if found else ""


def _who(collectives: int, individuals: int) -> str:
    parts = []
    if collectives:
        parts.append(f"{collectives:02d} tập thể")
    if individuals:
        parts.append(f"{individuals:02d} cá nhân")
    return " và ".join(parts)


def _kinds(collectives: int, individuals: int) -> str:
    if collectives and individuals:
        return "các tập thể và cá nhân"
    return "các tập thể" if collectives else "các cá nhân"


def _header(
    decision: AwardDecision, *, landscape: bool = False, number: bool = True
) -> AdminDocument:
    unit = decision.unit
    return AdminDocument(
        superior=unit.parent.name if unit.parent else "",
        issuer=decision.issuer or unit.name,
        number=decision.number if number else "",
        place=place_of(decision),
        day=decision.date,
        kind="QUYẾT ĐỊNH" if not landscape else "",
        title="" if landscape else _title(decision),
        landscape=landscape,
    )


def _counts(recipients: list[AwardRecipient]) -> tuple[int, int]:
    collectives = sum(1 for r in recipients if r.unit_id is not None)
    return collectives, len(recipients) - collectives


def _title(decision: AwardDecision) -> str:
    recipients = list(decision.recipients.all())
    collectives, individuals = _counts(recipients)
    return (
        f"Về việc {decision.form.phrase} cho {_kinds(collectives, individuals)} đã có thành "
        f"tích xuất sắc năm {decision.year}"
    )


def decision_docx(decision: AwardDecision, recipients: list[AwardRecipient]) -> bytes:
    collectives, individuals = _counts(recipients)
    doc = _header(decision)
    authority = decision.signer_position.upper()
    if decision.on_behalf:
        authority = decision.on_behalf.upper().removeprefix("TM. ").strip()
    doc.paragraph(authority, bold=True, align="center", space_before=6)
    grounds = [line.strip() for line in decision.grounds.splitlines() if line.strip()] or GROUNDS
    for line in grounds:
        doc.paragraph(line, italic=True, indent=True)
    doc.paragraph(
        f"Xét đề nghị của Hội đồng Thi đua - Khen thưởng {decision.issuer or decision.unit.name},",
        italic=True,
        indent=True,
    )
    doc.paragraph("QUYẾT ĐỊNH:", bold=True, align="center", space_before=6)
    doc.heading("Điều 1.")
    phrase = decision.form.phrase[:1].upper() + decision.form.phrase[1:]
    doc.paragraph(
        f"{phrase} cho {_who(collectives, individuals)} đã có thành tích xuất sắc trong phong "
        f"trào thi đua năm {decision.year} (có danh sách kèm theo).",
        indent=True,
    )
    if collectives:
        doc.paragraph("I. TẬP THỂ", bold=True, align="left")
        doc.table(
            ["STT", "Tên tập thể", "Trực thuộc"],
            [
                [str(i), r.name, r.description]
                for i, r in enumerate((r for r in recipients if r.unit_id is not None), 1)
            ],
            widths_cm=[1.2, 8.0, 6.8],
        )
    if individuals:
        doc.paragraph(
            "II. CÁ NHÂN" if collectives else "DANH SÁCH CÁ NHÂN", bold=True, align="left"
        )
        doc.table(
            ["STT", "Họ và tên", "Chức vụ, đơn vị công tác"],
            [
                [str(i), r.name, r.description]
                for i, r in enumerate((r for r in recipients if r.member_id is not None), 1)
            ],
            widths_cm=[1.2, 6.0, 8.8],
        )
    doc.heading("Điều 2.")
    doc.paragraph(
        f"Quyết định có hiệu lực kể từ ngày ký. Các tập thể, cá nhân có tên tại Điều 1 được "
        f"{decision.form.phrase.removeprefix('tặng ')} theo quy định.",
        indent=True,
    )
    doc.heading("Điều 3.")
    doc.paragraph(
        "Văn phòng, các ban, đơn vị có liên quan và các tập thể, cá nhân có tên tại Điều 1 "
        "chịu trách nhiệm thi hành Quyết định này./.",
        indent=True,
    )
    doc.closing(
        ["Như Điều 3;", "Lưu: VT, TĐKT."],
        position=decision.signer_position,
        name=decision.signer,
        on_behalf=decision.on_behalf,
    )
    return doc.to_bytes()


def certificates_docx(decision: AwardDecision, recipients: list[AwardRecipient]) -> bytes:
    """One landscape A4 page per recipient."""
    doc: AdminDocument | None = None
    title = CERTIFICATE_TITLE[decision.form.kind]  # type: ignore[index]
    for i, r in enumerate(recipients):
        if doc is None:
            doc = _header(decision, landscape=True, number=False)
        elif i:
            doc.page_break()
        doc.paragraph(decision.signer_position.upper(), bold=True, align="center", space_before=12)
        doc.paragraph("TẶNG", bold=True, align="center")
        doc.paragraph(title, bold=True, align="center", size=28)
        doc.paragraph(r.name, bold=True, align="center", size=20)
        if r.description:
            doc.paragraph(r.description, italic=True, align="center")
        doc.paragraph(
            f"Đã có thành tích xuất sắc trong phong trào thi đua năm {decision.year}.",
            align="center",
        )
        doc.paragraph(
            f"Quyết định số {decision.number}, ngày {decision.date:%d/%m/%Y}",
            italic=True,
            align="left",
            size=12,
        )
        doc.signer(
            position=decision.signer_position, name=decision.signer, on_behalf=decision.on_behalf
        )
    assert doc is not None, "a decision is printed only with recipients"
    return doc.to_bytes()
