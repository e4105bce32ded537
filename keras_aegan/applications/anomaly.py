"""Anomaly detection with autoencoders.

An autoencoder trained on normal data only reconstructs normal data well:
the reconstruction error (Japkowicz et al. 1995; Sakurada & Yairi 2014)
or, for a VAE, the negative ELBO, a bound on `-log p(x)` (An & Cho 2015),
is an anomaly score. `roc_auc` measures how well a score separates
anomalies from normal examples.
"""

import numpy as np
from keras import ops


def _batched(fn, images, batch_size):
    scores = []
    for start in range(0, len(images), batch_size):
        batch = images[start : start + batch_size]
        scores.append(np.asarray(ops.convert_to_numpy(fn(batch))))
    return np.concatenate(scores).astype("float64")


def reconstruction_scores(model, images, batch_size=256):
    """Per-example reconstruction error of `model`: higher is more anomalous.

    Args:
        model: a keras_aegan model with `reconstruction_error(images)`
            (`Autoencoder` and its variants, `LinearAutoencoder`, `VQVAE`,
            `AdversarialAutoencoder`).
        images: array. Images in the model's pixel range.
        batch_size: int. Images per call. Defaults to 256.

    Returns:
        A float64 array of shape `(len(images),)`.
    """
    return _batched(model.reconstruction_error, images, batch_size)


def negative_elbo_scores(vae, images, num_samples=1, seed=0, batch_size=256):
    """Per-example negative ELBO of a `VAE`, in nats (An & Cho 2015).

    Args:
        vae: `keras_aegan.models.VAE`.
        images: array. Images in [0, 1].
        num_samples: int. Posterior draws per example. Defaults to 1.
        seed: int. Seed of the draws, so that scores are reproducible.
            Defaults to 0.
        batch_size: int. Images per call. Defaults to 256.

    Returns:
        A float64 array of shape `(len(images),)`.
    """
    counter = iter(range(10**9))

    def score(batch):
        return vae.negative_elbo(
            batch, num_samples=num_samples, seed=seed + next(counter)
        )

    return _batched(score, images, batch_size)


def _average_ranks(values):
    """Ranks from 1 to n, ties sharing their average rank."""
    values = np.asarray(values)
    order = np.argsort(values, kind="mergesort")
    sorted_values = values[order]
    # Boundaries of runs of equal values.
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_values)) + 1]
    ends = np.r_[starts[1:], len(values)]
    ranks_sorted = np.repeat((starts + ends + 1) / 2.0, ends - starts)
    ranks = np.empty(len(values), "float64")
    ranks[order] = ranks_sorted
    return ranks


def roc_auc(scores, is_positive):
    """Area under the ROC curve, from ranks (Mann-Whitney U statistic).

    The probability that a random positive scores higher than a random
    negative, ties counting one half (Hanley & McNeil 1982): the AUC of
    `sklearn.metrics.roc_auc_score`, without the dependency.

    Args:
        scores: array. One score per example; higher means "positive"
            (anomalous).
        is_positive: array of bool. Whether each example is positive.

    Returns:
        A float in [0, 1].
    """
    scores = np.asarray(scores, "float64").ravel()
    is_positive = np.asarray(is_positive).astype(bool).ravel()
    if scores.shape != is_positive.shape:
        raise ValueError(
            "Expected one label per score. Received "
            f"{scores.shape[0]} scores and {is_positive.shape[0]} labels."
        )
    num_pos = int(is_positive.sum())
    num_neg = len(is_positive) - num_pos
    if num_pos == 0 or num_neg == 0:
        raise ValueError(
            "The ROC AUC needs positive and negative examples. Received "
            f"{num_pos} positives and {num_neg} negatives."
        )
    if not np.all(np.isfinite(scores)):
        raise ValueError("Expected finite scores.")
    ranks = _average_ranks(scores)
    u = ranks[is_positive].sum() - num_pos * (num_pos + 1) / 2.0
    return float(u / (num_pos * num_neg))
