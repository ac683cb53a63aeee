"""Build the CIFAR-10 course subset that ships in course_lib/data/cifar10_course/.

    python tools/build_course_subset.py [--sample-dir DIR] [--out DIR]

Reads the shared CIFAR-10 sample (binary layout, see its README), picks with a fixed seed 400
training images per class from data_batch_1.bin and 100 test images per class from
test_batch.bin, and writes train.png and test.png (lossless sprite sheets, 100 images of
32 × 32 per row) and labels.json (class names, labels, where each image came from). It prints
the SHA-256 of every file it wrote: copy them into COURSE_SUBSET_SHA256 in
course_lib/datasets.py. The same sample gives byte-identical files on every run.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import sys
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # run as a script from a clone: import the project's course_lib

from course_lib.datasets import (  # noqa: E402
    CIFAR10_CLASS_NAMES, COURSE_SUBSET_DIR, COURSE_SUBSET_FILES, read_cifar10_batch,
)

SEED = 0
TRAIN_PER_CLASS = 400
TEST_PER_CLASS = 100
IMAGES_PER_ROW = 100
DEFAULT_SAMPLE = ROOT.parent / "shared" / "data" / "cifar-10-sample"


def sha256(path: Path) -> str:
    """The SHA-256 of a file, as 64 hex digits."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


def pick(y: np.ndarray, per_class: int, rng: np.random.Generator) -> np.ndarray:
    """Indices of ``per_class`` images of every class, in rounds of one image per class.

    Each round holds the 10 classes in a fresh random order, so any prefix of N images has
    N // 10 or N // 10 + 1 images of each class.
    """
    rounds = np.stack([rng.choice(np.flatnonzero(y == c), per_class, replace=False)
                       for c in range(len(CIFAR10_CLASS_NAMES))], axis=1)  # (per_class, 10)
    return rng.permuted(rounds, axis=1).ravel()


def sprite_png(X: np.ndarray) -> bytes:
    """Images (N, 32, 32, 3) as one PNG, IMAGES_PER_ROW images per row (N a multiple of it)."""
    rows = len(X) // IMAGES_PER_ROW
    sheet = X.reshape(rows, IMAGES_PER_ROW, 32, 32, 3).transpose(0, 2, 1, 3, 4)
    buffer = io.BytesIO()
    Image.fromarray(sheet.reshape(rows * 32, IMAGES_PER_ROW * 32, 3)).save(
        buffer, format="PNG", optimize=True, compress_level=9)
    return buffer.getvalue()


def labels_json(y_train, y_test, train_idx, test_idx, sources: dict) -> str:
    """labels.json: one key a line, each value in compact JSON."""
    meta = {
        "class_names": list(CIFAR10_CLASS_NAMES),
        "train_labels": y_train.tolist(),
        "test_labels": y_test.tolist(),
        "provenance": {
            "source": "shared CIFAR-10 sample (a public JPEG re-encoding of CIFAR-10, binary layout)",
            "source_files": sources,
            "seed": SEED,
            "counts": {"train": len(y_train), "test": len(y_test),
                       "train_per_class": TRAIN_PER_CLASS, "test_per_class": TEST_PER_CLASS},
            "images_per_row": IMAGES_PER_ROW,
            "builder": "tools/build_course_subset.py",
            "citation": "Alex Krizhevsky, Learning Multiple Layers of Features from Tiny Images, "
                        "technical report, University of Toronto, 2009",
        },
        # record numbers in data_batch_1.bin / test_batch.bin, image by image
        "train_source_records": train_idx.tolist(),
        "test_source_records": test_idx.tolist(),
    }
    return "{\n" + ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in meta.items()) + "\n}\n"


def build(sample_dir: Path, out: Path) -> dict[str, str]:
    """Write the three files into ``out``; returns {file name: SHA-256}."""
    batches = sample_dir / "cifar-10-batches-bin"
    batches = batches if batches.is_dir() else sample_dir
    train_file, test_file = batches / "data_batch_1.bin", batches / "test_batch.bin"
    X_train, y_train = read_cifar10_batch(train_file)
    X_test, y_test = read_cifar10_batch(test_file)
    rng = np.random.default_rng(SEED)
    train_idx = pick(y_train, TRAIN_PER_CLASS, rng)
    test_idx = pick(y_test, TEST_PER_CLASS, rng)
    sources = {f.name: sha256(f) for f in (train_file, test_file)}
    out.mkdir(parents=True, exist_ok=True)
    (out / "train.png").write_bytes(sprite_png(X_train[train_idx]))
    (out / "test.png").write_bytes(sprite_png(X_test[test_idx]))
    (out / "labels.json").write_text(
        labels_json(y_train[train_idx], y_test[test_idx], train_idx, test_idx, sources),
        encoding="utf-8", newline="\n")
    return {name: sha256(out / name) for name in COURSE_SUBSET_FILES}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sample-dir", type=Path,
                        default=Path(os.environ.get("COURSE_CIFAR10_SAMPLE") or DEFAULT_SAMPLE),
                        help="folder holding cifar-10-batches-bin/ (default: $COURSE_CIFAR10_SAMPLE, "
                             "else ../shared/data/cifar-10-sample)")
    parser.add_argument("--out", type=Path, default=COURSE_SUBSET_DIR,
                        help="output folder (default: course_lib/data/cifar10_course)")
    args = parser.parse_args(argv)
    hashes = build(args.sample_dir, args.out)
    total = sum((args.out / name).stat().st_size for name in hashes)
    for name, digest in hashes.items():
        print(f"{digest}  {name}  ({(args.out / name).stat().st_size:,} bytes)")
    print(f"total: {total:,} bytes in {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
