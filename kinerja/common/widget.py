"""Form widgets that write their HTML in Python instead of through the form renderer's templates.

Django renders every widget through two small templates (`input.html` including `attrs.html`); on a page
with a form per row (the realisasi page: three widgets per indikator) that template machinery costs more
than the rest of the form. These widgets produce exactly the markup of Django's own templates
(tests/test_widget.py compares them), so a page looks the same whichever it uses.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, SafeString, mark_safe


def _teks(value: Any) -> str:
    """`{{ value|stringformat:'s' }}` under autoescape: safe strings stay as they are."""
    return str(conditional_escape(value if isinstance(value, SafeData) else str(value)))


def _atribut(attrs: dict[str, Any]) -> str:
    """Django's widgets/attrs.html: ` name="value"`, a bare ` name` for True, nothing for False."""
    hasil = []
    for name, value in attrs.items():
        if value is False:
            continue
        hasil.append(
            f" {conditional_escape(name)}"
            if value is True
            else f' {conditional_escape(name)}="{_teks(value)}"'
        )
    return "".join(hasil)


class _InputCepat:
    """For `forms.Input` subclasses: widgets/input.html."""

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> SafeString:
        w = context["widget"]
        value = "" if w["value"] is None else f' value="{_teks(w["value"])}"'
        return mark_safe(  # noqa: S308 — every value above is escaped, as the template would
            f'<input type="{conditional_escape(w["type"])}" name="{conditional_escape(w["name"])}"'
            f"{value}{_atribut(w['attrs'])}>"
        )


class TextInput(_InputCepat, forms.TextInput):
    pass


class HiddenInput(_InputCepat, forms.HiddenInput):
    pass


class Textarea(forms.Textarea):
    """widgets/textarea.html."""

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> SafeString:
        w = context["widget"]
        isi = conditional_escape(w["value"]) if w["value"] else ""
        return mark_safe(  # noqa: S308 — every value above is escaped, as the template would
            f'<textarea name="{conditional_escape(w["name"])}"{_atribut(w["attrs"])}>\n{isi}</textarea>'
        )


class CheckboxInput(_InputCepat, forms.CheckboxInput):
    """widgets/checkbox.html (input.html); `checked` comes from Django's own get_context."""


def _opsi(o: dict[str, Any]) -> str:
    """widgets/select_option.html with its file's closing newline."""
    label = conditional_escape(o["label"])
    return f'<option value="{_teks(o["value"])}"{_atribut(o["attrs"])}>{label}</option>\n'


class Select(forms.Select):
    """widgets/select.html, each option as select_option.html (included, so followed by its newline)."""

    def _render(self, template_name: str, context: dict[str, Any], renderer: Any = None) -> SafeString:
        w = context["widget"]
        bagian = [f'<select name="{conditional_escape(w["name"])}"{_atribut(w["attrs"])}>']
        for group_name, group_choices, _index in w["optgroups"]:
            if group_name:
                bagian.append(f'\n  <optgroup label="{conditional_escape(group_name)}">')
            for option in group_choices:
                bagian.append("\n  " + _opsi(option))
            if group_name:
                bagian.append("\n  </optgroup>")
        bagian.append("\n</select>")
        return mark_safe("".join(bagian))  # noqa: S308 — every value above is escaped, as the template would
