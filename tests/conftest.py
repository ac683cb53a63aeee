"""Fixtures shared by several test files: the course plot style for the demo tests, and the data
folder and loopback-only network of the dataset and download tests."""

from __future__ import annotations

import ipaddress
import socket

import pytest

_DOWNLOAD_ENV = ("COURSE_CIFAR10_URL", "COURSE_CIFAR10_SHA256")
_PROXY_ENV = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "FTP_PROXY")


@pytest.fixture
def course_data_dir(tmp_path, monkeypatch):
    """An empty data folder (not created yet) set as ``COURSE_DATA_DIR``; download overrides unset."""
    folder = tmp_path / "course-data"
    monkeypatch.setenv("COURSE_DATA_DIR", str(folder))
    for name in _DOWNLOAD_ENV:
        monkeypatch.delenv(name, raising=False)
    return folder


def _is_loopback(host) -> bool:
    if host in (None, "localhost", b"localhost"):
        return True
    if isinstance(host, bytes):
        host = host.decode()
    try:
        return ipaddress.ip_address(str(host).split("%")[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture
def loopback_only(monkeypatch):
    """Fail the test on any attempt to resolve or connect to a non-loopback address.

    The attempt is refused on the spot, and the test also fails at teardown (so a loader
    that turns the refusal into its own error cannot hide it). Also removes proxy settings,
    so that requests to 127.0.0.1 go straight to it.
    """
    for name in _PROXY_ENV:
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")

    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    violations = []

    def refuse(what):
        violations.append(what)
        raise AssertionError(f"a test tried to reach {what}")

    def check(address):
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            refuse(f"the non-loopback address {address!r}")

    def connect(self, address):
        check(address)
        return real_connect(self, address)

    def connect_ex(self, address):
        check(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host, *args, **kwargs):
        if not _is_loopback(host):
            refuse(f"the non-loopback host {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield
    assert not violations, f"the test tried to reach the network: {violations}"


@pytest.fixture
def course_style():
    """The notebooks' matplotlib style for a demo test; every figure is closed afterwards."""
    import matplotlib.pyplot as plt

    from course_lib.plots import use_course_style

    use_course_style()
    yield
    plt.close("all")
