"""The course's performance report in one run: every figure as a ratio to a named reference.

    python benchmarks/report.py                                         # a few minutes on 2 cores
    python benchmarks/report.py --cifar10 ../shared/data/cifar-10-sample   # plus the CIFAR-10 table

Sections (each a script of its own in this folder, run here in a fresh process):
1. the notebook series on the default dataset: wall time and peak kernel memory per notebook
   (bench_series.py, through tools/run_notebooks.py; reference: 15 s and 500 MB per notebook);
2. L2 distances: course_lib.large_scale vs scikit-learn's ``euclidean_distances`` and vs this
   machine's bare float32 GEMM (goal ≥ 60 % of its rate), and k-NN's bounded memory
   (bench_distances.py);
3. vectorised vs naive losses (bench_losses.py; reference: the naive loops);
4. numerical gradients and minibatch SGD steps (bench_optim.py);
5. widget redraw latency (bench_widgets.py; reference: 100 ms per redraw);
6. with ``--cifar10 FOLDER`` only: accuracies next to CS231n's (cifar10_results.py results).
Exit status 1 if a section's script failed.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def sections(cifar10: str | None) -> list[tuple[str, list[str]]]:
    """(title, command) of every section to run."""
    python = sys.executable
    runs = [
        ("1. notebook series, default dataset", [python, str(HERE / "bench_series.py")]),
        ("2. L2 distances vs scikit-learn and the GEMM rate; k-NN memory", [python, str(HERE / "bench_distances.py")]),
        ("3. losses: vectorised vs naive", [python, str(HERE / "bench_losses.py")]),
        ("4. gradients and SGD steps", [python, str(HERE / "bench_optim.py")]),
        ("5. widget redraw latency", [python, str(HERE / "bench_widgets.py")]),
    ]
    if cifar10 is not None:
        runs.append(("6. CIFAR-10 accuracies vs CS231n",
                     [python, str(HERE / "cifar10_results.py"), "--data-dir", cifar10, "results"]))
    return runs


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cifar10", metavar="FOLDER", default=None,
                        help="also print the CIFAR-10 results table from the batches in FOLDER")
    args = parser.parse_args(argv)
    failed = []
    for title, command in sections(args.cifar10):
        print(f"\n== {title}", flush=True)
        if subprocess.run(command).returncode != 0:
            failed.append(title)
    if failed:
        print(f"\nfailed: {'; '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
