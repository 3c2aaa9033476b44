"""Form helpers shared by every stage's pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError


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
