"""Damaged downloads (issue 11): the CIFAR-10 downloader against a tiny HTTP server on
127.0.0.1 that serves small archives in the official layout, whole, truncated, cut off
halfway, with a wrong hash, or with unsafe members.

The downloader is pointed at the server with COURSE_CIFAR10_URL / COURSE_CIFAR10_SHA256
(or the url= / known_hash= arguments). The ``loopback_only`` fixture fails any attempt to
reach another address, so no test can touch the network.
"""

from __future__ import annotations

import hashlib
import http.server
import os
import socket
import tarfile
import threading
import warnings
from pathlib import Path

import numpy as np
import pytest

import cifar_fixtures as cf
from course_lib import datasets
from course_lib.datasets import (
    CIFAR10_ARCHIVE,
    CIFAR10_FOLDER,
    CIFAR10_MD5,
    CIFAR10_SHA256,
    CIFAR10_URL,
    download_cifar10,
    load_dataset,
)

pytestmark = pytest.mark.usefixtures("loopback_only")

ROUTE = "/cifar-10-binary.tar.gz"
BATCHES = cf.make_batches(num_train=8, num_test=6, seed=5)
GOOD = cf.official_archive_bytes(BATCHES)  # about 150 kB of incompressible pixels


def listing(folder: Path) -> list[str]:
    """Every entry of ``folder``, hidden ones included (empty when it does not exist)."""
    return sorted(os.listdir(folder)) if folder.exists() else []


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves ``server.routes[path] = (body, mode)``; modes: ok, truncated, cut, error."""

    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.server.requests.append(self.path)
        if self.path not in self.server.routes:
            self.send_error(404)
            return
        body, mode = self.server.routes[self.path]
        if mode == "error":
            self.send_error(503, "Service Unavailable")
            return
        if mode == "truncated":  # a short file, honestly announced as short
            body = body[: len(body) // 2]
        self.send_response(200)
        self.send_header("Content-Type", "application/gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode == "cut":  # announce the whole file, send half, hang up
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(body)

    def log_message(self, *args):  # keep test output quiet
        pass


class LocalServer:
    def __init__(self):
        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.httpd.routes = {}
        self.httpd.requests = []
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self.thread.start()

    @property
    def requests(self) -> list[str]:
        return self.httpd.requests

    def url(self, path: str = ROUTE) -> str:
        host, port = self.httpd.server_address[:2]
        return f"http://{host}:{port}{path}"

    def serve(self, body: bytes, mode: str = "ok", path: str = ROUTE) -> str:
        self.httpd.routes[path] = (body, mode)
        return self.url(path)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def server():
    """A local HTTP server on 127.0.0.1 and a free port, shut down even when the test fails."""
    srv = LocalServer()
    try:
        yield srv
    finally:
        srv.close()


@pytest.fixture
def mirror(server, course_data_dir, monkeypatch):
    """Point the downloader at the local server: ``mirror(body, mode, sha256=...)``."""

    def point(body: bytes, mode: str = "ok", sha256: str | None = None) -> str:
        url = server.serve(body, mode)
        monkeypatch.setenv("COURSE_CIFAR10_URL", url)
        monkeypatch.setenv("COURSE_CIFAR10_SHA256", sha256 or cf.sha256(body))
        return url

    return point


def load_quietly(**kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a test archive has all 5 batches, but be safe
        return load_dataset("cifar10", **kwargs)


def assert_good_dataset(ds):
    X_train, y_train = cf.expected_train(BATCHES)
    np.testing.assert_array_equal(ds.X_train, X_train)
    np.testing.assert_array_equal(ds.y_train, y_train)
    np.testing.assert_array_equal(ds.X_test, BATCHES[cf.TEST_FILE][0])
    np.testing.assert_array_equal(ds.y_test, BATCHES[cf.TEST_FILE][1])
    assert ds.class_names == cf.CLASS_NAMES


# ============================================================================ the good case


def test_correct_archive_downloads_extracts_and_loads(mirror, server, course_data_dir):
    mirror(GOOD)
    ds = load_quietly()
    assert_good_dataset(ds)
    assert server.requests == [ROUTE]
    assert listing(course_data_dir) == sorted([CIFAR10_ARCHIVE, CIFAR10_FOLDER])
    assert (course_data_dir / CIFAR10_ARCHIVE).read_bytes() == GOOD
    # The next load uses the extracted folder: no second request.
    assert_good_dataset(load_quietly())
    assert server.requests == [ROUTE]


def test_download_cifar10_with_arguments_and_md5(server, course_data_dir):
    url = server.serve(GOOD)
    md5 = hashlib.md5(GOOD).hexdigest()
    path = download_cifar10(course_data_dir, url=url, known_hash=f"MD5:{md5.upper()}", progressbar=False)
    assert path == course_data_dir / CIFAR10_ARCHIVE and path.read_bytes() == GOOD
    assert listing(course_data_dir) == [CIFAR10_ARCHIVE]
    # An archive already there whose hash matches is not downloaded again.
    assert download_cifar10(course_data_dir, url=url, known_hash=f"md5:{md5}", progressbar=False) == path
    assert server.requests == [ROUTE]


def test_existing_archive_with_a_wrong_hash_is_replaced(mirror, server, course_data_dir):
    mirror(GOOD)
    course_data_dir.mkdir()
    (course_data_dir / CIFAR10_ARCHIVE).write_bytes(b"an old, damaged copy")
    path = download_cifar10()  # folder: COURSE_DATA_DIR
    assert path.read_bytes() == GOOD and server.requests == [ROUTE]
    assert listing(course_data_dir) == [CIFAR10_ARCHIVE]


def test_load_replaces_a_mismatching_archive_by_a_download(mirror, server, course_data_dir):
    mirror(GOOD)
    course_data_dir.mkdir()
    (course_data_dir / CIFAR10_ARCHIVE).write_bytes(GOOD[:1000])  # a cut-off copy
    assert_good_dataset(load_quietly())
    assert server.requests == [ROUTE]
    assert (course_data_dir / CIFAR10_ARCHIVE).read_bytes() == GOOD


def test_url_argument_wins_over_the_environment(server, course_data_dir, monkeypatch):
    monkeypatch.setenv("COURSE_CIFAR10_URL", server.url("/elsewhere.tar.gz"))
    monkeypatch.setenv("COURSE_CIFAR10_SHA256", "sha256:" + cf.sha256(GOOD).upper())
    path = download_cifar10(course_data_dir, url=server.serve(GOOD), progressbar=False)
    assert path.read_bytes() == GOOD and server.requests == [ROUTE]


# ============================================================================ damaged downloads


def _traversal_archive() -> bytes:
    return cf.official_archive_bytes(BATCHES, extra=[cf.regular(f"{CIFAR10_FOLDER}/../../evil.bin", b"owned")])


def _symlink_archive() -> bytes:
    return cf.official_archive_bytes(
        BATCHES, extra_first=[cf.special(f"{CIFAR10_FOLDER}/data_batch_2.bin", tarfile.SYMTYPE, "/etc/passwd")]
    )


FAILURES = {
    # name: (body, mode, hash served, expected error, message pattern)
    "truncated": (GOOD, "truncated", cf.sha256(GOOD), RuntimeError,
                  r"downloaded from http://127\.0\.0\.1:\d+/\S+ is damaged or incomplete: its hash is not the expected sha256:"),
    "wrong hash": (GOOD, "ok", cf.sha256(b"some other file"), RuntimeError,
                   r"is damaged or incomplete: its hash is not the expected sha256:" + cf.sha256(b"some other file")),
    "cut halfway": (GOOD, "cut", cf.sha256(GOOD), RuntimeError,
                    r"^could not download CIFAR-10 from http://127\.0\.0\.1:\d+/\S+ \(ChunkedEncodingError: .*IncompleteRead"),
    "server error": (GOOD, "error", cf.sha256(GOOD), RuntimeError,
                     r"^could not download CIFAR-10 from .*\(HTTPError: 503"),
    "path escapes the folder": (_traversal_archive(), "ok", None, ValueError,
                                r"unsafe member path 'cifar-10-batches-bin/\.\./\.\./evil\.bin'.*refusing to extract.*"
                                r"The unusable archive was deleted"),
    "symlink member": (_symlink_archive(), "ok", None, ValueError,
                       r"member 'cifar-10-batches-bin/data_batch_2\.bin' is a link; refusing to extract.*"
                       r"The unusable archive was deleted"),
    "not an archive": (b"<html>Sorry, moved</html>" * 40, "ok", None, ValueError,
                       r"is damaged or truncated.*The unusable archive was deleted"),
}


@pytest.mark.parametrize("case", list(FAILURES))
def test_damaged_download_is_a_clear_error_leaves_nothing_and_the_next_attempt_works(
    case, mirror, server, course_data_dir, tmp_path
):
    body, mode, sha, error, pattern = FAILURES[case]
    mirror(body, mode, sha256=sha)
    with pytest.raises(error, match=pattern) as info:
        load_quietly()
    if error is RuntimeError:
        assert "To get it by hand" in str(info.value)
    # Nothing partial or unverified in the cache folder, hidden temporary files included,
    # and nothing written outside it.
    assert listing(course_data_dir) == []
    assert listing(tmp_path) == [course_data_dir.name]
    assert server.requests == [ROUTE]

    mirror(GOOD)  # the next, good attempt succeeds
    assert_good_dataset(load_quietly())
    assert server.requests == [ROUTE, ROUTE]
    assert listing(course_data_dir) == sorted([CIFAR10_ARCHIVE, CIFAR10_FOLDER])


@pytest.mark.parametrize("mode", ["truncated", "cut"])
def test_download_cifar10_alone_keeps_nothing_after_a_failure(mode, server, course_data_dir):
    url = server.serve(GOOD, mode)
    with pytest.raises(RuntimeError, match="nothing was kept in"):
        download_cifar10(course_data_dir, url=url, known_hash=f"sha256:{cf.sha256(GOOD)}", progressbar=False)
    assert listing(course_data_dir) == []


# ============================================================================ offline


@pytest.fixture
def closed_port() -> int:
    """A loopback port nobody listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_offline_gives_a_runtime_error_that_says_how_to_get_the_file(course_data_dir, closed_port, monkeypatch):
    monkeypatch.setenv("COURSE_CIFAR10_URL", f"http://127.0.0.1:{closed_port}{ROUTE}")
    with pytest.raises(RuntimeError) as info:
        load_quietly()
    message = str(info.value)
    assert message.startswith(f"could not download CIFAR-10 from http://127.0.0.1:{closed_port}{ROUTE} (ConnectionError")
    for part in ("To get it by hand", CIFAR10_ARCHIVE, "170,052,171 bytes", CIFAR10_MD5, CIFAR10_URL,
                 "cifar-10-batches-bin/ folder", str(course_data_dir), "COURSE_DATA_DIR"):
        assert part in message, part
    assert listing(course_data_dir) == []


def test_offline_with_a_mismatching_archive_keeps_it_and_says_so(course_data_dir, closed_port, monkeypatch):
    monkeypatch.setenv("COURSE_CIFAR10_URL", f"http://127.0.0.1:{closed_port}{ROUTE}")
    course_data_dir.mkdir()
    (course_data_dir / CIFAR10_ARCHIVE).write_bytes(b"a copy made by hand")
    with pytest.raises(RuntimeError, match=r"already in .* does not have the expected hash; it was left as it was.*To get it by hand"):
        load_quietly()
    assert listing(course_data_dir) == [CIFAR10_ARCHIVE]
    assert (course_data_dir / CIFAR10_ARCHIVE).read_bytes() == b"a copy made by hand"


def test_defaults_are_the_official_url_and_hash(course_data_dir, monkeypatch):
    import pooch

    calls = []

    def fake_retrieve(url, known_hash=None, fname=None, path=None, progressbar=False):
        calls.append((url, known_hash, fname, Path(path).parent, progressbar))
        Path(path, fname).write_bytes(b"partial")  # a half-written file, then the failure
        raise ConnectionError("offline")

    monkeypatch.setattr(pooch, "retrieve", fake_retrieve)
    with pytest.raises(RuntimeError, match=r"^could not download CIFAR-10 from https://www\.cs\.toronto\.edu/~kriz/cifar-10-binary\.tar\.gz"):
        load_quietly()
    assert calls == [(CIFAR10_URL, f"sha256:{CIFAR10_SHA256}", CIFAR10_ARCHIVE, course_data_dir, True)]
    assert CIFAR10_URL == "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
    assert CIFAR10_SHA256 == "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd"
    assert CIFAR10_MD5 == "c32a1d4ab5d03f1284b67883e8d87530"
    assert listing(course_data_dir) == []  # the private download folder is gone


# ============================================================================ bad input


@pytest.mark.parametrize(
    "env, kwargs, error, pattern",
    [
        ({"COURSE_CIFAR10_SHA256": "abc123"}, {}, ValueError, r"^COURSE_CIFAR10_SHA256 must be a SHA-256 hash \(64 hexadecimal digits\), got 'abc123'"),
        ({"COURSE_CIFAR10_SHA256": "md5:" + "0" * 32}, {}, ValueError, r"^COURSE_CIFAR10_SHA256 must be a SHA-256 hash"),
        ({"COURSE_CIFAR10_SHA256": "g" * 64}, {}, ValueError, r"^COURSE_CIFAR10_SHA256 must be"),
        ({"COURSE_CIFAR10_URL": "file:///etc/passwd"}, {}, ValueError, r"^COURSE_CIFAR10_URL must be an http://, https:// or ftp:// URL, got 'file:///etc/passwd'"),
        ({"COURSE_CIFAR10_URL": "127.0.0.1/cifar.tar.gz"}, {}, ValueError, r"^COURSE_CIFAR10_URL must be"),
        ({}, dict(url=5), TypeError, r"^url must be a str"),
        ({}, dict(url="www.example.org/cifar.tar.gz"), ValueError, r"^url must be an http://, https:// or ftp:// URL"),
        ({}, dict(known_hash="sha1:" + "0" * 40), ValueError, r"^known_hash must be 'sha256:<64 hex digits>' or 'md5:<32 hex digits>'"),
        ({}, dict(known_hash="0" * 64), ValueError, r"^known_hash must be"),
        ({}, dict(known_hash=b"sha256:00"), TypeError, r"^known_hash must be a str"),
        ({}, dict(progressbar="yes"), TypeError, r"^progressbar must be True or False"),
        ({}, dict(folder=3), TypeError, r"^folder must be a file or folder path"),
    ],
)
def test_download_bad_input(course_data_dir, monkeypatch, env, kwargs, error, pattern):
    import pooch

    monkeypatch.setattr(pooch, "retrieve", lambda *a, **k: pytest.fail("download attempted"))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    folder = kwargs.pop("folder", course_data_dir)
    with pytest.raises(error, match=pattern):
        download_cifar10(folder, **kwargs)
    assert listing(course_data_dir) == []


def test_empty_environment_values_mean_the_defaults(course_data_dir, monkeypatch):
    monkeypatch.setenv("COURSE_CIFAR10_URL", "  ")
    monkeypatch.setenv("COURSE_CIFAR10_SHA256", "")
    assert datasets._cifar10_source(None, None) == (CIFAR10_URL, f"sha256:{CIFAR10_SHA256}")
