"""Irreversible SKP steps (submit, approve, open a change) are confirmed before they happen, with the app's
one mechanism: a required "Saya memahami ..." box in the step's form, as on group finalisation.

Cast (tests/builders.py `atasan_dan_bawahan`): the bawahan owns an approved SKP rated by the atasan."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from kinerja.organisasi.models import User
from kinerja.perencanaan import services
from kinerja.perencanaan.models import Skp
from tests import builders as b

pytestmark = pytest.mark.django_db


def _html(user: User, url: str) -> str:
    c = Client()
    c.force_login(user)
    resp = c.get(url)
    assert resp.status_code == 200
    return resp.content.decode()


def _form(html: str, skp: Skp, aksi: str) -> str:
    action = reverse("skp:aksi", args=[skp.pk, aksi])
    forms = re.findall(rf'<form[^>]*action="{re.escape(action)}"[^>]*>(.*?)</form>', html, re.S)
    assert forms, f"no form for {aksi}"
    return forms[0]


def _dikonfirmasi(form: str, teks: str) -> bool:
    box = re.search(
        r'<input class="form-check-input" type="checkbox" id="([^"]+)" name="konfirmasi" required>', form
    )
    return bool(box) and f'for="{box.group(1)}">{teks}' in form


def test_submit_approve_and_change_each_need_a_ticked_confirmation():
    tim = b.atasan_dan_bawahan()
    b.skp_disetujui(tim.kepala)
    b.skp_disetujui(tim.atasan)
    b.skp_disetujui(tim.bawahan)
    pelaksana, kabid = tim.bawahan.user, tim.atasan.user
    skp = Skp.objects.get(pegawai=tim.bawahan, status="disetujui")
    perubahan = "Saya memahami bahwa perubahan membuka revisi baru"
    assert _dikonfirmasi(
        _form(_html(pelaksana, reverse("skp:detail", args=[skp.pk])), skp, "ajukan_perubahan"), perubahan
    )
    assert _dikonfirmasi(_form(_html(pelaksana, reverse("skp:saya")), skp, "ajukan_perubahan"), perubahan)

    draft = services.submit_perubahan_skp(skp, pelaksana)
    ajukan = "Saya memahami bahwa SKP yang diajukan tidak dapat diubah"
    assert _dikonfirmasi(
        _form(_html(pelaksana, reverse("skp:detail", args=[draft.pk])), draft, "ajukan"), ajukan
    )
    assert _dikonfirmasi(_form(_html(pelaksana, reverse("skp:saya")), draft, "ajukan"), ajukan)

    diajukan = services.submit_skp(draft, pelaksana)
    html = _html(kabid, reverse("skp:detail", args=[diajukan.pk]))
    assert _dikonfirmasi(_form(html, diajukan, "setujui"), "Saya memahami bahwa SKP yang disetujui")
    # Withdrawing is undone by submitting again, and returning asks for a note: no confirmation box.
    assert 'name="konfirmasi"' not in _form(html, diajukan, "kembalikan")
    assert 'name="konfirmasi"' not in _form(
        _html(pelaksana, reverse("skp:detail", args=[diajukan.pk])), diajukan, "tarik"
    )
