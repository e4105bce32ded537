"""Kernel Inception Distance (KID): unbiased MMD^2 with a cubic kernel.

Bińkowski, Sutherland, Arbel & Gretton, "Demystifying MMD GANs", ICLR
2018, section 5 ("KID") and appendix D: the squared maximum mean
discrepancy between the feature distributions with the polynomial kernel

    k(x, y) = (x^T y / d + 1)^3,

estimated without bias (Gretton et al. 2012, eq. 3, the U-statistic):

    MMD^2_u = sum_{i != j} k(x_i, x_j) / (m (m - 1))
            + sum_{i != j} k(y_i, y_j) / (n (n - 1))
            - 2 sum_{i, j} k(x_i, y_j) / (m n).

Following the reference implementation, it is averaged over
`num_subsets` random subsets of `subset_size` samples from each set, and
the standard deviation over subsets is reported with it. Unlike the FID
it has no bias in the number of samples, so it can be negative.
"""

import numpy as np

from keras_aegan.metrics.features import to_float64


def polynomial_kernel(x, y, degree=3, gamma=None, coef0=1.0):
    """`(gamma x^T y + coef0)^degree`, with `gamma = 1 / d` by default."""
    gamma = 1.0 / x.shape[1] if gamma is None else gamma
    return (gamma * (x @ y.T) + coef0) ** degree


def unbiased_mmd2(features1, features2):
    """Unbiased MMD^2 (Gretton et al. 2012, eq. 3) with the KID kernel.

    Args:
        features1: array. Features `(m, d)`, `m >= 2`.
        features2: array. Features `(n, d)`, `n >= 2`.

    Returns:
        A Python float.
    """
    x = to_float64(features1)
    y = to_float64(features2)
    m, n = x.shape[0], y.shape[0]
    if m < 2 or n < 2:
        raise ValueError(
            f"Expected at least 2 samples per set. Received {m} and {n}."
        )
    k_xx = polynomial_kernel(x, x)
    k_yy = polynomial_kernel(y, y)
    k_xy = polynomial_kernel(x, y)
    term_xx = (k_xx.sum() - np.trace(k_xx)) / (m * (m - 1))
    term_yy = (k_yy.sum() - np.trace(k_yy)) / (n * (n - 1))
    return float(term_xx + term_yy - 2.0 * k_xy.mean())


def kernel_distance(
    features1, features2, num_subsets=100, subset_size=1000, seed=0
):
    """KID between two feature sets: mean and std over random subsets.

    Bińkowski et al. 2018, appendix D: each subset draws `subset_size`
    samples without replacement from each set.

    Args:
        features1: array. Features `(m, d)`, e.g. of real images.
        features2: array. Features `(n, d)`, e.g. of generated images.
        num_subsets: int. Number of subsets. Defaults to 100.
        subset_size: int. Samples per subset, capped at the smaller set.
            Defaults to 1000.
        seed: int. Seed of the subset draws. Defaults to 0.

    Returns:
        A tuple `(mean, std)` of Python floats.

    Example:
    ```python
    kid, kid_std = keras_aegan.metrics.kernel_distance(real_f, fake_f)
    ```
    """
    x = to_float64(features1)
    y = to_float64(features2)
    if x.shape[1] != y.shape[1]:
        raise ValueError(
            f"Expected features of the same size. Received {x.shape[1]} and "
            f"{y.shape[1]}."
        )
    size = min(int(subset_size), x.shape[0], y.shape[0])
    rng = np.random.default_rng(seed)
    values = np.empty(int(num_subsets))
    for i in range(int(num_subsets)):
        a = x[rng.choice(x.shape[0], size, replace=False)]
        b = y[rng.choice(y.shape[0], size, replace=False)]
        values[i] = unbiased_mmd2(a, b)
    return float(values.mean()), float(values.std())
