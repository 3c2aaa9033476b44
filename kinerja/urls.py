from django.contrib.auth import views as auth_views
from django.urls import include, path

from kinerja.api import api
from kinerja.dashboard import pwa
from kinerja.dashboard import views as dashboard_views
from kinerja.dokumen.ttd import views_menunggu as views_ttd_menunggu
from kinerja.organisasi.forms import LoginForm
from kinerja.organisasi.keamanan import views as views_keamanan
from kinerja.organisasi.keamanan import views_dua_langkah, views_oidc

urlpatterns = [
    path(
        "login/",
        views_oidc.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("logout/", views_oidc.KeluarView.as_view(), name="logout"),
    path("login/kode/", views_dua_langkah.masuk_kode, name="login_kode"),
    path("login/asn-digital/", views_oidc.MasukOIDC.as_view(), name="oidc_masuk"),
    path("login/asn-digital/kembali/", views_oidc.KembaliOIDC.as_view(), name="oidc_kembali"),
    path(
        "akun/kata-sandi/",
        auth_views.PasswordChangeView.as_view(success_url="/akun/kata-sandi/selesai/"),
        name="password_change",
    ),
    path(
        "akun/kata-sandi/selesai/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("akun/keamanan/", views_keamanan.keamanan_saya, name="keamanan_akun"),
    path("akun/dua-langkah/", views_dua_langkah.dua_langkah_saya, name="dua_langkah"),
    path("akun/dua-langkah/konfirmasi/", views_dua_langkah.konfirmasi, name="dua_langkah_konfirmasi"),
    path("akun/dua-langkah/kode-baru/", views_dua_langkah.kode_pemulihan_baru, name="dua_langkah_kode_baru"),
    path("akun/dua-langkah/nonaktifkan/", views_dua_langkah.nonaktifkan, name="dua_langkah_nonaktifkan"),
    # Browsers ask for /favicon.ico on pages without a <link rel="icon"> (PDFs, the API's JSON).
    path("favicon.ico", dashboard_views.favicon, name="favicon"),
    path("healthz", dashboard_views.healthz, name="healthz"),
    # The installable web app (docs/rules.md §35); the worker must live at the root to control every page.
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("luring/", pwa.luring, name="luring"),
    path("", include("kinerja.dashboard.urls")),
    path("organisasi/", include("kinerja.organisasi.urls")),
    path("", include("kinerja.perencanaan.urls")),
    path("", include("kinerja.pelaksanaan.urls")),
    path("penilaian/", include("kinerja.penilaian.urls")),
    path("tindak-lanjut/", include("kinerja.tindak_lanjut.urls")),
    path("kehadiran/", include("kinerja.kehadiran.urls")),
    path("pekerjaan/", include("kinerja.pekerjaan.urls")),
    path("panduan/", include("kinerja.dashboard.panduan.urls")),
    # Before kinerja.dokumen.urls: its dokumen/ttd/<token>/ would take "menunggu" as a token.
    path("dokumen/ttd/menunggu/", views_ttd_menunggu.menunggu, name="ttd_menunggu"),
    path("dokumen/ttd/menunggu/kartu/", views_ttd_menunggu.kartu, name="ttd_menunggu_kartu"),
    path("", include("kinerja.dokumen.urls")),
    path("api/v1/", api.urls),
]
