"""The Times-compatible fonts the PDF and the charts are drawn with: Liberation Serif 2 (metric
compatible with Times New Roman, Debian package fonts-liberation2), Liberation Serif 1
(fonts-liberation) if it has the Vietnamese letters (version 1.07 does not), else DejaVu Serif
(fonts-dejavu-core). A family counts only if its four faces exist and draw Vietnamese."""

from functools import cache
from pathlib import Path

from django.conf import settings

LIBERATION = ("LiberationSerif-{}.ttf", ("Regular", "Bold", "Italic", "BoldItalic"))
FAMILIES = (
    ("/usr/share/fonts/truetype/liberation2", *LIBERATION),
    (
        "/usr/share/fonts/truetype/liberation",
        "LiberationSerif-{}.ttf",
        ("Regular", "Bold", "Italic", "BoldItalic"),
    ),
    (
        "/usr/share/fonts/truetype/dejavu",
        "DejaVuSerif{}.ttf",
        ("", "-Bold", "-Italic", "-BoldItalic"),
    ),
)
STYLES = ("", "B", "I", "BI")
VIETNAMESE = "ĐđƠơƯưẬậỆệỘộỮữẢảỈỉẾếỔổ"


class FontMissing(RuntimeError):
    pass


def _vietnamese(path: Path) -> bool:
    from fontTools.ttLib import TTFont

    cmap = TTFont(str(path), lazy=True).getBestCmap()
    return all(ord(c) in cmap for c in VIETNAMESE)


@cache
def serif_fonts() -> dict[str, Path]:
    """{"" | "B" | "I" | "BI": path} of the first family whose four faces are all present
    (CONGDOAN_REPORT_FONT_DIR, a directory of LiberationSerif-*.ttf, is looked at first)."""
    families = list(FAMILIES)
    extra = getattr(settings, "CONGDOAN_REPORT_FONT_DIR", "")
    if extra:
        families.insert(0, (extra, *LIBERATION))
    for folder, pattern, faces in families:
        paths = {
            style: Path(folder) / pattern.format(face)
            for style, face in zip(STYLES, faces, strict=True)
        }
        if all(p.is_file() for p in paths.values()) and all(map(_vietnamese, paths.values())):
            return paths
    raise FontMissing(
        "No serif font with Vietnamese letters: install Liberation Serif 2 (Debian package "
        "fonts-liberation2) or DejaVu Serif (fonts-dejavu-core)."
    )
