"""Files handed to the browser to save: one place for their types and names."""

from django.http import HttpResponse

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "json": "application/json; charset=utf-8",
}


def download(content: bytes, filename: str) -> HttpResponse:
    """`content` as an attachment named `filename` (its extension gives the type)."""
    response = HttpResponse(content, content_type=CONTENT_TYPES[filename.rsplit(".", 1)[-1]])
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
