"""The framework scenario's page as a Django project, served by Gunicorn (see bench/README.md)."""
