"""Serve the portal from the threaded WSGI server `runserver` uses, for the SQLite concurrency test.

    python -m tests.core.threaded_server USERS PASSWORD

Creates USERS accounts (user0@example.org, user1@…) with PASSWORD in the configured database,
listens on a free port on 127.0.0.1, prints the port and serves until killed. The settings are
whatever DJANGO_SETTINGS_MODULE and DATABASE_URL say, read as the web process reads them.
"""

import sys

import django
from django.core.servers.basehttp import ThreadedWSGIServer, WSGIRequestHandler


class Server(ThreadedWSGIServer):
    # Room for every test client's connection at once: the test is about the database.
    request_queue_size = 64


def main(users: int, password: str) -> None:
    django.setup()
    from django.core.wsgi import get_wsgi_application

    from cpw.accounts.models import User

    for number in range(users):
        User.objects.create_user(email=f"user{number}@example.org", password=password)

    server = Server(("127.0.0.1", 0), WSGIRequestHandler)
    server.set_app(get_wsgi_application())
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
