"""gunicorn settings for an app server behind nginx (deploy/recruitment.nginx.conf).

    gunicorn -c deploy/gunicorn.conf.py wsgi:app

Sync workers: every request is short (an autosave is one statement and its commit), and a sync
worker holds one database connection, so PostgreSQL's connections are workers x app servers, plus
one for each app server's autosaves' writer.
Set by the environment: BIND (default 127.0.0.1:8000), SCREENS_BIND (default 127.0.0.1:8001; empty:
none), WORKERS (default 2 x cores + 1), THREADS (default 1), AUTOSAVE_WRITER (default 1; 0: none)."""
import multiprocessing
import os

# The hall screens' results boards (exam/day/board.py) come in on a socket of their own, which nginx
# routes /exam/board/ to (deploy/recruitment.nginx.conf). It is listed first, and a sync worker that
# finds connections waiting on both sockets takes one from each in this order: a board's poll waits
# for the next free worker, not behind the whole city's hand-ins queued on the main socket in the last
# minute of a sitting (at 5,000 candidates that queue held a poll for up to 36 s; the hall expects a
# hand-in on its screen within 5 s). gthread workers (THREADS > 1) take whatever waits and serve it in turn.
# The app answers only the boards on it (recruitment/screens_lane.py). Two app servers on one machine: give
# each its own BIND and SCREENS_BIND.
screens = os.environ.setdefault("SCREENS_BIND", "127.0.0.1:8001")  # read by the app too (recruitment/screens_lane.py)
bind = [address for address in (screens, os.environ.get("BIND", "127.0.0.1:8000")) if address]
workers = int(os.environ.get("WORKERS", 2 * multiprocessing.cpu_count() + 1))
# THREADS > 1: each worker serves that many requests at once (gunicorn's gthread worker), and the
# autosaves its threads bring while one is being written go to disk together (exam/day/group_commit).
threads = int(os.environ.get("THREADS", 1))
worker_class = "gthread" if threads > 1 else "sync"
os.environ.setdefault("AUTOSAVE_GROUP_COMMIT", "1" if threads > 1 else "0")  # read by the app (preloaded below)
# Sync workers send their autosaves to one writer process of this app server, which commits them in
# groups (exam/day/save_writer.py; AUTOSAVE_WRITER=0: each worker commits its own).
autosave_writer = threads == 1 and os.environ.get("AUTOSAVE_WRITER", "1") == "1"
# The app is built once in the master and the workers are forked from it: they answer at once (no
# worker imports the whole app while a room is logging in), and a restarted worker is ready in
# milliseconds. The app opens no database connection while it is built, so none is shared by forks.
preload_app = True
backlog = 4096          # the start of a sitting: a whole city's candidates connect within seconds
timeout = 60
graceful_timeout = 30
keepalive = 5           # nginx keeps connections to the app servers open (upstream keepalive)
max_requests = 20000    # recycle workers now and then (slow leaks), staggered by the jitter
max_requests_jitter = 2000
accesslog = os.environ.get("ACCESS_LOG") or None
errorlog = os.environ.get("ERROR_LOG", "-")


def when_ready(server):
    """The app is built (preload_app) and no worker is forked yet. Results day's pages are rendered
    here once, for every worker (results/public.py warm). Then the app's objects go to the collector's
    permanent generation, so that no worker's garbage collection walks them again and again (and the
    pages forked from the master stay shared). Python's gc.freeze, as its documentation advises for a
    server that forks. The autosaves' writer starts here too."""
    import gc

    app = server.app.wsgi()
    if "results_public" in getattr(app, "blueprints", {}):  # the app, not a bench's bare endpoint
        from results.public import warm

        warm(app)
        if autosave_writer:
            from exam.day import save_writer

            # Before the workers are forked: they inherit where it listens. Kept on the arbiter, which
            # outlives a reload of this file (HUP).
            server.autosave_writer = save_writer.start(app)
    gc.collect()
    gc.freeze()


def on_exit(server):
    """The app server stops: its autosaves' writer too (its workers are gone)."""
    writer = getattr(server, "autosave_writer", None)
    if writer is not None:
        from exam.day import save_writer

        save_writer.stop(writer)
