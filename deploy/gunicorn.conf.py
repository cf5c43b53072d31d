"""gunicorn for a clinic (AFTERGLOW_MODE=clinic): `gunicorn -c deploy/gunicorn.conf.py`.

Behind the clinic's TLS proxy, which must set the header named by AFTERGLOW_PROXY_SSL_HEADER
(and strip it from what clients send). Every setting below can be overridden on the command line
or with GUNICORN_CMD_ARGS; the variables read here are Afterglow's own.
"""

import multiprocessing
import os
import sys

wsgi_app = "afterglow.wsgi:application"
raw_env = ["AFTERGLOW_MODE=clinic"]

# The proxy talks to us on this machine (or a private network named in AFTERGLOW_BIND).
bind = os.environ.get("AFTERGLOW_BIND", "127.0.0.1:8000")
# Web workers are stateless (sessions and jobs live in PostgreSQL): add more, here or on more hosts.
workers = int(os.environ.get("AFTERGLOW_WEB_WORKERS", str(min(2 * multiprocessing.cpu_count() + 1, 9))))
threads = int(os.environ.get("AFTERGLOW_WEB_THREADS", "2"))
worker_class = "gthread"
# Voice notes and photos are uploaded whole (up to 200 MB) over the clinic's network.
timeout = 120
graceful_timeout = 30
keepalive = 5
# A worker is replaced now and then, so a slow leak can never grow without bound.
max_requests = 2000
max_requests_jitter = 200
# Load the app once in the master: a wrong variable stops gunicorn at start with one line
# (afterglow/wsgi.py), and so does a database that does not answer (when_ready below).
preload_app = True

# Only the proxy may say a request came over HTTPS (X-Forwarded-* from anywhere else are ignored).
forwarded_allow_ips = os.environ.get("AFTERGLOW_PROXY_IPS", "127.0.0.1,::1")
# Request lines only (method, path, status, time): never a body, never a query string (a search).
accesslog = "-"
access_log_format = '%(h)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
errorlog = "-"
# No control socket in the home folder: the service manager (systemd) starts and stops us.
control_socket_disable = True
loglevel = "info"


def when_ready(server):
    """Before any worker starts: the database must answer and be migrated, or one line says why and we stop."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "afterglow.settings")
    django.setup()
    from afterglow.clinic.health import startup_problem

    problem = startup_problem()
    if problem:
        sys.stderr.write(f"afterglow: {problem}\n")
        sys.exit(2)
