"""Reference floors: each metric between the real train and test splits.

A generator cannot be expected to score better than a fresh sample of the
real distribution does, so these values are the floor against which a
model's numbers are read (the FID of CIFAR-10 train vs test with the
reference Inception is about 3, for instance, not 0).
"""

import numpy as np

from keras_aegan import datasets
from keras_aegan.metrics.evaluation import compare_features
from keras_aegan.metrics.inception_score import inception_score


def reference_floor(
    dataset,
    extractor,
    classifier=None,
    num_train=10000,
    num_test=10000,
    data_dir=None,
    kid_subsets=100,
    kid_subset_size=1000,
    k=3,
    splits=10,
    seed=0,
):
    """Each metric between real train images and real test images.

    Args:
        dataset: str. A name `keras_aegan.datasets.load_arrays` knows, e.g.
            `"mnist"`.
        extractor: `FeatureExtractor`. Features for the Fréchet distance,
            KID and precision/recall.
        classifier: `FeatureExtractor` or None. Class probabilities for the
            Inception Score of the test images, taken in a random order
            (seed `seed`) before the consecutive splits; skipped when
            `None`. Defaults to `None`.
        num_train: int. Train images, drawn at random without
            replacement. Defaults to 10000.
        num_test: int. Test images: the whole split when it holds no more,
            else a random subset (seed `seed`). Defaults to 10000.
        data_dir: str or None. Passed to `load_arrays`. Defaults to `None`.
        kid_subsets: int. Defaults to 100.
        kid_subset_size: int. Defaults to 1000.
        k: int. Neighbour of precision/recall. Defaults to 3.
        splits: int. Splits of the Inception Score. Defaults to 10.
        seed: int. Seed of the train draw and KID subsets. Defaults to 0.

    Returns:
        A dict: `dataset`, `extractor`, `label`, `num_train`, `num_test`,
        `fd`, `kid`, `kid_std`, `precision`, `recall`, and with a
        classifier `is`, `is_std` and `is_classifier`.
    """
    train, _ = datasets.load_arrays(dataset, "train", data_dir=data_dir)
    test, _ = datasets.load_arrays(dataset, "test", data_dir=data_dir)
    rng = np.random.default_rng(seed)
    train = train[rng.choice(len(train), min(num_train, len(train)), False)]
    if num_test < len(test):
        # A random subset: a split sorted by class (CIFAR-10) would
        # otherwise give the first classes only.
        test = test[rng.choice(len(test), num_test, replace=False)]
    train_features = extractor(train, pixel_range=(0, 255))
    test_features = extractor(test, pixel_range=(0, 255))
    floor = {
        "dataset": dataset,
        "extractor": extractor.name,
        "label": extractor.label,
        "num_train": len(train),
        "num_test": len(test),
        **compare_features(
            train_features,
            test_features,
            kid_subsets,
            kid_subset_size,
            k,
            seed,
        ),
    }
    if classifier is not None:
        probabilities = classifier(test, pixel_range=(0, 255))
        # The splits are consecutive: in a split sorted by class (CIFAR-10)
        # each would hold one class and score about 1.
        probabilities = probabilities[rng.permutation(len(probabilities))]
        floor["is"], floor["is_std"] = inception_score(probabilities, splits)
        floor["is_classifier"] = classifier.name
    return floor
