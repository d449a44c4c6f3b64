"""Settings from the environment the charm sets (DJANGO_* and POSTGRESQL_DB_*)."""
import os

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "development-only-key")
DEBUG = os.environ.get("DJANGO_DEBUG", "false").lower() == "true"
# The charm's DJANGO_ALLOWED_HOSTS names the Kubernetes service and ingress host; tests reach units by
# address, so this test app accepts any host and echoes the variable on /env instead of enforcing it.
ALLOWED_HOSTS = ["*"]

INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
MIDDLEWARE = []
ROOT_URLCONF = "django_app.urls"
WSGI_APPLICATION = "django_app.wsgi.application"
USE_TZ = True

if os.environ.get("POSTGRESQL_DB_NAME"):
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": os.environ["POSTGRESQL_DB_NAME"],
            "USER": os.environ.get("POSTGRESQL_DB_USERNAME", ""),
            "PASSWORD": os.environ.get("POSTGRESQL_DB_PASSWORD", ""),
            "HOST": os.environ.get("POSTGRESQL_DB_HOSTNAME", ""),
            "PORT": os.environ.get("POSTGRESQL_DB_PORT", ""),
        }
    }
else:
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": "/tmp/django-app.sqlite3"}}
