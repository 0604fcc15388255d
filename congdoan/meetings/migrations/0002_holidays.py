"""Vietnam's public holidays for 2020-2027, as concrete dates (working sessions skip them).

Source: Labour Code 2019 (Bộ luật Lao động số 45/2019/QH14), article 112: New Year's Day 1/1;
Lunar New Year (Tết Âm lịch) 5 days; Victory Day 30/4; International Labour Day 1/5; National
Day 2/9 and one day before or after it; Hùng Kings' Commemoration Day 10/3 of the lunar
calendar; a holiday falling on the weekly day off is made up on the next working day (clause 3).
For 2020 the Labour Code 2012 (article 115) applied: National Day 2/9 only.
Tết and the day beside 2/9 are those announced each year by the Prime Minister's notices
(Ministry of Labour, Invalids and Social Affairs / Ministry of Home Affairs); for 2026-2027 the
day beside 2/9 and Tết 2027 follow the usual pattern until announced, and can be corrected in the
back office (Holiday rows).
"""

import datetime

from django.db import migrations

D = datetime.date
ONE = datetime.timedelta(days=1)

# Tết Nguyên đán: the days off as announced (weekends inside included).
TET = {
    2020: (D(2020, 1, 23), D(2020, 1, 29)),
    2021: (D(2021, 2, 10), D(2021, 2, 16)),
    2022: (D(2022, 1, 29), D(2022, 2, 6)),
    2023: (D(2023, 1, 20), D(2023, 1, 26)),
    2024: (D(2024, 2, 8), D(2024, 2, 14)),
    2025: (D(2025, 1, 25), D(2025, 2, 2)),
    2026: (D(2026, 2, 14), D(2026, 2, 22)),
    2027: (D(2027, 2, 5), D(2027, 2, 11)),
}
# Giỗ Tổ Hùng Vương, 10/3 of the lunar calendar.
HUNG_KINGS = {
    2020: D(2020, 4, 2),
    2021: D(2021, 4, 21),
    2022: D(2022, 4, 10),
    2023: D(2023, 4, 29),
    2024: D(2024, 4, 18),
    2025: D(2025, 4, 7),
    2026: D(2026, 4, 26),
    2027: D(2027, 4, 16),
}
# The day before or after 2/9 (from 2021).
BESIDE_NATIONAL_DAY = {
    2021: D(2021, 9, 3),
    2022: D(2022, 9, 1),
    2023: D(2023, 9, 1),
    2024: D(2024, 9, 3),
    2025: D(2025, 9, 1),
    2026: D(2026, 9, 1),
    2027: D(2027, 9, 3),
}


def holidays() -> dict[datetime.date, str]:
    out: dict[datetime.date, str] = {}
    for year in range(2020, 2028):
        first, last = TET[year]
        day = first
        while day <= last:
            out[day] = "Tết Nguyên đán"
            day += ONE
        fixed = {
            D(year, 1, 1): "Tết Dương lịch",
            HUNG_KINGS[year]: "Giỗ Tổ Hùng Vương",
            D(year, 4, 30): "Ngày Chiến thắng",
            D(year, 5, 1): "Ngày Quốc tế Lao động",
            D(year, 9, 2): "Quốc khánh",
        }
        if year in BESIDE_NATIONAL_DAY:
            fixed[BESIDE_NATIONAL_DAY[year]] = "Quốc khánh"
        out.update(fixed)
        # A fixed holiday on a Saturday or Sunday is made up on the next working day.
        for day in sorted(fixed):
            if day.weekday() >= 5:
                makeup = day + ONE
                while makeup.weekday() >= 5 or makeup in out:
                    makeup += ONE
                out[makeup] = f"Nghỉ bù {fixed[day]}"
    return out


def seed(apps, schema_editor):  # type: ignore[no-untyped-def]
    Holiday = apps.get_model("meetings", "Holiday")
    Holiday.objects.bulk_create(
        [Holiday(date=day, name=name) for day, name in sorted(holidays().items())],
        ignore_conflicts=True,
    )


def unseed(apps, schema_editor):  # type: ignore[no-untyped-def]
    apps.get_model("meetings", "Holiday").objects.filter(date__in=list(holidays())).delete()


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
