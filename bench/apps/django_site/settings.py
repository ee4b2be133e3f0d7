"""Settings for the benchmark's Django page: `startproject`'s defaults, without a database.

MIDDLEWARE is Django's default stack, as `django-admin startproject` writes it. No database is
configured: sessions live in signed cookies (the page reads one) and the page never touches
the user, so nothing is queried.
"""
from pathlib import Path

APPS_DIR = Path(__file__).resolve().parent.parent

DEBUG = False
SECRET_KEY = "bench-only-secret-key"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "django_site.urls"
WSGI_APPLICATION = "django_site.wsgi.application"

# The same template file as the tsgi framework page (bench/apps/templates/page.html).
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [APPS_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {}
SESSION_ENGINE = "django.contrib.sessions.backends.signed_cookies"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
