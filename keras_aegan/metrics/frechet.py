"""Fréchet distance between Gaussians fitted to features (FID and kin).

Heusel et al., "GANs Trained by a Two Time-Scale Update Rule Converge to a
Local Nash Equilibrium", NeurIPS 2017, eq. 6 (after Dowson & Landau 1982):

    d^2 = ||mu_1 - mu_2||^2 + Tr(S_1 + S_2 - 2 (S_1 S_2)^(1/2)).

With InceptionV3 pool3 features this is the FID; with any other extractor
it is a Fréchet distance *on that extractor's features* and is reported
under the extractor's name (see `metric_label`), never as "FID".
"""

import numpy as np

from keras_aegan.metrics.features import FeatureAccumulator

# Largest imaginary part (relative to the largest |eigenvalue| of the
# product) that `scipy.linalg.sqrtm` may leave on the diagonal of
# (S_1 S_2)^(1/2) before the result is refused, and largest negative
# eigenvalue (relative) tolerated by the symmetric eigenvalue form. Larger
# values mean the covariances are too ill-conditioned to trust: use more
# samples than feature dimensions.
IMAGINARY_TOLERANCE = 1e-3
NEGATIVE_EIGENVALUE_TOLERANCE = 1e-6


def _check_statistics(mean, cov, which):
    mean = np.asarray(mean, dtype=np.float64)
    cov = np.asarray(cov, dtype=np.float64)
    if mean.ndim != 1 or cov.shape != (mean.shape[0], mean.shape[0]):
        raise ValueError(
            f"Expected {which} statistics as a mean of shape (d,) and a "
            f"covariance of shape (d, d). Received shapes {mean.shape} and "
            f"{cov.shape}."
        )
    if not (np.all(np.isfinite(mean)) and np.all(np.isfinite(cov))):
        raise ValueError(f"The {which} statistics hold NaN or inf values.")
    return mean, cov


def _symmetric_sqrt(matrix):
    values, vectors = np.linalg.eigh(0.5 * (matrix + matrix.T))
    scale = max(float(np.max(np.abs(values))), np.finfo(np.float64).tiny)
    if values.min() < -NEGATIVE_EIGENVALUE_TOLERANCE * scale:
        raise ValueError(
            "A covariance has a negative eigenvalue "
            f"{values.min():.3e} (largest |eigenvalue| {scale:.3e}): it is "
            "not positive semi-definite."
        )
    return (vectors * np.sqrt(np.clip(values, 0.0, None))) @ vectors.T


def trace_sqrt_product(cov1, cov2, method="eigh"):
    """`Tr((S_1 S_2)^(1/2))` for two covariance matrices, in float64.

    Two ways are offered:

    - `"eigh"`: `S_1 S_2` is similar to the symmetric positive
      semi-definite `A = S_1^(1/2) S_2 S_1^(1/2)`, so the trace is
      `sum(sqrt(eig(A)))`, computed with `numpy.linalg.eigh`. Everything
      stays real; eigenvalues below zero by more than
      `NEGATIVE_EIGENVALUE_TOLERANCE` times the largest raise a
      `ValueError`, smaller ones (round-off) are clipped to zero. This is
      stable also for rank-deficient covariances (fewer samples than
      feature dimensions) and needs no SciPy.
    - `"sqrtm"`: `scipy.linalg.sqrtm(S_1 @ S_2)`, as in the reference FID
      code of Heusel et al. (TTUR) and `pytorch-fid`. If the result is not
      finite, `1e-6 I` is added to both covariances, as they do. The
      imaginary part left by round-off is dropped when the largest
      imaginary part on the diagonal is at most `IMAGINARY_TOLERANCE`
      times the largest |eigenvalue|; a larger one raises.

    Both agree to round-off on well-conditioned inputs (see the tests).

    Args:
        cov1: array. A `(d, d)` covariance.
        cov2: array. A `(d, d)` covariance.
        method: str. `"eigh"` or `"sqrtm"`. Defaults to `"eigh"`.

    Returns:
        A Python float.
    """
    cov1 = np.asarray(cov1, dtype=np.float64)
    cov2 = np.asarray(cov2, dtype=np.float64)
    if method == "eigh":
        root1 = _symmetric_sqrt(cov1)
        inner = root1 @ cov2 @ root1
        return float(np.trace(_symmetric_sqrt(inner)))
    if method != "sqrtm":
        raise ValueError(
            f"Expected method in ('eigh', 'sqrtm'). Received {method!r}."
        )
    from scipy import linalg

    product = cov1 @ cov2
    root = linalg.sqrtm(product)
    if not np.all(np.isfinite(root)):
        offset = np.eye(cov1.shape[0]) * 1e-6
        root = linalg.sqrtm((cov1 + offset) @ (cov2 + offset))
    if np.iscomplexobj(root):
        scale = max(
            float(np.max(np.abs(np.linalg.eigvals(product)))),
            np.finfo(np.float64).tiny,
        )
        imaginary = float(np.max(np.abs(np.diagonal(root).imag)))
        if imaginary > IMAGINARY_TOLERANCE * scale:
            raise ValueError(
                "scipy.linalg.sqrtm left an imaginary part of "
                f"{imaginary:.3e} on the diagonal (largest |eigenvalue| "
                f"{scale:.3e}): the covariances are too ill-conditioned. "
                "Use more samples, or method='eigh'."
            )
        root = root.real
    return float(np.trace(root))


def frechet_distance(mean1, cov1, mean2, cov2, method="eigh"):
    """Fréchet distance between `N(mean1, cov1)` and `N(mean2, cov2)`.

    Heusel et al. 2017, eq. 6:
    `||mu_1 - mu_2||^2 + Tr(S_1) + Tr(S_2) - 2 Tr((S_1 S_2)^(1/2))`,
    in float64. It is a squared distance: 0 for equal Gaussians.

    Args:
        mean1: array. Mean, shape `(d,)`.
        cov1: array. Covariance, shape `(d, d)`.
        mean2: array. Mean, shape `(d,)`.
        cov2: array. Covariance, shape `(d, d)`.
        method: str. How `Tr((S_1 S_2)^(1/2))` is computed, `"eigh"` or
            `"sqrtm"`; see `trace_sqrt_product`. Defaults to `"eigh"`.

    Returns:
        A Python float.

    Example:
    ```python
    import numpy as np
    d = keras_aegan.metrics.frechet_distance(
        np.zeros(2), np.eye(2), np.ones(2), 4 * np.eye(2)
    )  # 2 + (1 + 4 - 2 * 2) * 2 = 4
    ```
    """
    mean1, cov1 = _check_statistics(mean1, cov1, "first")
    mean2, cov2 = _check_statistics(mean2, cov2, "second")
    if mean1.shape != mean2.shape:
        raise ValueError(
            f"Expected features of the same size. Received {mean1.shape[0]} "
            f"and {mean2.shape[0]}."
        )
    diff = mean1 - mean2
    trace_root = trace_sqrt_product(cov1, cov2, method=method)
    distance = diff @ diff + np.trace(cov1) + np.trace(cov2) - 2 * trace_root
    # Round-off can take an exact zero slightly below it.
    return float(max(distance, 0.0))


def feature_statistics(features):
    """Mean and unbiased covariance (`n - 1`) of `(n, d)` features, in
    float64, accumulated in the same way as the streaming metric."""
    accumulator = FeatureAccumulator()
    accumulator.update(features)
    return accumulator.mean(), accumulator.covariance()


def frechet_distance_from_features(features1, features2, method="eigh"):
    """Fréchet distance between Gaussians fitted to two feature sets.

    Args:
        features1: array. Features `(n1, d)`, e.g. of real images.
        features2: array. Features `(n2, d)`, e.g. of generated images.
        method: str. `"eigh"` or `"sqrtm"`; see `trace_sqrt_product`.
            Defaults to `"eigh"`.

    Returns:
        A Python float.
    """
    mean1, cov1 = feature_statistics(features1)
    mean2, cov2 = feature_statistics(features2)
    return frechet_distance(mean1, cov1, mean2, cov2, method=method)
