"""A small gevent service: a server greenlet accepts three clients, a
greenlet per connection echoes upper-cased; sockets monkey-patched, so
every wait is a switch to gevent's hub. The window is opened and closed
by SIGUSR1 around it (when the preload is there)."""
from gevent import monkey
monkey.patch_all()

import os  # noqa: E402
import signal  # noqa: E402
import socket  # noqa: E402
import time  # noqa: E402

import gevent  # noqa: E402


def toggle_window():
    if "tracepatch" in os.environ.get("LD_PRELOAD", ""):
        os.kill(os.getpid(), signal.SIGUSR1)
        time.sleep(0.01)


def handle(conn, i):
    data = conn.recv(100)
    conn.sendall(data.upper())
    conn.close()
    return len(data)


def server(lsock, n):
    jobs = []
    for i in range(n):
        conn, _addr = lsock.accept()
        jobs.append(gevent.spawn(handle, conn, i))
    return [j.get() for j in jobs]


def client(port, msg):
    s = socket.create_connection(("127.0.0.1", port))
    gevent.sleep(0.01)
    s.sendall(msg)
    reply = s.recv(100)
    s.close()
    return reply


def main():
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(10)
    port = lsock.getsockname()[1]
    srv = gevent.spawn(server, lsock, 3)
    clients = [gevent.spawn(client, port, b"msg%d" % i) for i in range(3)]
    gevent.joinall(clients + [srv])
    return [c.value for c in clients], srv.value


toggle_window()
print(main())
toggle_window()
