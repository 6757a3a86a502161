"""Keep backpropagated gradients out of the subnormal range, where the CPU is ~30-150× slower.

Over a long window the gradient carried back through time shrinks step by step (the vanishing
gradient of the seed text). In float32 a good share of it ends below 1.2e-38, the smallest
normal number, and every matmul that touches such *subnormal* values runs at a fraction of its
speed (measured here: 64×256 by 256×256, 62 µs normal, 9.9 ms all subnormal, 1.9 ms with 10 %;
inside training at hidden 256, window 60: 257 ms per step instead of 26 ms).

``flush_tiny_(a)`` adds and subtracts S = 2^-60 in place: two additions, no temporary array.
``a + S`` rounds ``a`` to a multiple of ulp(S) (float32: 2^-83 ≈ 1.0e-25), so

    |a| < ulp(S)/4 (float32 2.6e-26)  becomes exactly 0 (up to ulp(S)/2 for positive a),
    every other a moves by at most max(ulp(S)/2, ulp(a)); float32 |a| >= 2^-35 does not move at all.

Why this is harmless: the loss gradients it acts on start near 2e/n ~ 1e-3 and the weight
gradients are sums of products with |h| <= 1 (tanh, sigmoid); one flushed step changes each
weight-gradient entry by at most batch·ulp(S)/2 ~ 3e-24, some 10^13 times below the float32
rounding of a 1e-3 gradient (6e-11). In float64 ulp(S) = 2^-112 ≈ 1.9e-34, far below anything
the finite-difference checks can see. Adding a normal number to a subnormal one is fast (only
products are slow), so the flush costs about one elementwise pass per step.
"""

import numpy as np

SHIFT = 2.0**-60  # S: a + S - S rounds a to a multiple of ulp(S)


def granularity(dtype):
    """ulp(S) in ``dtype``: the step ``flush_tiny_`` rounds small values to (float32: 2^-83)."""
    return float(np.spacing(np.dtype(dtype).type(SHIFT)))


def flush_tiny_(a):
    """In place: |a| < granularity/4 -> 0, others move by <= max(granularity/2, ulp(a))."""
    a += SHIFT  # rounds a to a multiple of ulp(SHIFT) (numpy casts SHIFT to a's dtype)
    a -= SHIFT  # exact (Sterbenz) when a + S is within a factor 2 of S
    return a
