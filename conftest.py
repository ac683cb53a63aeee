"""pytest configuration shared by the unit tests and nbval.

nbval starts notebook kernels from this process's environment (``--nbval-current-env``), so
the settings that make notebook outputs reproducible are fixed here, before any kernel
starts: the default dataset, the CIFAR-10 course subset (the stored outputs were made on
it), a fixed hash seed (set iteration order) and the inline figure backend.
"""

import os

os.environ["COURSE_DATASET"] = "cifar10-course"
os.environ["PYTHONHASHSEED"] = "0"
os.environ.pop("MPLBACKEND", None)
