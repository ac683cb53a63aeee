"""axe-core on every notebook's nbconvert HTML export, as a reader of the exported course sees it.

Each committed (executed) notebook is exported with ``jupyter nbconvert --to html`` (lab
template) into a temporary folder, opened in headless Chromium with every non-local request
blocked, and checked with axe-core on the course's own content (rendered Markdown and
outputs; see ``axe.py``). Serious or critical violations fail the test; every violation is
written to ``artifacts/browser/axe-html-<notebook>.json``. The same check on a JupyterLab
page with the notebook executed runs inside ``test_jupyterlab.py``.
"""

from __future__ import annotations

import pytest

from axe import describe, failing, missing_axe, run_axe, write_report

pytestmark = pytest.mark.browser


@pytest.fixture(scope="session")
def html_exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab")


def test_exported_html_has_no_serious_accessibility_violations(
    notebook, browser, html_exporter, tmp_path, artifacts
):
    reason = missing_axe()
    if reason:
        pytest.skip(reason)
    import nbformat

    body, _ = html_exporter.from_notebook_node(nbformat.read(notebook, as_version=4))
    html = tmp_path / f"{notebook.stem}.html"
    html.write_text(body, encoding="utf-8")

    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route("http*://**/*", lambda route: route.abort())  # offline: the export is one file
    try:
        page = context.new_page()
        page.goto(html.as_uri(), wait_until="load")
        violations = run_axe(page)
    finally:
        context.close()
    write_report(artifacts / f"axe-html-{notebook.stem}.json", violations)
    bad = failing(violations)
    assert not bad, f"{notebook.name} exported to HTML:\n" + describe(bad)
