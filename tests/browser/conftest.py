"""Fixtures of the browser suite: one JupyterLab server and one headless Chromium per session.

The suite (``test_jupyterlab.py``, marked ``browser``) opens every course notebook in a real
JupyterLab in a real browser, runs all cells and checks what a student would see. Run it
alone with::

    cd /work/main && python -m pytest tests/browser -m browser -o addopts="" -q

Environment variables (all optional):

``COURSE_BROWSER_NOTEBOOKS``
    folder whose ``*.ipynb`` files are tested (default: ``notebooks/`` of the repository;
    a relative path is relative to the repository root).
``COURSE_BROWSER_ARTIFACTS``
    folder for the screenshots and ``summary.txt`` (default ``artifacts/browser``, relative
    to the repository root; ``artifacts/`` is git-ignored).
``COURSE_BROWSER_CHROMIUM``
    the Chromium executable (default ``/usr/bin/chromium``, Debian's package; no browser
    is ever downloaded).
``COURSE_BROWSER_TIMEOUT``
    seconds allowed for one notebook's "Run All" (default 180; the target is ≤ 20 s per
    notebook including the interaction, the timeout only guards against a hang).

The server runs on 127.0.0.1 on a free port with a random token, on copies of the notebooks
(outputs cleared) in a temporary folder, with its runtime/config/settings/workspace folders
in that temporary folder too, so nothing in the repository or in ``~/.jupyter`` changes. It
is started with this interpreter (``sys.executable -m jupyterlab``), so its kernels import
the editable ``course_lib``. It runs in its own process group and is stopped with
``os.killpg`` by the fixture's finaliser, which also runs when a test fails.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOOPBACK_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
SERVER_START_TIMEOUT = 90.0


def _repo_path(value: str) -> Path:
    """``value`` as a path; a relative one is taken relative to the repository root."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else REPO_ROOT / path


def notebook_dir() -> Path:
    """The folder whose notebooks the suite tests (``COURSE_BROWSER_NOTEBOOKS``)."""
    return _repo_path(os.environ.get("COURSE_BROWSER_NOTEBOOKS", "notebooks"))


def notebook_paths() -> list[Path]:
    """Every ``*.ipynb`` in :func:`notebook_dir`, sorted by name."""
    folder = notebook_dir()
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.glob("*.ipynb") if p.is_file())


def artifacts_dir() -> Path:
    """Where screenshots go (``COURSE_BROWSER_ARTIFACTS``, default ``artifacts/browser``)."""
    return _repo_path(os.environ.get("COURSE_BROWSER_ARTIFACTS", "artifacts/browser"))


def chromium_path() -> str:
    return os.environ.get("COURSE_BROWSER_CHROMIUM", DEFAULT_CHROMIUM)


def run_timeout() -> float:
    return float(os.environ.get("COURSE_BROWSER_TIMEOUT", "180"))


def missing_requirement() -> str | None:
    """Why the suite cannot run here (no Chromium, no playwright), or None."""
    if not Path(chromium_path()).exists():
        return f"Chromium not found at {chromium_path()} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install playwright)"
    return None


def pytest_generate_tests(metafunc):
    """One test per notebook file (test id: the file name)."""
    if "notebook" not in metafunc.fixturenames:
        return
    paths = notebook_paths()
    if paths:
        metafunc.parametrize("notebook", paths, ids=[p.name for p in paths])
    else:
        metafunc.parametrize(
            "notebook",
            [pytest.param(None, marks=pytest.mark.skip(reason=f"no *.ipynb in {notebook_dir()}"))],
            ids=["no-notebooks"],
        )


def pytest_collection_modifyitems(config, items):
    """Skip the suite, with the reason, only when Chromium or playwright is absent."""
    reason = missing_requirement()
    if reason is None:
        return
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(str(item.fspath)).resolve().parents:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="session")
def run_all_timeout() -> float:
    """Seconds allowed for one notebook's Run All (``COURSE_BROWSER_TIMEOUT``)."""
    return run_timeout()


# --------------------------------------------------------------------------------------------
# JupyterLab server


@dataclass
class LabServer:
    """A running JupyterLab: where it listens and where its notebook copies are."""

    base_url: str
    token: str
    root_dir: Path
    log_path: Path
    process: subprocess.Popen

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` (starting with ``/``) with the token as query argument."""
        sep = "&" if "?" in path else "?"
        return f"{self.base_url}{path}{sep}token={self.token}"

    def api(self, path: str, method: str = "GET"):
        """Call the REST API (``/api/...``) without any proxy; returns the decoded JSON or None."""
        request = urllib.request.Request(self.url(path), method=method)
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        with opener.open(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return "(no server log)"

    def shutdown_kernels(self) -> None:
        """Delete every session (and so every kernel) the browser started."""
        try:
            for session in self.api("/api/sessions") or []:
                self.api(f"/api/sessions/{session['id']}", method="DELETE")
        except (OSError, urllib.error.URLError, ValueError):
            pass


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _write_json(path: Path, content: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(content, indent=1))


def _copy_notebooks_cleared(sources: list[Path], target: Path) -> None:
    """Copy the notebooks with their outputs cleared, so every output seen was made now."""
    import nbformat

    target.mkdir(parents=True, exist_ok=True)
    for source in sources:
        nb = nbformat.read(source, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                cell.outputs = []
                cell.execution_count = None
        nb.metadata.pop("widgets", None)
        nbformat.write(nb, target / source.name)


def _lab_environment(home: Path) -> dict[str, str]:
    env = dict(os.environ)
    for name, sub in [
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTER_CONFIG_DIR", "config"),
        ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"),
        ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"),
        ("IPYTHONDIR", "ipython"),  # no shared history database with other kernels
    ]:
        folder = home / sub
        folder.mkdir(parents=True, exist_ok=True)
        env[name] = str(folder)
    env["PYTHONHASHSEED"] = "0"
    env["COURSE_DATASET"] = "mnist"
    env.pop("MPLBACKEND", None)  # figures must be inline images, as for a student
    env.pop("JUPYTER_TOKEN", None)
    return env


def _write_lab_settings(settings_dir: Path) -> None:
    # No news/update toast over the page; start the kernel without a "Select Kernel" dialog;
    # every cell in the DOM (no virtual scrolling) so all outputs can be inspected.
    _write_json(
        settings_dir / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings",
        {"fetchNews": "false", "checkForUpdates": False},
    )
    _write_json(
        settings_dir / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings",
        {"autoStartDefaultKernel": True, "windowingMode": "none"},
    )


def _stop_process_group(process: subprocess.Popen) -> None:
    """SIGTERM the server's process group (the server then shuts its kernels down), wait,
    SIGKILL whatever is left, including kernels (they run in sessions of their own)."""
    if process.poll() is not None:
        return
    try:
        import psutil

        descendants = psutil.Process(process.pid).children(recursive=True)
    except Exception:  # psutil missing or process gone
        descendants = []
    try:
        os.killpg(process.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait(timeout=10)
    for child in descendants:
        try:
            if child.is_running():
                child.kill()
        except Exception:
            pass


def _start_server(home: Path, root_dir: Path) -> LabServer:
    env = _lab_environment(home)
    _write_lab_settings(Path(env["JUPYTERLAB_SETTINGS_DIR"]))
    token = secrets.token_hex(24)
    last_error = ""
    for attempt in range(3):  # a free port can be taken between probing and binding
        port = _free_port()
        log_path = home / f"server-{attempt}.log"
        command = [
            sys.executable,
            "-m",
            "jupyterlab",
            "--no-browser",
            "--allow-root",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}",
            f"--ServerApp.root_dir={root_dir}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
            "--LabApp.extension_manager=readonly",
        ]
        with open(log_path, "wb") as log:
            process = subprocess.Popen(
                command,
                cwd=root_dir,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # own process group, stopped with os.killpg
            )
        server = LabServer(f"http://127.0.0.1:{port}", token, root_dir, log_path, process)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while time.monotonic() < deadline and process.poll() is None:
            try:
                server.api("/api/status")
                return server
            except (OSError, urllib.error.URLError, ValueError):
                time.sleep(0.25)
        last_error = server.log_tail()
        _stop_process_group(process)
        if "address already in use" not in last_error.lower():
            break
    raise RuntimeError(f"JupyterLab did not start; its log ends with:\n{last_error}")


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory) -> LabServer:
    """A JupyterLab serving cleared copies of the notebooks; stopped at the end of the session."""
    home = tmp_path_factory.mktemp("jupyterlab")
    root_dir = home / "notebooks"
    _copy_notebooks_cleared(notebook_paths(), root_dir)
    server = _start_server(home, root_dir)
    try:
        yield server
    finally:
        _stop_process_group(server.process)
        shutil.rmtree(home, ignore_errors=True)


# --------------------------------------------------------------------------------------------
# Browser


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium driven by Playwright for the whole session."""
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        playwright.stop()


def _block_non_loopback(route) -> None:
    host = urllib.parse.urlsplit(route.request.url).hostname or ""
    if host in LOOPBACK_HOSTS or host.startswith("127."):
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def lab_page(browser, lab_server):
    """A fresh browser context and page (offline: only loopback requests pass); afterwards
    the page is closed and the kernels it started are shut down, also when the test failed."""
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    context.route("**/*", _block_non_loopback)
    page = context.new_page()
    page.console_errors = []  # kept for failure messages
    page.on("pageerror", lambda exc: page.console_errors.append(f"pageerror: {exc}"))
    page.on(
        "console",
        lambda msg: page.console_errors.append(f"console.{msg.type}: {msg.text}")
        if msg.type == "error"
        else None,
    )
    try:
        yield page
    finally:
        try:
            context.close()
        finally:
            lab_server.shutdown_kernels()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = artifacts_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def browser_summary(artifacts):
    """Rows (one per notebook) written to ``<artifacts>/summary.txt`` at the end of the session."""
    rows: list[str] = []
    yield rows
    if rows:
        header = f"browser suite, {time.strftime('%Y-%m-%d %H:%M:%S')}, notebooks from {notebook_dir()}"
        (artifacts / "summary.txt").write_text("\n".join([header, *rows]) + "\n")
