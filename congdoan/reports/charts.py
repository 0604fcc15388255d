"""Bar charts of a report as PNG images, drawn with Pillow (for the Word and PDF documents)."""

import io

from PIL import Image, ImageDraw, ImageFont

from .fonts import serif_fonts
from .prose import Chart

WIDTH, HEIGHT = 1500, 780
COLOURS = ((160, 174, 192), (192, 39, 45))  # the previous period in grey, this one in red
INK = (33, 37, 41)


def _font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(serif_fonts()["B" if bold else ""]), size)


def _fit(draw: ImageDraw.ImageDraw, text: str, font: ImageFont.FreeTypeFont, width: int) -> str:
    if draw.textlength(text, font=font) <= width:
        return text
    while text and draw.textlength(text + "…", font=font) > width:
        text = text[:-1]
    return text + "…"


def _number(value: int) -> str:
    return f"{value:,}".replace(",", ".")


def render(chart: Chart) -> bytes:
    """A horizontal bar chart (labels on the left, values at the bar's end); with a legend, two
    bars per label (previous period, this period)."""
    pairs = bool(chart.legend)
    rows = len(chart.bars)
    bar_h = 34 if pairs else 44
    group_h = (2 * bar_h + 22) if pairs else (bar_h + 22)
    top = 40 + (50 if pairs else 0)
    height = max(HEIGHT // 2, top + rows * group_h + 30)
    image = Image.new("RGB", (WIDTH, height), "white")
    draw = ImageDraw.Draw(image)
    label_font, value_font = _font(30), _font(28)
    left = 480
    right = WIDTH - 190
    values = [int(v) for bar in chart.bars for v in bar[1:]]
    top_value = max([*values, 1])
    if pairs:
        x = left
        for colour, name in zip(COLOURS, chart.legend, strict=True):
            draw.rectangle((x, 20, x + 30, 50), fill=colour)
            draw.text((x + 42, 18), name, font=label_font, fill=INK)
            x += 80 + int(draw.textlength(name, font=label_font))
    y = top
    for bar in chart.bars:
        label, *numbers = bar
        draw.text(
            (20, y + (group_h - 22) / 2 - 18),
            _fit(draw, str(label), label_font, left - 40),
            font=label_font,
            fill=INK,
        )
        colours = COLOURS if pairs else COLOURS[1:]
        for i, (value, colour) in enumerate(zip(numbers, colours, strict=True)):
            y0 = y + i * bar_h
            length = int((right - left) * int(value) / top_value)
            draw.rectangle((left, y0, left + max(length, 2), y0 + bar_h - 6), fill=colour)
            draw.text((left + length + 12, y0), _number(int(value)), font=value_font, fill=INK)
        y += group_h
    draw.line((left, top - 10, left, y), fill=INK, width=2)
    out = io.BytesIO()
    image.save(out, "PNG", optimize=False, compress_level=3)
    return out.getvalue()
