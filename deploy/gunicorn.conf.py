"""Gunicorn settings for Công đoàn số in production (`gunicorn -c deploy/gunicorn.conf.py`).

Every value can be changed from the environment (the systemd unit reads /etc/congdoan/env):

    GUNICORN_BIND         127.0.0.1:8000 (default), or unix:/run/congdoan/gunicorn.sock
    GUNICORN_WORKERS      default 2 * cores + 1
    GUNICORN_THREADS      threads per worker, default 1 (sync workers)
    GUNICORN_TIMEOUT      seconds a request may take before its worker is killed, default 60
    GUNICORN_ACCESS_LOG   file, or "-" for stderr (the journal); default "-"
    GUNICORN_ERROR_LOG    file, or "-" for stderr; default "-"
    GUNICORN_MAX_REQUESTS recycle a worker after this many requests, default 2000

The access log ends with the request's time in milliseconds (`%(M)s`), which is what
scripts/loadtest.sh reads for the server-side percentiles. Long work (imports, exports) runs in
the job worker (`manage.py db_worker`), never in a request, so 60 seconds is generous.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


wsgi_app = "congdoan.wsgi:application"
bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
workers = _int("GUNICORN_WORKERS", 2 * multiprocessing.cpu_count() + 1)
threads = _int("GUNICORN_THREADS", 1)
worker_class = "gthread" if threads > 1 else "sync"

timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = 5
# A worker is replaced after this many requests (plus a random jitter so that they do not all
# restart at once): memory stays bounded whatever a library leaks.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max(max_requests // 10, 0)

# Heartbeat files in memory, not on a possibly slow disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# nginx on the same host is the only client; it sets X-Forwarded-Proto (Django reads it, see
# SECURE_PROXY_SSL_HEADER) and X-Forwarded-For.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# Newer gunicorn opens a control socket under ~/.gunicorn by default; we do not use it, and two
# servers on one host (tests, load tests) would fight over it.
control_socket_disable = True

accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# client (from nginx), time, request line, status, bytes, referrer, agent, then the time the
# request took in milliseconds as the last field.
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)s'
proc_name = "congdoan-web"
