"""Scores a generator against real images on one extractor's features.

The same numbers as the streaming metrics, for the common case of a
trained model and a held-out split: the Fréchet distance (Heusel et al.
2017, eq. 6), KID (Bińkowski et al. 2018), improved precision and recall
(Kynkäänniemi et al. 2019) and, with a classifier, the Inception Score
(Salimans et al. 2016) or its analogue on a domain classifier.
"""

import keras
import numpy as np

from keras_aegan.metrics.features import UINT8_RANGE
from keras_aegan.metrics.frechet import frechet_distance_from_features
from keras_aegan.metrics.inception_score import inception_score
from keras_aegan.metrics.kernel import kernel_distance
from keras_aegan.metrics.precision_recall import precision_recall


def compare_features(
    real_features,
    generated_features,
    kid_subsets=100,
    kid_subset_size=1000,
    k=3,
    seed=0,
):
    """FD, KID (mean and std over subsets), precision and recall of two
    feature sets, as a dict with keys `fd`, `kid`, `kid_std`,
    `precision`, `recall`."""
    kid, kid_std = kernel_distance(
        real_features, generated_features, kid_subsets, kid_subset_size, seed
    )
    return {
        "fd": frechet_distance_from_features(real_features, generated_features),
        "kid": kid,
        "kid_std": kid_std,
        **precision_recall(real_features, generated_features, k=k),
    }


def generate_images(model, num_samples, seed=0, batch_size=1000):
    """`num_samples` images of `model.generate`, as one numpy array.

    Batch `i` is drawn with seed `seed * 1_000_003 + i`, so the same
    arguments give the same images and two seeds share no batch (for up
    to a million batches). Conditional models get their classes in turn.
    """
    if num_samples < 1:
        raise ValueError(f"Expected num_samples >= 1. Received {num_samples}.")
    images = []
    for i, start in enumerate(range(0, num_samples, batch_size)):
        count = min(batch_size, num_samples - start)
        batch = model.generate(count, seed=seed * 1_000_003 + i)
        images.append(np.asarray(keras.ops.convert_to_numpy(batch)))
    return np.concatenate(images)


def evaluate_generator(
    model,
    real_images,
    extractor,
    classifier=None,
    num_samples=10000,
    real_pixel_range=UINT8_RANGE,
    seed=0,
    kid_subsets=100,
    kid_subset_size=1000,
    k=3,
    splits=10,
):
    """Scores `num_samples` generated images against `real_images`.

    Args:
        model: a model with `generate(num, seed=)` and `pixel_range`.
        real_images: array. Held-out real images, e.g. the test split.
        extractor: `FeatureExtractor`. Features of the FD, KID and
            precision/recall.
        classifier: `FeatureExtractor` or None. Class probabilities for the
            Inception Score of the generated images. Defaults to `None`.
        num_samples: int. Generated images. Defaults to 10000.
        real_pixel_range: tuple. Range of `real_images`. Defaults to
            `(0, 255)`.
        seed: int. Seed of the samples (see `generate_images`) and of the
            KID subsets. Defaults to 0.
        kid_subsets: int. Defaults to 100.
        kid_subset_size: int. Defaults to 1000; capped at the smaller set.
        k: int. Neighbour of precision/recall. Defaults to 3.
        splits: int. Splits of the Inception Score. Defaults to 10.

    Returns:
        A dict: `extractor`, `label`, `num_real`, `num_generated`, `fd`,
        `kid`, `kid_std`, `precision`, `recall`, and with a classifier
        `is`, `is_std` and `is_classifier`, and for a conditional model
        `class_accuracy` and `class_accuracy_per_class` (see
        `requested_class_accuracy`).
    """
    generated = generate_images(model, num_samples, seed)
    pixel_range = tuple(model.pixel_range)
    real_features = extractor(real_images, pixel_range=real_pixel_range)
    generated_features = extractor(generated, pixel_range=pixel_range)
    subset = min(kid_subset_size, len(real_images), len(generated))
    scores = {
        "extractor": extractor.name,
        "label": extractor.label,
        "num_real": len(real_images),
        "num_generated": len(generated),
        **compare_features(
            real_features, generated_features, kid_subsets, subset, k, seed
        ),
    }
    if classifier is not None:
        probabilities = classifier(generated, pixel_range=pixel_range)
        scores["is"], scores["is_std"] = inception_score(probabilities, splits)
        scores["is_classifier"] = classifier.name
        if getattr(model, "conditional", False):
            scores.update(
                requested_class_accuracy(
                    probabilities, requested_labels(model, num_samples)
                )
            )
    return scores


def requested_labels(model, num_samples, batch_size=1000):
    """The classes `generate_images` asks a conditional model for: each
    batch's classes in turn."""
    return np.concatenate(
        [
            np.arange(min(batch_size, num_samples - start)) % model.num_classes
            for start in range(0, num_samples, batch_size)
        ]
    )


def requested_class_accuracy(probabilities, labels):
    """How often a classifier assigns conditional samples to the class
    they were generated for (Odena et al. 2017, section 4.1, with a
    domain classifier in place of Inception).

    Returns:
        A dict: `class_accuracy` over all samples and
        `class_accuracy_per_class`, the list of the accuracy of each
        requested class.
    """
    labels = np.asarray(labels)
    if len(labels) != len(probabilities):
        raise ValueError(
            f"Expected one label per sample ({len(probabilities)}). "
            f"Received {len(labels)}."
        )
    correct = np.argmax(probabilities, axis=-1) == labels
    return {
        "class_accuracy": float(np.mean(correct)),
        "class_accuracy_per_class": [
            float(np.mean(correct[labels == c]))
            for c in range(probabilities.shape[-1])
            if np.any(labels == c)
        ],
    }
