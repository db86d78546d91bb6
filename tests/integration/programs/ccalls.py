"""Calls into C: time.sleep and a socket recv."""
import socket
import time


def nap():
    time.sleep(0.2)


def talk():
    a, b = socket.socketpair()
    a.sendall(b"hello")
    data = b.recv(5)
    a.close()
    b.close()
    return data


def bad():
    return int("x")


nap()
print(talk())
try:
    bad()
except ValueError:
    pass
