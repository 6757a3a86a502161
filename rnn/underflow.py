"""Keep backpropagated gradients out of the subnormal range, where the CPU is ~30-150× slower.

Over a long window the gradient carried back through time shrinks step by step (the vanishing
gradient of the seed text). In float32 a good share of it ends below 1.2e-38, the smallest
normal number, and every matmul that touches such *subnormal* values runs at a fraction of its
speed (measured here: 64×256 by 256×256, 62 µs normal, 9.9 ms all subnormal, 1.9 ms with 10 %).

``flush_tiny_(a)`` rounds every element of ``a`` to a multiple of ULP = 2^-83 ≈ 1.0e-25 where it
is that small, in place, with two additions and no temporary array:

    a + S - S,  S = 2^-60:  |a| < ULP/2 gives exactly 0; any other a moves by at most ULP/2
                            (or by its own float rounding, if that is larger).

Why this is harmless: the loss gradients it acts on start near 2e/n ~ 1e-3 and the weight
gradients are sums of products with |h| <= 1 (tanh, sigmoid); one flushed step changes each
weight-gradient entry by at most batch·ULP/2 ~ 3e-24, some 10^13 times below the float32
rounding of a 1e-3 gradient (6e-11). Adding a normal number to a subnormal one is fast; only
products are slow, so the flush itself costs about one elementwise pass.
"""

SHIFT = 2.0**-60  # S: a + S - S rounds a to a multiple of ulp(S) = 2^-83
ULP = 2.0**-83    # the flush granularity: the largest change to any element is ULP / 2


def flush_tiny_(a):
    """Set every |a| < 2^-84 (≈5e-26) to zero in place; others move by <= max(2^-84, 1 ulp)."""
    a += SHIFT  # rounds a to a multiple of ulp(SHIFT) (numpy casts SHIFT to a's dtype)
    a -= SHIFT  # exact (Sterbenz) when a + S is within a factor 2 of S
    return a
