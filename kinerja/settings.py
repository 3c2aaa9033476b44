"""Settings for Kinerja.

Development defaults (SQLite in ./db.sqlite3, DEBUG on) unless the environment says otherwise.
Production: `DJANGO_SETTINGS_MODULE=kinerja.settings_production` with SECRET_KEY, ALLOWED_HOSTS and
DATABASE_URL set.
"""

import datetime
import os
import warnings
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-do-not-use-in-production")
DEBUG = env_bool("DEBUG", True)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1],testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",
    "template_partials",
    "rules",
    "simple_history",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    # Before django_tasks_db: its `db_worker` command (the worker's heartbeat and cleanup) replaces theirs.
    "kinerja.pekerjaan",
    "django_tasks",
    "django_tasks_db",
    "kinerja.notifikasi",
    "kinerja.organisasi",
    "kinerja.perencanaan",
    "kinerja.pelaksanaan",
    "kinerja.penilaian",
    "kinerja.tindak_lanjut",
    "kinerja.kehadiran",
    "kinerja.dokumen",
    "kinerja.demo",
    "kinerja.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # request.user.is_verified(): the session passed the second step (docs/rules.md §30)
    "django_otp.middleware.OTPMiddleware",
    # a user the instansi's policy obliges to use two-step sign-in gets nothing else until verified (§30)
    "kinerja.organisasi.keamanan.dua_langkah.WajibDuaLangkahMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # the API's 405 in Indonesian, as JSON (kinerja/api/errors.py)
    "kinerja.api.errors.MetodeTidakDidukung",
    # Last, as django-axes asks: turns a refused login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "kinerja.urls"
WSGI_APPLICATION = "kinerja.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "kinerja" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # `{{ value|tanggal }}` everywhere: dates as "31 Januari 2026" (docs/rules.md §22).
            "builtins": ["kinerja.organisasi.templatetags.tanggal"],
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "kinerja.dashboard.context_processors.peran",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers and one writer work at once; the busy timeout waits instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# --- More than one machine (docs/architecture.md "More than one machine"); nothing changes when unset -------
# pgbouncer in transaction pooling (PGBOUNCER=1): a connection belongs to us only inside a transaction, so no
# server-side cursors (they live across transactions) and no session state; CONN_MAX_AGE keeps the client
# connection to pgbouncer (cheap), pgbouncer keeps the few server connections.
if env_bool("PGBOUNCER", False):
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
# DATABASE_REPLICA_URL: a streaming replica for reads that tolerate a second of lag (boards, rekap, exports),
# chosen by `kinerja.common.replika` only where the code asks for it. The alias always exists (a second name
# for the primary when no replica is configured, never used then); tests mirror it onto the primary.
_REPLIKA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
KINERJA_REPLIKA_AKTIF = bool(_REPLIKA_URL)
DATABASES["replica"] = (
    dj_database_url.parse(
        _REPLIKA_URL, conn_max_age=DATABASES["default"]["CONN_MAX_AGE"] or 0, conn_health_checks=True
    )
    if _REPLIKA_URL
    else dict(DATABASES["default"])
)
DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
if _REPLIKA_URL:
    # a stopped replica must not hang a request: the check below gives up after 2 s, then 5 s of primary
    DATABASES["replica"].setdefault("OPTIONS", {})["connect_timeout"] = 2
    if env_bool("PGBOUNCER", False):
        DATABASES["replica"]["DISABLE_SERVER_SIDE_CURSORS"] = True
DATABASE_ROUTERS = ["kinerja.common.replika.RouterReplika"]
if KINERJA_REPLIKA_AKTIF:
    MIDDLEWARE.insert(1, "kinerja.common.replika.PrimerSetelahTulis")
# A user's own reads stay on the primary this many seconds after their last write request (a cookie).
KINERJA_REPLIKA_PRIMER_DETIK = int(os.environ.get("REPLIKA_PRIMER_DETIK", "5"))
# How long a replica's health (answers, lag ≤ KINERJA_REPLIKA_LAG_MAKS seconds) is trusted before re-checking.
KINERJA_REPLIKA_CEK_DETIK = float(os.environ.get("REPLIKA_CEK_DETIK", "5"))
KINERJA_REPLIKA_LAG_MAKS = float(os.environ.get("REPLIKA_LAG_MAKS", "1"))
# More than one web process (WEB_CONCURRENCY, --workers in GUNICORN_CMD_ARGS) or node (JUMLAH_NODE) needs
# REDIS_URL: `check --deploy` warns otherwise (kinerja.common.checks, kinerja.W001).
# REDIS_URL: the cache (and so cached_db sessions and cross-process locks) on Redis. A Redis that does not
# answer is a cache miss, logged by `kinerja.cache` (once per half minute per process), never a 500.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "kinerja",
            "TIMEOUT": 300,
            "OPTIONS": {
                "CLIENT_CLASS": "django_redis.client.DefaultClient",
                "SOCKET_CONNECT_TIMEOUT": 0.5,
                "SOCKET_TIMEOUT": 0.5,
                "IGNORE_EXCEPTIONS": True,
            },
        }
    }
    DJANGO_REDIS_IGNORE_EXCEPTIONS = True
    DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
    DJANGO_REDIS_LOGGER = "kinerja.cache"

# Background tasks (docs/architecture.md "Background tasks"): django-tasks with its database backend, so
# the queue lives in the same database and needs no other server; `manage.py db_worker` runs them
# (`make run` starts one beside the web server). TASKS_BACKEND can name another django-tasks backend.
TASKS = {
    "default": {
        "BACKEND": os.environ.get("TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
        "QUEUES": ["default"],
    }
}
# Background jobs (docs/architecture.md "Background jobs"): finished jobs and their result files are
# removed after PEKERJAAN_SIMPAN_HARI days (`manage.py bersihkan_pekerjaan`, also run hourly by the worker);
# a job still queued after PEKERJAAN_TANPA_PEKERJA_DETIK seconds while no worker's heartbeat is fresh says
# on its page that no worker is running.
PEKERJAAN_SIMPAN_HARI = int(os.environ.get("PEKERJAAN_SIMPAN_HARI", "7"))
PEKERJAAN_TANPA_PEKERJA_DETIK = int(os.environ.get("PEKERJAAN_TANPA_PEKERJA_DETIK", "30"))

# SIASN sends in the background (docs/rules.md §21.9). The connection itself is SIASN_GATEWAY_URL and the
# other SIASN_* variables (`tindak_lanjut/siasn/klien.py`), read when a send runs. SIASN_INSTANSI: the
# kode(s) of the instansi whose final evaluations are queued with that connection (empty: every instansi).
# A passing trouble (429/502/503/504, SIASN unreachable) is tried again after SIASN_ANTREAN_JEDA seconds,
# doubled each time up to SIASN_ANTREAN_JEDA_MAKS, at most SIASN_ANTREAN_PERCOBAAN attempts in all.
SIASN_INSTANSI = env_list("SIASN_INSTANSI", "")
SIASN_ANTREAN_PERCOBAAN = int(os.environ.get("SIASN_ANTREAN_PERCOBAAN", "8"))
SIASN_ANTREAN_JEDA = int(os.environ.get("SIASN_ANTREAN_JEDA", "300"))
SIASN_ANTREAN_JEDA_MAKS = int(os.environ.get("SIASN_ANTREAN_JEDA_MAKS", "21600"))

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "organisasi.User"
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked login before any password is checked (docs/rules.md §24.1).
    "kinerja.organisasi.keamanan.axes.KunciLoginBackend",
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    # Sign-in with ASN Digital; does nothing unless OIDC_ISSUER and OIDC_CLIENT_ID are set (§24.5).
    "kinerja.organisasi.keamanan.oidc.NipOIDCBackend",
]
PASSWORD_HASHERS = [
    # argon2id at OWASP's minimum. It reads every argon2 hash (whatever its parameters) and re-makes one
    # with other parameters at the next login; Django's own Argon2PasswordHasher is not listed (same
    # algorithm name: the later entry would shadow this one).
    "kinerja.organisasi.keamanan.hashers.Argon2OwaspHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard:home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "id"
LANGUAGES = [("id", "Bahasa Indonesia")]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = False

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "kinerja" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# Uploaded files (bukti dukung) live outside any public path and are served by permission-checking views.
# The backup's dump keeps times to the microsecond (docs/rules.md §24.4).
SERIALIZATION_MODULES = {"json_presisi": "kinerja.common.serial_presisi"}

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "var" / "media"))
# pyHanko imports cryptography's DSA types, deprecated there; Kinerja signs and trusts RSA/ECDSA only.
warnings.filterwarnings("ignore", message="DSA is deprecated", module="pyhanko")
# Trusted roots of the electronic signatures (docs/rules.md §29.4): the BSrE root and intermediate
# certificates an instansi installs, and the demo CA that `manage.py buat_ca_demo` writes.
TTD_AKAR_DIR = Path(os.environ.get("KINERJA_TTD_AKAR", BASE_DIR / "var" / "ttd" / "akar"))
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 20 * 1024 * 1024

SESSION_COOKIE_AGE = 60 * 60 * 10
# Sessions are read from the cache (written through to the database): a page pays no session query; a
# sign-in writes its row once (`kinerja.common.sesi`: Django's cached_db with a cheaper cycle_key).
SESSION_ENGINE = "kinerja.common.sesi"
SESSION_EXPIRE_AT_BROWSER_CLOSE = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

MESSAGE_TAGS = {40: "danger"}

# --- Sign-in throttling (django-axes; docs/rules.md §24.1) -------------------------------------------------
# A login (username) is locked after AXES_FAILURE_LIMIT wrong passwords within AXES_COOLOFF_TIME of the last
# one, until that time passes or the admin kepegawaian unlocks it; an address is locked after
# KINERJA_LOGIN_BATAS_ALAMAT failures (higher: a whole office often shares one address behind NAT).
AXES_FAILURE_LIMIT = int(os.environ.get("LOGIN_BATAS_GAGAL", "5"))
KINERJA_LOGIN_BATAS_ALAMAT = int(os.environ.get("LOGIN_BATAS_GAGAL_ALAMAT", "20"))
AXES_COOLOFF_TIME = datetime.timedelta(minutes=int(os.environ.get("LOGIN_MENIT_KUNCI", "30")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_HANDLER = "kinerja.organisasi.keamanan.axes.KinerjaAxesHandler"
AXES_LOCKOUT_CALLABLE = "kinerja.organisasi.keamanan.axes.halaman_terkunci"
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # every failure, for the login history ("Keamanan akun")
AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 200
# `code` and `state`: the query of an OIDC callback (§24.5), kept masked like a password.
AXES_SENSITIVE_PARAMETERS = ["password", "csrfmiddlewaretoken", "code", "state"]
AXES_VERBOSE = False
# Behind N reverse proxies the client is the N-th address from the right of X-Forwarded-For (those entries
# were added by our proxies, so a client cannot forge them); 0 (no proxy) uses REMOTE_ADDR.
KINERJA_JUMLAH_PROXY = int(os.environ.get("JUMLAH_PROXY", "0"))
AXES_CLIENT_IP_CALLABLE = "kinerja.organisasi.keamanan.axes.alamat_klien"
# An OIDC attempt is recorded under the NIP the provider sent (docs/rules.md §24.5).
AXES_USERNAME_CALLABLE = "kinerja.organisasi.keamanan.oidc.axes_username"

# --- Sign-in with ASN Digital (OpenID Connect; mozilla-django-oidc; docs/rules.md §24.5) --------------------
# Enabled when OIDC_ISSUER and OIDC_CLIENT_ID are set. Endpoints come from the issuer's discovery document
# (cached for an hour) unless set explicitly. The secret is read from the environment only, never logged.
OIDC_ISSUER = os.environ.get("OIDC_ISSUER", "").rstrip("/")
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_CLIENT_ID", "")
OIDC_RP_CLIENT_SECRET = os.environ.get("OIDC_CLIENT_SECRET", "")
OIDC_NIP_CLAIM = os.environ.get("OIDC_NIP_CLAIM", "nip")
OIDC_RP_SCOPES = os.environ.get("OIDC_SCOPES", "openid profile")
OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_SIGN_ALGO", "RS256")
OIDC_OP_LOGOUT_ENDPOINT = os.environ.get("OIDC_LOGOUT_URL", "")
OIDC_OP_AUTHORIZATION_ENDPOINT = os.environ.get("OIDC_AUTHORIZATION_ENDPOINT", "")
OIDC_OP_TOKEN_ENDPOINT = os.environ.get("OIDC_TOKEN_ENDPOINT", "")
OIDC_OP_USER_ENDPOINT = os.environ.get("OIDC_USERINFO_ENDPOINT", "")
OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_JWKS_ENDPOINT", "")
# Two-step sign-in (docs/rules.md §30): ASN Digital carries its own second factor, so its sign-in counts
# as verified; set OIDC_DUA_LANGKAH_SENDIRI=0 to ask a user with an authenticator for Kinerja's code as well.
KINERJA_OIDC_TERVERIFIKASI = env_bool("OIDC_DUA_LANGKAH_SENDIRI", True)
OIDC_CREATE_USER = False  # a NIP without a login is refused, never given one silently
OIDC_STORE_ID_TOKEN = True  # the id_token_hint of the provider's logout
OIDC_USE_PKCE = True
OIDC_TIMEOUT = 10
OIDC_AUTHENTICATION_CALLBACK_URL = "oidc_kembali"

# The app's public address (e.g. https://kinerja.sukamaju.go.id), for links made outside a page request:
# the verification link printed on a document generated for SIASN by the siasn_kirim command.
KINERJA_URL_PUBLIK = os.environ.get("URL_PUBLIK", "").rstrip("/")

# --- Content-Security-Policy (django-csp; docs/rules.md §24.3) ---------------------------------------------
# Scripts and style sheets only from this site (no inline script, no eval); style="" attributes stay allowed
# because widths of progress bars and the SVG charts shared with the PDFs are computed per row.
_SELF = "'self'"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [_SELF],
        "script-src": [_SELF],
        "style-src": [_SELF],
        "style-src-elem": [_SELF],
        "style-src-attr": ["'unsafe-inline'"],
        "img-src": [_SELF, "data:"],
        "font-src": [_SELF],
        "connect-src": [_SELF],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": [_SELF],
        "frame-ancestors": ["'none'"],
    }
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"sekali_per_selang": {"()": "kinerja.common.klaster.SekaliPerSelang"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        # degraded cache / replica: one line per half minute, not a traceback per request
        "console_ringkas": {"class": "logging.StreamHandler", "filters": ["sekali_per_selang"]},
    },
    "loggers": {
        "kinerja.cache": {"handlers": ["console_ringkas"], "level": "WARNING", "propagate": False},
        "kinerja.replika": {"handlers": ["console_ringkas"], "level": "WARNING", "propagate": False},
        # A signature whose issuer is not a trusted root is a finding the verification page shows
        # (docs/rules.md §29.4), not a warning with a traceback per check.
        "pyhanko.sign.validation": {"level": "ERROR"},
        "pyhanko_certvalidator": {"level": "ERROR"},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Notifications go by email; the console backend prints them in development (`make run`'s terminal).
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Kinerja <kinerja@localhost>")
