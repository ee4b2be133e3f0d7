#!/usr/bin/env bash
# Installs the benchmark's peers from Debian's packages: wrk (load), nginx (ceiling),
# Gunicorn and uWSGI with its Python plugin (the Python servers, same WSGI app; uwsgi-core
# also holds the chunked transformation plugin), and Django for the framework page under Gunicorn.
set -euo pipefail
SUDO=""
if [ "$(id -u)" != "0" ] && command -v sudo >/dev/null; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends wrk nginx-light gunicorn uwsgi uwsgi-core uwsgi-plugin-python3 python3-django >/dev/null
