"""axe-core, run in a page of the browser suite: the accessibility rules the suite enforces.

axe-core comes from the npm registry (``npm ci --prefix tests/browser`` installs the version
pinned in ``package.json``; no CDN). Only the course's own content is checked: rendered
Markdown and cell outputs (figures, tables, widgets, text). JupyterLab's chrome and
nbconvert's template are not the course's to fix and are left out of the context.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_AXE = HERE / "node_modules" / "axe-core" / "axe.min.js"
# Impacts that fail a test; "moderate" and "minor" are reported only.
FAILING_IMPACTS = ("serious", "critical")
# What the course writes: Markdown cells and outputs (in JupyterLab and in nbconvert's lab template).
CONTENT_SELECTORS = (".jp-MarkdownOutput", ".jp-OutputArea-output")
# Rules about the theme's styling rather than the content: JupyterLab's and nbconvert's themes
# colour links without underlining them, whatever the notebook writes. Reported, never failing.
THEME_RULES = ("link-in-text-block",)
# Nodes the widget library draws, whatever the course asks of it: ipywidgets' sliders use
# noUiSlider, whose handle (role="slider") has no aria-label; the course's name for the slider
# is its visible description label beside it (noUiSlider issue #1223). Reported, never failing.
LIBRARY_NODES = {"aria-input-field-name": 'class="noUi-handle'}


def axe_path() -> Path:
    """The axe-core script (``COURSE_AXE_JS``, default tests/browser/node_modules/…)."""
    return Path(os.environ.get("COURSE_AXE_JS", DEFAULT_AXE))


def missing_axe() -> str | None:
    """Why axe cannot run here, or None."""
    if not axe_path().is_file():
        return f"axe-core not found at {axe_path()} (run: npm ci --prefix tests/browser)"
    return None


def run_axe(page, scope: str = "") -> list[dict]:
    """Run axe on the course content under ``scope`` (a CSS selector prefix) in ``page``.

    Returns the violations as axe reports them (id, impact, help, nodes).
    """
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_path()))
    include = [[f"{scope} {sel}".strip()] for sel in CONTENT_SELECTORS]
    return page.evaluate(
        """async (include) => {
             const present = include.filter(sel => document.querySelector(sel[0]));
             if (!present.length) return [];
             const result = await axe.run({include: present}, {resultTypes: ['violations']});
             return result.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
               nodes: v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 200),
                                        summary: n.failureSummary}))}));
           }""",
        include,
    )


def _course_nodes(violation: dict) -> list[dict]:
    marker = LIBRARY_NODES.get(violation["id"])
    return [n for n in violation["nodes"] if not (marker and marker in n["html"])]


def failing(violations: list[dict]) -> list[dict]:
    """The serious or critical violations the course's own content causes."""
    bad = []
    for v in violations:
        nodes = _course_nodes(v)
        if v["impact"] in FAILING_IMPACTS and v["id"] not in THEME_RULES and nodes:
            bad.append({**v, "nodes": nodes})
    return bad


def describe(violations: list[dict], limit: int = 3) -> str:
    """One paragraph per violation: rule, impact, the first few nodes."""
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} node(s)")
        for node in v["nodes"][:limit]:
            lines.append(f"    {node['target']}: {node['html']}")
            if node.get("summary"):
                lines.append("      " + node["summary"].replace("\n", "\n      "))
    return "\n".join(lines)


def write_report(path: Path, violations: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(violations, indent=1, ensure_ascii=False) + "\n")
