"""Inception Score (Salimans et al. 2016).

Salimans, Goodfellow, Zaremba, Cheung, Radford & Chen, "Improved
Techniques for Training GANs", NeurIPS 2016, section 4:

    IS = exp(E_x KL(p(y | x) || p(y))),

with `p(y)` the marginal over the evaluated images. As in the authors'
code, the images are cut into `splits` consecutive parts, the score is
computed on each, and the mean and standard deviation over the parts are
reported. Its value depends on the classifier: an Inception Score is one
computed with InceptionV3 ImageNet probabilities; with a domain classifier
it is reported under that classifier's name.
"""

import numpy as np

from keras_aegan.metrics.features import to_float64


def _xlogy(x, y):
    safe = np.where(x > 0, y, 1.0)
    return np.where(x > 0, x * np.log(safe), 0.0)


def inception_score(probabilities, splits=10):
    """Inception Score of class probabilities `p(y | x)`.

    Args:
        probabilities: array. `(n, num_classes)` rows that sum to 1.
        splits: int. Number of consecutive parts. Defaults to 10.

    Returns:
        A tuple `(mean, std)` of Python floats over the parts. Perfectly
        confident predictions spread evenly over `C` classes give `C`.
    """
    p = to_float64(probabilities)
    if np.any(p < 0) or not np.allclose(p.sum(axis=1), 1.0, atol=1e-3):
        raise ValueError(
            "Expected class probabilities (non-negative rows summing to "
            "1), e.g. a softmax output, not logits or features."
        )
    splits = int(splits)
    if not 1 <= splits <= p.shape[0]:
        raise ValueError(
            f"Expected 1 <= splits <= {p.shape[0]} (the number of images). "
            f"Received splits={splits}."
        )
    scores = []
    for part in np.array_split(p, splits):
        marginal = part.mean(axis=0, keepdims=True)
        kl = _xlogy(part, part) - _xlogy(part, marginal)
        scores.append(np.exp(kl.sum(axis=1).mean()))
    return float(np.mean(scores)), float(np.std(scores))
