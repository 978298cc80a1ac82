"""secondme: a private second me in the terminal."""

import os

# The decoder needs every core while it writes. numpy's BLAS threads spin for a while after each
# call and steal them (measured: decode -9 % right after a recall), and a 10k x 384 scan is
# sub-millisecond on one thread anyway. Must be set before numpy is first imported.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
