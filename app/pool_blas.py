"""Imported first by the pool's fork server (app/pool_processes.py), never by the server: BLAS at
one thread in every job's process. The pool's parallelism is one process per job; BLAS threads
inside each would only fight over the same cores. Must run before numpy is imported."""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"
