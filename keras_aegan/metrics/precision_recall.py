"""Improved precision and recall (Kynkäänniemi et al. 2019).

Kynkäänniemi, Karras, Laine, Lehtinen & Aila, "Improved Precision and
Recall Metric for Assessing Generative Models", NeurIPS 2019, eq. 1-2.
Each set's manifold is the union of balls centred on its feature vectors,
each with the radius of the distance to its k-th nearest neighbour in the
set (k = 3 in the paper). With `f(phi, Phi) = 1` when `phi` lies in some
ball of `Phi`:

    precision = mean over generated phi_g of f(phi_g, Phi_real),
    recall    = mean over real phi_r of f(phi_r, Phi_generated).
"""

import numpy as np

from keras_aegan.metrics.features import to_float64


def _squared_distances(a, b, b_norms):
    a_norms = np.einsum("ij,ij->i", a, a)
    d = a_norms[:, None] + b_norms[None, :] - 2.0 * (a @ b.T)
    return np.maximum(d, 0.0)


def knn_radii(features, k=3, chunk_size=1024):
    """Squared distance of each vector to its k-th nearest neighbour in the
    set, itself excluded."""
    x = to_float64(features)
    if x.shape[0] <= k:
        raise ValueError(
            f"Expected more than k={k} feature vectors. Received {x.shape[0]}."
        )
    norms = np.einsum("ij,ij->i", x, x)
    radii = np.empty(x.shape[0])
    for start in range(0, x.shape[0], chunk_size):
        d = _squared_distances(x[start : start + chunk_size], x, norms)
        # Index 0 of the sorted row is the vector itself (distance 0).
        radii[start : start + chunk_size] = np.partition(d, k, axis=1)[:, k]
    return radii


def manifold_coverage(queries, support, radii, chunk_size=1024):
    """Fraction of `queries` inside the k-NN manifold of `support`."""
    q = to_float64(queries)
    s = to_float64(support)
    norms = np.einsum("ij,ij->i", s, s)
    inside = 0
    for start in range(0, q.shape[0], chunk_size):
        d = _squared_distances(q[start : start + chunk_size], s, norms)
        inside += int(np.count_nonzero(np.any(d <= radii[None, :], axis=1)))
    return inside / q.shape[0]


def precision_recall(real_features, generated_features, k=3, chunk_size=1024):
    """Improved precision and recall of generated features against real.

    Args:
        real_features: array. Features `(n, d)` of real images.
        generated_features: array. Features `(m, d)` of generated images.
        k: int. The neighbour whose distance sets each ball's radius.
            Defaults to 3.
        chunk_size: int. Rows of the distance matrix held at once.
            Defaults to 1024.

    Returns:
        A dict with `"precision"` and `"recall"`, Python floats in [0, 1].

    Example:
    ```python
    scores = keras_aegan.metrics.precision_recall(real_f, fake_f, k=3)
    ```
    """
    real = to_float64(real_features)
    fake = to_float64(generated_features)
    if real.shape[1] != fake.shape[1]:
        raise ValueError(
            f"Expected features of the same size. Received {real.shape[1]} "
            f"and {fake.shape[1]}."
        )
    real_radii = knn_radii(real, k, chunk_size)
    fake_radii = knn_radii(fake, k, chunk_size)
    return {
        "precision": manifold_coverage(fake, real, real_radii, chunk_size),
        "recall": manifold_coverage(real, fake, fake_radii, chunk_size),
    }
