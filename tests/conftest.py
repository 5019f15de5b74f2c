"""Suite-wide setup that must happen before NumPy is imported.

The models here are small: BLAS runs them fastest on one thread, and with one pytest-xdist
worker per core more threads only fight over the cores (an autoencoder test took 22 s of
CPU with two BLAS threads, 6 s with one). The CLI pins this too, but tests import NumPy
before any CLI code runs. A value the user set is kept.
"""

import os

for _variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_variable, "1")

# A NO_COLOR the machine sets (some CI images and shells do) would draw every test's app in
# shading characters: the screenshots and colour checks assume colour. The tests that check
# NO_COLOR set it themselves (tests/app/test_looks_and_files.py).
os.environ.pop("NO_COLOR", None)
