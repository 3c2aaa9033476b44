"""`{% navigasi %}`: the signed-in part of the navigation bar (`_navigasi.html`), cached per user, page
section (the view's ``nav``) and day, so a page pays one cache read for it instead of rendering its menus and
their forty links. What it shows (roles, badge counts, the user's name) lives in the scopes of
`kinerja.dashboard.context_processors.navigasi_html`, so the writes that change it drop it."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from kinerja.dashboard.context_processors import navigasi_html

register = template.Library()

#: Rendered in place of the request's CSRF token (the logout form), which differs per request.
TOKEN = "kinerja-token-csrf-navigasi"
_MASUKAN = f'<input type="hidden" name="csrfmiddlewaretoken" value="{TOKEN}">'


@register.simple_tag(takes_context=True)
def navigasi(context: Any) -> SafeString | str:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""

    def render() -> str:
        fragmen = context.template.engine.get_template("_navigasi.html")
        with context.push(csrf_token=TOKEN):
            return str(fragmen.render(context))

    html = navigasi_html(user, str(context.get("nav") or ""), render)
    token = context.get("csrf_token")
    if not token or token == "NOTPROVIDED":  # as {% csrf_token %} renders without a token: nothing
        return mark_safe(html.replace(_MASUKAN, ""))  # noqa: S308 - rendered (escaped) by the template
    return mark_safe(html.replace(TOKEN, str(conditional_escape(str(token)))))  # noqa: S308 - as above
