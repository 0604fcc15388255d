"""WSGI entry point (gunicorn congdoan.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "congdoan.settings")
application = get_wsgi_application()
