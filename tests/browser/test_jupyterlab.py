"""Every notebook, run in a real JupyterLab in a real (headless) browser, shows what it should.

nbval proves that a notebook's Python runs; it cannot see a widget that fails to render or a
figure that never appears. For each notebook (one test per file) this suite opens it in
JupyterLab, runs all cells ("Run All" from the Run menu, as a student would), waits until the
kernel is idle and checks:

- no error in any output, nested widget outputs included: a traceback or an ``XxxError:``
  line fails the test; warnings printed on stderr do not;
- every widget view renders: a notebook that uses ipywidgets (or ``course_lib.demos``) shows
  at least one widget view, each view has ``widget-*`` DOM nodes, and the text
  "Error displaying widget" appears nowhere;
- every figure output (``image/*``) is an ``<img>`` and every output image has a non-zero
  natural size;
- in every cell whose widget has a slider, moving the first slider (keyboard focus on its
  handle, three arrow presses) changes the cell's displayed output (image or text; the
  slider's own read-out does not count) without errors.

One full-page screenshot per notebook goes to ``artifacts/browser/<notebook>.png`` (the
viewport is made as tall as the notebook, up to 32000 px) and a one-line result per notebook
to ``artifacts/browser/summary.txt``. Cells tagged ``raises-exception`` may show an error
(JupyterLab's Run All continues after them, as nbval does). The notebook is opened with
JupyterLab's windowing mode "none", so every cell is in the DOM and can be inspected. Fixtures and the
environment variables that configure the suite (notebook folder, artifacts folder,
Chromium path, timeout) and the parametrisation are in ``conftest.py``. Run it alone with::

    cd /work/main && python -m pytest tests/browser -m browser -o addopts="" -q
"""

from __future__ import annotations

import hashlib
import json
import re
import time
import urllib.parse
from pathlib import Path

import pytest

from axe import describe, failing, missing_axe, run_axe, write_report

pytestmark = pytest.mark.browser

ARROW_PRESSES = 3
SLIDER_CHANGE_TIMEOUT = 20.0
RENDER_TIMEOUT = 20.0
MAX_SCREENSHOT_HEIGHT = 32000

PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"

# An error output (IPython traceback, or `Name: message` of an exception) as opposed to a
# warning printed on stderr (`path:line: SomeWarning: message`).
ERROR_PATTERN = re.compile(
    r"Traceback \(most recent call last\)"
    r"|^\s*(?:[A-Za-z_][\w]*\.)*[A-Za-z_]\w*(?:Error|Exception|Interrupt|Exit)\b(?::|\s*$)"
    r"|^Javascript Error:",
    re.MULTILINE,
)

# The notebook's state, read in the page: per code cell its prompt and outputs.
STATE_JS = """
(panelSelector) => {
  const panel = document.querySelector(panelSelector);
  if (!panel) return null;
  const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const cells = [...panel.querySelectorAll('.jp-Notebook .jp-Cell')];
  const result = {status: indicator ? indicator.dataset.status : null, cells: []};
  cells.forEach((cell, index) => {
    if (!cell.classList.contains('jp-CodeCell')) return;
    const prompt = cell.querySelector('.jp-InputPrompt');
    const source = cell.querySelector('.cm-content');
    const outputs = [...cell.querySelectorAll('.jp-OutputArea-output')].map(o => ({
      // JupyterLab's standard renderers set data-mime-type; the widget renderer does not.
      mime: o.dataset.mimeType || 'application/vnd.jupyter.widget-view+json',
      text: (o.innerText || o.textContent || '').slice(0, 4000),
      widgetNodes: o.querySelectorAll('[class*="widget-"]').length,
      imgs: o.querySelectorAll('img').length,
    }));
    const imgs = [...cell.querySelectorAll('.jp-OutputArea img')].map(img => ({
      complete: img.complete,
      width: img.naturalWidth,
      height: img.naturalHeight,
    }));
    const area = cell.querySelector('.jp-Cell-outputArea') || cell;
    const sliders = [...cell.querySelectorAll('.widget-slider')].filter(
      s => s.querySelector('.noUi-handle, input[type=range]') && !s.querySelector('[disabled]')
    ).length;
    result.cells.push({
      index: index + 1,
      prompt: prompt ? prompt.textContent.trim() : '',
      source: source ? source.innerText.split('\\n')[0].slice(0, 80) : '',
      outputs, imgs, sliders,
      errorDisplaying: (area.textContent || '').includes('Error displaying widget'),
    });
  });
  return result;
}
"""

# What the output area of cell `index` (1-based, all cells) shows, slider controls removed.
SIGNATURE_JS = """
([panelSelector, index]) => {
  const cell = document.querySelectorAll(panelSelector + ' .jp-Notebook .jp-Cell')[index - 1];
  const area = cell.querySelector('.jp-Cell-outputArea') || cell;
  const clone = area.cloneNode(true);
  clone.querySelectorAll('.widget-slider, .widget-readout, input').forEach(n => n.remove());
  const imgs = [...area.querySelectorAll('img')].map(i => i.src);
  const loading = [...area.querySelectorAll('img')].some(i => !i.complete);
  return {text: clone.textContent, imgs, loading};
}
"""


def _read_code(path: Path) -> list[tuple[int, str, list[str]]]:
    """(1-based index among all cells, source, tags) of every code cell of the notebook file."""
    nb = json.loads(path.read_text())
    cells = []
    for index, cell in enumerate(nb["cells"], start=1):
        if cell["cell_type"] == "code":
            source = cell["source"]
            source = "".join(source) if isinstance(source, list) else source
            cells.append((index, source, list(cell.get("metadata", {}).get("tags", []))))
    return cells


def _uses_widgets(path: Path) -> bool:
    """Whether the notebook's code builds widgets (so at least one widget view must show)."""
    code = "\n".join(source for _, source, _ in _read_code(path))
    return bool(re.search(r"\bipywidgets\b|\bdemos\b|_widget\(", code))


def _expected_error_cells(path: Path) -> set[int]:
    """Cells tagged ``raises-exception``: their error is part of the lesson (JupyterLab's Run
    All continues after them, as nbval does)."""
    return {index for index, _, tags in _read_code(path) if "raises-exception" in tags}


def _state(page) -> dict:
    return page.evaluate(STATE_JS, PANEL)


def _wait_until(page, predicate, timeout: float, interval: float = 0.25, stable: float = 0.0):
    """Poll ``predicate`` until it returns a truthy value (held for ``stable`` seconds).

    Waits with ``page.wait_for_timeout``, never ``time.sleep``: Playwright's sync API runs
    its event loop (and so the route handler that lets loopback requests through) only while
    it is called; a sleeping test would stall every request of the page.
    """
    deadline = time.monotonic() + timeout
    since = None
    value = None
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            since = since or time.monotonic()
            if time.monotonic() - since >= stable:
                return value
        else:
            since = None
        page.wait_for_timeout(interval * 1000)
    return None


def _is_error_text(text: str) -> bool:
    return bool(ERROR_PATTERN.search(text))


def _cell_label(cell: dict) -> str:
    return f"cell {cell['index']} ({cell['source']!r})"


def _problems(state: dict, needs_widgets: bool, expected_errors: set[int] = frozenset()) -> list[str]:
    """Everything a student would see as broken (errors in ``expected_errors`` cells excepted)."""
    problems = []
    widget_views = 0
    for cell in state["cells"]:
        label = _cell_label(cell)
        if cell["errorDisplaying"]:
            problems.append(f"{label}: 'Error displaying widget'")
        for out in cell["outputs"]:
            mime = out["mime"]
            if mime == "application/vnd.jupyter.stderr" and _is_error_text(out["text"]):
                if cell["index"] in expected_errors:
                    continue
                problems.append(f"{label}: error output:\n{out['text'][-1500:]}")
            elif mime == "application/vnd.jupyter.widget-view+json":
                widget_views += 1
                if out["widgetNodes"] == 0:
                    problems.append(f"{label}: widget view without widget-* DOM nodes")
            elif mime.startswith("image/") and out["imgs"] == 0:
                problems.append(f"{label}: {mime} output is not an <img>")
        for i, img in enumerate(cell["imgs"]):
            if not (img["complete"] and img["width"] > 0 and img["height"] > 0):
                problems.append(f"{label}: image {i} has natural size {img['width']}x{img['height']}")
    if needs_widgets and widget_views == 0:
        problems.append("the notebook uses ipywidgets but no widget view was displayed")
    return problems


def _wait_kernel_ready(page, lab_server, name: str, timeout: float = 90.0) -> None:
    """Wait until the notebook's kernel exists on the server and the page is connected to it.

    The page's execution indicator says "idle" before any kernel exists, then goes through
    initializing/connecting/unknown: so the server's session list is asked first, and the
    page's indicator must then stay idle for a moment.
    """

    def server_kernel_idle():
        sessions = lab_server.api("/api/sessions") or []
        return any(
            s.get("path") == name and (s.get("kernel") or {}).get("execution_state") == "idle"
            for s in sessions
        )

    if not _wait_until(page, server_kernel_idle, timeout, interval=0.3):
        pytest.fail(f"no idle kernel for {name} within {timeout:.0f} s:\n{lab_server.log_tail()}")
    if not _wait_until(page, lambda: (_state(page) or {}).get("status") == "idle", timeout, stable=0.75):
        pytest.fail(f"the page did not connect to the kernel of {name} within {timeout:.0f} s")


def _run_all(page, timeout: float, expected_errors: set[int]) -> dict:
    """Run all cells from the Run menu and wait for the kernel to go idle; returns the state."""
    page.locator(f"{PANEL} .jp-Notebook .jp-Cell .jp-InputPrompt").first.click()
    page.locator(".lm-MenuBar-item", has_text=re.compile(r"^\s*Run\s*$")).click()
    page.locator("li[data-command='runmenu:run-all']").click()

    def finished():
        state = _state(page)
        if not state or state["status"] != "idle":
            return None
        prompts = [c["prompt"] for c in state["cells"]]
        if any("*" in p for p in prompts):
            return None
        all_ran = all(re.fullmatch(r"\[\d+\]:", p) for p in prompts)
        errored = any(
            o["mime"] == "application/vnd.jupyter.stderr" and _is_error_text(o["text"])
            for c in state["cells"]
            if c["index"] not in expected_errors
            for o in c["outputs"]
        )
        return state if (all_ran or errored) else None

    state = _wait_until(page, finished, timeout, stable=1.0)
    if state is None:
        last = _state(page) or {}
        pending = [
            _cell_label(c) + " " + c["prompt"]
            for c in last.get("cells", [])
            if not re.fullmatch(r"\[\d+\]:", c["prompt"])
        ]
        pytest.fail(
            f"Run All did not finish within {timeout:.0f} s (kernel status "
            f"{last.get('status')!r}); cells not run: {pending[:5]}"
        )
    return state


def _wait_rendered(page) -> dict:
    """Wait until widget views have rendered and images have loaded."""

    def rendered():
        state = _state(page)
        for cell in state["cells"]:
            if any(not img["complete"] for img in cell["imgs"]):
                return None
            for out in cell["outputs"]:
                if (
                    out["mime"] == "application/vnd.jupyter.widget-view+json"
                    and out["widgetNodes"] == 0
                    and not cell["errorDisplaying"]
                ):
                    return None
        return state

    return _wait_until(page, rendered, RENDER_TIMEOUT, stable=0.5) or _state(page)


def _signature(page, index: int) -> str | None:
    sig = page.evaluate(SIGNATURE_JS, [PANEL, index])
    if sig["loading"]:
        return None
    digest = hashlib.sha256()
    digest.update(sig["text"].encode())
    for src in sig["imgs"]:
        digest.update(b"|" + src.encode())
    return digest.hexdigest()


def _move_slider(page, cell: dict) -> str | None:
    """Move the first slider of ``cell``; None if its output changed, else the problem."""
    cell_loc = page.locator(f"{PANEL} .jp-Notebook .jp-Cell").nth(cell["index"] - 1)
    slider = cell_loc.locator(".widget-slider").filter(
        has=page.locator(".noUi-handle, input[type=range]")
    ).first
    handle = slider.locator(".noUi-handle, input[type=range]").first
    handle.scroll_into_view_if_needed()
    before = _wait_until(page, lambda: _signature(page, cell["index"]), RENDER_TIMEOUT)
    value = handle.get_attribute("aria-valuenow") or handle.get_attribute("value")
    maximum = handle.get_attribute("aria-valuemax") or handle.get_attribute("max")
    key = "ArrowRight"
    try:
        if value is not None and maximum is not None and float(value) >= float(maximum):
            key = "ArrowLeft"
    except ValueError:
        pass
    def moved():
        now = handle.get_attribute("aria-valuenow") or handle.get_attribute("value")
        return now if now != value else None

    after_value = None
    for _attempt in range(2):  # a busy page may drop the first key presses: focus and press again
        handle.click()
        handle.focus()
        for _ in range(ARROW_PRESSES):
            handle.press(key)
        after_value = _wait_until(page, moved, 5.0)
        if after_value is not None:
            break
    if after_value is None:
        return f"{_cell_label(cell)}: {key} did not move the slider (value {value})"

    def changed():
        sig = _signature(page, cell["index"])
        return sig if sig is not None and sig != before else None

    if _wait_until(page, changed, SLIDER_CHANGE_TIMEOUT, stable=0.5) is None:
        return (
            f"{_cell_label(cell)}: moving the slider from {value} to {after_value} did not "
            f"change the displayed output within {SLIDER_CHANGE_TIMEOUT:.0f} s"
        )
    return None


def _collapse_left_sidebar(page) -> None:
    tab = page.locator(".jp-SideBar.jp-mod-left .lm-TabBar-tab.lm-mod-current")
    if tab.count():
        tab.first.click()


def _screenshot(page, path: Path) -> None:
    """A screenshot of the whole notebook: the viewport is made as tall as its content."""
    height = page.evaluate(
        """(panelSelector) => {
            const outer = document.querySelector(panelSelector + ' .jp-WindowedPanel-outer');
            const cells = document.querySelectorAll(panelSelector + ' .jp-Notebook .jp-Cell');
            if (!outer || !cells.length) return 0;
            const last = cells[cells.length - 1].getBoundingClientRect().bottom;
            return Math.ceil(last + outer.scrollTop + 80);
        }""",
        PANEL,
    )
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": max(900, min(height, MAX_SCREENSHOT_HEIGHT))})
    page.wait_for_timeout(500)
    page.evaluate(
        "(s) => { const o = document.querySelector(s + ' .jp-WindowedPanel-outer'); if (o) o.scrollTop = 0; }",
        PANEL,
    )
    page.screenshot(path=str(path), full_page=True)


def _summary_row(name, state, problems, moved, slider_cells, run_seconds, seconds, screenshot):
    cells = (state or {}).get("cells", [])
    views = sum(
        o["mime"] == "application/vnd.jupyter.widget-view+json" for c in cells for o in c["outputs"]
    )
    images = sum(len(c["imgs"]) for c in cells)
    return (
        f"{name}: {'FAIL' if problems else 'ok'}; {len(cells)} code cells, {views} widget views, "
        f"{images} images, sliders moved {moved}/{len(slider_cells)}; run all "
        + (f"{run_seconds:.1f} s" if run_seconds is not None else "unfinished")
        + f", total {seconds:.1f} s; screenshot {screenshot}"
    )


def test_notebook_runs_and_widgets_work_in_jupyterlab(
    notebook, lab_server, lab_page, artifacts, browser_summary, run_all_timeout
):
    page = lab_page
    start = time.monotonic()
    screenshot = artifacts / f"{notebook.stem}.png"
    workspace = re.sub(r"[^A-Za-z0-9_-]", "-", notebook.stem)
    url = f"/lab/workspaces/browser-{workspace}/tree/{urllib.parse.quote(notebook.name)}"
    state, problems, slider_cells, moved, run_seconds = None, [], [], 0, None
    try:
        page.goto(lab_server.url(url))
        page.wait_for_selector(f"{PANEL} .jp-Notebook .jp-Cell", timeout=60_000)
        _wait_kernel_ready(page, lab_server, notebook.name)
        _collapse_left_sidebar(page)

        expected_errors = _expected_error_cells(notebook)
        state = _run_all(page, run_all_timeout, expected_errors)
        run_seconds = time.monotonic() - start
        state = _wait_rendered(page)
        problems = _problems(state, _uses_widgets(notebook), expected_errors)

        slider_cells = [c for c in state["cells"] if c["sliders"]]
        if not problems:
            for cell in slider_cells:
                problem = _move_slider(page, cell)
                if problem:
                    problems.append(problem)
                else:
                    moved += 1
            state = _wait_rendered(page)
            problems += [p for p in _problems(state, False, expected_errors) if p not in problems]
        if missing_axe() is None:
            violations = run_axe(page, PANEL)
            write_report(artifacts / f"axe-lab-{notebook.stem}.json", violations)
            if failing(violations):
                problems.append("axe-core, serious or critical:\n" + describe(failing(violations)))
    except BaseException:
        problems = problems or ["(see the exception)"]
        raise
    finally:
        try:
            _screenshot(page, screenshot)
        finally:
            browser_summary.append(
                _summary_row(
                    notebook.name, state, problems, moved, slider_cells, run_seconds,
                    time.monotonic() - start, screenshot,
                )
            )

    if problems:
        console = "\n".join(page.console_errors[-10:]) or "(none)"
        pytest.fail(
            f"{notebook.name} in JupyterLab ({len(problems)} problems; screenshot {screenshot}):\n- "
            + "\n- ".join(problems)
            + f"\nlast browser console errors:\n{console}"
        )
