"""The national catalogue of award forms and their default eligibility rules (Law on Emulation
and Commendation 2022, Decree 98/2023/NĐ-CP, Decision 999/QĐ-TLĐ of 29/5/2024), loaded by a data
migration. A federation edits the rules and adds its own forms on the catalogue page."""

from typing import Any

# code, name, kind, authority, rank, recipients, phrase in the decision's title
FORMS: list[tuple[str, str, str, str, int, str, str]] = [
    (
        "huan-chuong-lao-dong",
        "Huân chương Lao động",
        "order",
        "state",
        100,
        "both",
        "tặng Huân chương Lao động",
    ),
    (
        "bk-thu-tuong",
        "Bằng khen của Thủ tướng Chính phủ",
        "merit",
        "prime_minister",
        90,
        "both",
        "tặng Bằng khen của Thủ tướng Chính phủ",
    ),
    (
        "co-tld",
        "Cờ thi đua của Tổng Liên đoàn Lao động Việt Nam",
        "flag",
        "tld",
        85,
        "collective",
        "tặng Cờ thi đua của Tổng Liên đoàn Lao động Việt Nam",
    ),
    (
        "bk-tld",
        "Bằng khen của Tổng Liên đoàn Lao động Việt Nam",
        "merit",
        "tld",
        80,
        "both",
        "tặng Bằng khen của Tổng Liên đoàn Lao động Việt Nam",
    ),
    (
        "bang-ldst",
        "Bằng Lao động sáng tạo",
        "creative",
        "tld",
        78,
        "both",
        "tặng Bằng Lao động sáng tạo",
    ),
    (
        "knc-cong-doan",
        "Kỷ niệm chương “Vì sự nghiệp xây dựng tổ chức Công đoàn”",
        "medal",
        "tld",
        70,
        "individual",
        "tặng Kỷ niệm chương “Vì sự nghiệp xây dựng tổ chức Công đoàn”",
    ),
    (
        "bk-ubnd-tinh",
        "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
        "merit",
        "province_pc",
        60,
        "both",
        "tặng Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh",
    ),
    (
        "co-ldld-tinh",
        "Cờ thi đua của Liên đoàn Lao động tỉnh",
        "flag",
        "province_union",
        55,
        "collective",
        "tặng Cờ thi đua",
    ),
    (
        "bk-ldld-tinh",
        "Bằng khen của Chủ tịch Liên đoàn Lao động tỉnh",
        "merit",
        "province_union",
        50,
        "both",
        "tặng Bằng khen",
    ),
    (
        "gk-cong-doan-cap-tren",
        "Giấy khen của Chủ tịch công đoàn cấp trên trực tiếp cơ sở",
        "commendation",
        "upper_union",
        30,
        "both",
        "tặng Giấy khen",
    ),
    (
        "gk-cdcs",
        "Giấy khen của Ban Chấp hành công đoàn cơ sở",
        "commendation",
        "grassroots",
        10,
        "both",
        "tặng Giấy khen",
    ),
]

# form code, rule kind, applies to, grade, number, lower form code
RULES: list[tuple[str, str, str, str, int | None, str]] = [
    ("huan-chuong-lao-dong", "no_discipline", "individual", "", None, ""),
    ("huan-chuong-lao-dong", "lower_form", "both", "", 5, "bk-thu-tuong"),
    ("bk-thu-tuong", "no_discipline", "individual", "", None, ""),
    ("bk-thu-tuong", "lower_form", "both", "", 5, "bk-tld"),
    ("co-tld", "grade", "collective", "HTXSNV", None, ""),
    ("co-tld", "years_since_same", "collective", "", 1, ""),
    ("bk-tld", "grade", "both", "HTXSNV", None, ""),
    ("bk-tld", "no_discipline", "individual", "", None, ""),
    ("bk-tld", "years_since_same", "both", "", 2, ""),
    ("bang-ldst", "no_discipline", "individual", "", None, ""),
    ("knc-cong-doan", "no_discipline", "individual", "", None, ""),
    ("knc-cong-doan", "service_months", "individual", "", 120, ""),
    ("bk-ubnd-tinh", "grade", "both", "HTXSNV", None, ""),
    ("bk-ubnd-tinh", "no_discipline", "individual", "", None, ""),
    ("co-ldld-tinh", "grade", "collective", "HTXSNV", None, ""),
    ("co-ldld-tinh", "years_since_same", "collective", "", 1, ""),
    ("bk-ldld-tinh", "grade", "both", "HTXSNV", None, ""),
    ("bk-ldld-tinh", "no_discipline", "individual", "", None, ""),
    ("bk-ldld-tinh", "lower_form", "individual", "", 2, "gk-cong-doan-cap-tren"),
    ("gk-cong-doan-cap-tren", "grade", "collective", "HTTNV", None, ""),
    ("gk-cong-doan-cap-tren", "no_discipline", "individual", "", None, ""),
    ("gk-cong-doan-cap-tren", "service_months", "individual", "", 10, ""),
    ("gk-cdcs", "no_discipline", "individual", "", None, ""),
    ("gk-cdcs", "service_months", "individual", "", 10, ""),
]


def load(apps: Any, schema_editor: Any) -> None:
    AwardForm = apps.get_model("awards", "AwardForm")
    EligibilityRule = apps.get_model("awards", "EligibilityRule")
    forms = {}
    for code, name, kind, authority, rank, recipients, phrase in FORMS:
        forms[code], _created = AwardForm.objects.get_or_create(
            code=code,
            defaults=dict(
                name=name,
                kind=kind,
                authority=authority,
                rank=rank,
                recipients=recipients,
                phrase=phrase,
            ),
        )
    for code, kind, applies_to, grade, number, lower in RULES:
        EligibilityRule.objects.get_or_create(
            form=forms[code],
            kind=kind,
            applies_to=applies_to,
            grade=grade,
            number=number,
            lower_form=forms[lower] if lower else None,
        )


def unload(apps: Any, schema_editor: Any) -> None:
    AwardForm = apps.get_model("awards", "AwardForm")
    codes = [f[0] for f in FORMS]
    apps.get_model("awards", "EligibilityRule").objects.filter(form__code__in=codes).delete()
    AwardForm.objects.filter(code__in=codes, unit__isnull=True).delete()
