"""gunicorn's settings for production: `gunicorn -c gunicorn.conf.py wsgi:app`, behind a buffering
reverse proxy (nginx's default), which keeps slow mobile uploads off the workers.

Sync workers, two per core: every request here is short and CPU-bound (a guide or a bot answer is
0.5–2 ms of Python), so threads in one process only queue on the GIL, whose 5 ms switch interval
shows up in the tail. Measured on a 2-core machine at 16 connections (bench/guides.py): 2 workers ×
8 threads gave a p99 of 20–30 ms, 4 sync workers 8–10 ms at the same throughput.
"""

import multiprocessing
import os

bind = os.environ.get("BIND", "127.0.0.1:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count()))
worker_class = "sync"
# A request stuck this long is a bug or a dead upstream, not a citizen waiting usefully.
timeout = 30
graceful_timeout = 30
