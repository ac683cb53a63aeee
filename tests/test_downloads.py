"""load_dataset("cifar10") downloading with pooch, against a tiny HTTP server on 127.0.0.1 that
serves small archives in the official layout: whole, truncated, cut off halfway, with a wrong
hash, or with links and paths that try to leave the data folder.

COURSE_CIFAR10_URL / COURSE_CIFAR10_SHA256 point the loader at the server; ``loopback_only``
(tests/conftest.py) fails any attempt to reach another address.
"""

from __future__ import annotations

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
from course_lib.datasets import CIFAR10_ARCHIVE, CIFAR10_SHA256, CIFAR10_URL, load_dataset

pytestmark = pytest.mark.usefixtures("loopback_only")

ROUTE = "/cifar-10-binary.tar.gz"
BATCHES = cf.make_batches(num_train=8, num_test=6, seed=5)
GOOD = cf.archive_bytes(BATCHES)


def listing(folder: Path) -> list[str]:
    """Every entry of ``folder``, hidden ones included."""
    return sorted(os.listdir(folder)) if folder.exists() else []


class _Handler(http.server.BaseHTTPRequestHandler):
    """Serves ``server.routes[path] = (body, mode)``; modes: ok, truncated, cut, error."""

    def do_GET(self):  # noqa: N802 (the standard library's name)
        self.server.requests.append(self.path)
        body, mode = self.server.routes[self.path]
        if mode == "error":
            self.send_error(503, "Service Unavailable")
            return
        if mode == "truncated":  # a short file, honestly announced as short
            body = body[: len(body) // 2]
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if mode == "cut":  # announce the whole file, send half, hang up
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    """An HTTP server on 127.0.0.1 and a free port, shut down whatever happens."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    httpd.daemon_threads, httpd.routes, httpd.requests = True, {}, []
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield httpd
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


@pytest.fixture
def mirror(server, course_data_dir, monkeypatch):
    """``mirror(body, mode, sha256)``: serve ``body`` and point the loader at it."""

    def point(body: bytes, mode: str = "ok", sha256: str | None = None):
        server.routes[ROUTE] = (body, mode)
        host, port = server.server_address[:2]
        monkeypatch.setenv("COURSE_CIFAR10_URL", f"http://{host}:{port}{ROUTE}")
        monkeypatch.setenv("COURSE_CIFAR10_SHA256", sha256 or cf.sha256(body))

    return point


def load_cifar10():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # archives with missing batches
        return load_dataset("cifar10")


def assert_good_dataset(ds):
    X_train, y_train = cf.expected_train(BATCHES)
    np.testing.assert_array_equal(ds.X_train, X_train)
    np.testing.assert_array_equal(ds.y_train, y_train)
    np.testing.assert_array_equal(ds.X_test, BATCHES[cf.TEST_FILE][0])
    np.testing.assert_array_equal(ds.y_test, BATCHES[cf.TEST_FILE][1])


def test_download_extracts_loads_and_is_not_repeated(mirror, server, course_data_dir):
    mirror(GOOD)
    assert_good_dataset(load_cifar10())
    assert listing(course_data_dir) == sorted([CIFAR10_ARCHIVE, cf.FOLDER])
    assert listing(course_data_dir / cf.FOLDER) == sorted(cf.TRAIN_FILES + (cf.TEST_FILE,))
    assert_good_dataset(load_cifar10())  # from the extracted folder
    assert server.requests == [ROUTE]


def test_an_archive_copied_by_hand_is_verified_and_not_downloaded(mirror, server, course_data_dir):
    mirror(GOOD)
    course_data_dir.mkdir()
    (course_data_dir / CIFAR10_ARCHIVE).write_bytes(GOOD)
    assert_good_dataset(load_cifar10())
    assert server.requests == []


def test_an_archive_with_the_wrong_hash_is_replaced_by_a_download(mirror, server, course_data_dir):
    mirror(GOOD)
    course_data_dir.mkdir()
    (course_data_dir / CIFAR10_ARCHIVE).write_bytes(GOOD[:1000])  # a cut-off copy
    assert_good_dataset(load_cifar10())
    assert server.requests == [ROUTE]
    assert (course_data_dir / CIFAR10_ARCHIVE).read_bytes() == GOOD


FAILURES = {
    # name: (body, mode, hash served, message pattern)
    "truncated": (GOOD, "truncated", cf.sha256(GOOD), r"its hash did not match \(a damaged or incomplete download\)"),
    "wrong hash": (GOOD, "ok", cf.sha256(b"another file"), r"its hash did not match"),
    "cut halfway": (GOOD, "cut", cf.sha256(GOOD), r"ChunkedEncodingError"),
    "server error": (GOOD, "error", cf.sha256(GOOD), r"HTTPError: 503"),
}


@pytest.mark.parametrize("case", list(FAILURES))
def test_a_failed_download_keeps_nothing_and_the_next_attempt_works(case, mirror, server, course_data_dir, tmp_path):
    body, mode, sha, pattern = FAILURES[case]
    mirror(body, mode, sha256=sha)
    with pytest.raises(RuntimeError, match=r"^could not download CIFAR-10 from http://127\.0\.0\.1:\d+/\S+: " + pattern) as info:
        load_cifar10()
    assert "nothing was kept. To get it by hand" in str(info.value)
    assert listing(course_data_dir) == []  # no partial file, hidden ones included
    assert listing(tmp_path) == [course_data_dir.name]
    mirror(GOOD)
    assert_good_dataset(load_cifar10())
    assert server.requests == [ROUTE, ROUTE]


UNSAFE = {
    "path leaving the folder": [cf.regular(f"{cf.FOLDER}/../../evil.bin", b"owned")],
    "absolute path": [cf.regular("/tmp/course-lib-test-evil.bin", b"owned")],
    "symlink with a batch's name": [cf.special(f"{cf.FOLDER}/data_batch_2.bin", tarfile.SYMTYPE, "/etc/passwd")],
    "hard link with a batch's name": [cf.special(f"{cf.FOLDER}/data_batch_5.bin", tarfile.LNKTYPE, f"{cf.FOLDER}/data_batch_1.bin")],
    "folder with a batch's name": [cf.special(f"{cf.FOLDER}/data_batch_4.bin", tarfile.DIRTYPE)],
}


@pytest.mark.parametrize("case", list(UNSAFE))
def test_only_the_expected_regular_files_are_extracted(case, mirror, course_data_dir, tmp_path):
    batches = {k: v for k, v in BATCHES.items() if k not in ("data_batch_2.bin", "data_batch_4.bin", "data_batch_5.bin")}
    body = cf.archive_bytes(batches, extra_first=UNSAFE[case])
    mirror(body)
    ds = load_cifar10()
    assert len(ds.y_train) == 16  # data_batch_1 and 3 only: the odd member was skipped
    extracted = course_data_dir / cf.FOLDER
    assert listing(extracted) == ["data_batch_1.bin", "data_batch_3.bin", "test_batch.bin"]
    assert not any(p.is_symlink() for p in extracted.iterdir())
    assert listing(tmp_path) == [course_data_dir.name]
    assert not Path("/tmp/course-lib-test-evil.bin").exists()


@pytest.mark.parametrize("body", [b"<html>Sorry, moved</html>" * 40, cf.archive_bytes({})], ids=["not an archive", "no batches"])
def test_an_archive_that_matches_its_hash_but_holds_no_batches(body, mirror, course_data_dir):
    mirror(body)
    with pytest.raises(ValueError, match=r"cifar-10-binary\.tar\.gz (cannot be extracted|holds no).*download again"):
        load_cifar10()
    assert listing(course_data_dir) == [CIFAR10_ARCHIVE]  # no partial or temporary folder


def test_offline_is_a_runtime_error_that_says_how_to_get_the_file(course_data_dir, monkeypatch):
    with socket.socket() as sock:  # a loopback port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("COURSE_CIFAR10_URL", f"http://127.0.0.1:{port}{ROUTE}")
    with pytest.raises(RuntimeError) as info:
        load_cifar10()
    message = str(info.value)
    assert message.startswith(f"could not download CIFAR-10 from http://127.0.0.1:{port}{ROUTE}: ConnectionError")
    for part in ("To get it by hand", CIFAR10_ARCHIVE, CIFAR10_URL, str(course_data_dir), "COURSE_DATA_DIR"):
        assert part in message, part
    assert listing(course_data_dir) == []


def test_the_defaults_are_the_official_url_and_hash(course_data_dir, monkeypatch):
    import pooch

    calls = []

    def fake_retrieve(url, known_hash=None, fname=None, path=None, progressbar=False):
        calls.append((url, known_hash, fname, Path(path)))
        raise ConnectionError("offline")

    monkeypatch.setattr(pooch, "retrieve", fake_retrieve)
    with pytest.raises(RuntimeError, match=r"^could not download CIFAR-10 from https://www\.cs\.toronto\.edu/~kriz/cifar-10-binary\.tar\.gz"):
        load_cifar10()
    assert calls == [(CIFAR10_URL, f"sha256:{CIFAR10_SHA256}", CIFAR10_ARCHIVE, course_data_dir)]
    assert CIFAR10_SHA256 == "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd"
