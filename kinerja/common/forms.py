"""Form helpers shared by every stage's pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import JsonResponse


def apply_errors(form: Any, exc: ValidationError, *, tandai: bool = True) -> None:
    """Put a service's ValidationError on the form: at the field when it names one, else on top.

    `tandai` also marks the named field's widget invalid (Bootstrap `is-invalid`, `aria-invalid`); forms
    that mark their own fields (organisasi's BootstrapMixin, the PK indicator form) pass False."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            if field in form.fields:
                form.add_error(field, errors)
                if tandai:
                    attrs = form.fields[field].widget.attrs
                    attrs["class"] = f"{attrs.get('class', '')} is-invalid".strip()
                    attrs["aria-invalid"] = "true"
            else:
                form.add_error(None, errors)
    else:
        form.add_error(None, exc.messages)


def dari_antrean(request: Any) -> bool:
    """Whether a POST is sent by the phone's offline queue (antrean.js, docs/rules.md §35): it reads a JSON
    answer and its status (2xx sent, 4xx refused with a message), never an HTML page or a redirect."""
    return request.headers.get("X-Antrean-Luring") == "1"


def jawaban_antrean(form: Any = None, **data: Any) -> JsonResponse:
    """The offline queue's answer: 200 ``{"ok": true, ...}``, or 422 with the form's messages in one line,
    each prefixed by its field's label (the queue shows "gagal: <pesan>")."""
    if form is None or not form.errors:
        return JsonResponse({"ok": True, **data})
    pesan = []
    for nama, errors in form.errors.items():
        label = form.fields[nama].label if nama in form.fields else ""
        pesan.extend(f"{label}: {e}" if label else str(e) for e in errors)
    return JsonResponse({"ok": False, "pesan": " ".join(pesan)}, status=422)
