"""Streaming `keras.metrics.Metric`s of sample quality, and the one-shot
functions on two image sets.

The metrics accumulate on the host, in numpy float64, on every backend:
the Fréchet distance keeps a running mean and scatter matrix per set
(`FeatureAccumulator`), the others keep the features themselves (KID,
precision/recall and the Inception Score need the samples, not a
sufficient statistic). Float64 Keras variables were not used because JAX
keeps them in float32 unless `jax_enable_x64` is set globally, and the
extractor's forward pass runs eagerly anyway. So `update_state` takes
concrete (eager) arrays: call it from a callback or an evaluation loop,
not inside a compiled `train_step`; `result()` returns Python floats.
"""

import keras
import numpy as np

from keras_aegan.api_export import keras_aegan_export
from keras_aegan.metrics.features import UINT8_RANGE
from keras_aegan.metrics.features import FeatureAccumulator
from keras_aegan.metrics.features import to_float64
from keras_aegan.metrics.frechet import frechet_distance
from keras_aegan.metrics.frechet import frechet_distance_from_features
from keras_aegan.metrics.inception_score import inception_score
from keras_aegan.metrics.kernel import kernel_distance
from keras_aegan.metrics.precision_recall import precision_recall


def _concrete(x):
    try:
        return np.asarray(keras.ops.convert_to_numpy(x))
    except Exception as error:  # tracers and symbolic tensors
        raise RuntimeError(
            "The sample-quality metrics accumulate on the host and need "
            "concrete arrays; they cannot run inside a compiled step. Call "
            "update_state() eagerly, e.g. from a callback."
        ) from error


class _SampleQualityMetric(keras.metrics.Metric):
    """Shared plumbing: optional extractor, two sets (real, generated).

    The config holds the extractor's own config (the loader call that
    rebuilds it, see `FeatureExtractor`), not the accumulated samples.
    """

    # The constructor argument that takes the extractor.
    extractor_argument = "extractor"

    def __init__(
        self,
        extractor=None,
        pixel_range=UINT8_RANGE,
        generated_pixel_range=None,
        name=None,
    ):
        if isinstance(extractor, dict):
            extractor = keras.saving.deserialize_keras_object(extractor)
        prefix = self.short_name
        if name is None:
            name = prefix if extractor is None else f"{prefix}_{extractor.name}"
        super().__init__(name=name, dtype="float32")
        self.extractor = extractor
        self.pixel_range = tuple(float(v) for v in pixel_range)
        self.generated_pixel_range = tuple(
            float(v) for v in (generated_pixel_range or pixel_range)
        )

    def features(self, inputs, pixel_range=None):
        """Features of `inputs`: images through the extractor, or the
        inputs themselves when the metric has no extractor."""
        inputs = _concrete(inputs)
        if self.extractor is None:
            return to_float64(inputs)
        return self.extractor(inputs, pixel_range or self.pixel_range)

    def update_state(self, real=None, generated=None, sample_weight=None):
        """Adds a batch of real and/or generated images (or features).

        Real images are read in `pixel_range`, generated ones in
        `generated_pixel_range`.

        Args:
            real: array or None. Real images (features without an
                extractor). Defaults to `None`.
            generated: array or None. Generated images. Defaults to
                `None`.
            sample_weight: Not supported; must be `None`.
        """
        if sample_weight is not None:
            raise ValueError(f"{type(self).__name__} takes no sample_weight.")
        if real is not None:
            self.add_real_features(self.features(real))
        if generated is not None:
            self.add_generated_features(
                self.features(generated, self.generated_pixel_range)
            )

    def get_config(self):
        extractor = None
        if self.extractor is not None:
            extractor = keras.saving.serialize_keras_object(self.extractor)
        return {
            self.extractor_argument: extractor,
            "name": self.name,
            "pixel_range": self.pixel_range,
            "generated_pixel_range": self.generated_pixel_range,
        }


class _StoredFeaturesMetric(_SampleQualityMetric):
    def __init__(
        self,
        extractor=None,
        pixel_range=UINT8_RANGE,
        generated_pixel_range=None,
        name=None,
    ):
        super().__init__(extractor, pixel_range, generated_pixel_range, name)
        self._real = []
        self._generated = []

    def add_real_features(self, features):
        self._real.append(to_float64(features))

    def add_generated_features(self, features):
        self._generated.append(to_float64(features))

    def real_features(self):
        return np.concatenate(self._real) if self._real else None

    def generated_features(self):
        if not self._generated:
            raise ValueError(f"{self.name}: no generated samples were added.")
        return np.concatenate(self._generated)

    def reset_generated(self):
        """Forgets the generated samples and keeps the real ones."""
        self._generated = []

    def reset_state(self):
        self._real = []
        self._generated = []

    def _require_real(self):
        real = self.real_features()
        if real is None:
            raise ValueError(f"{self.name}: no real samples were added.")
        return real


@keras_aegan_export("keras_aegan.metrics.FrechetDistance")
class FrechetDistance(_SampleQualityMetric):
    """Streaming Fréchet distance between real and generated features.

    Heusel et al. 2017, eq. 6. The mean and covariance of each set are
    accumulated in float64 (Chan et al. 1979 pairwise updates), so the
    result equals `frechet_distance_from_features` on all the features at
    once, up to round-off. With `inception_v3_extractor()` this is the FID;
    with another extractor it is the Fréchet distance on that extractor's
    features, named `fd_<extractor name>`.

    Args:
        extractor: `FeatureExtractor` or None. Maps images to features;
            with `None`, `update_state` takes features. Defaults to `None`.
        pixel_range: tuple. Range of the real images. Defaults to
            `(0, 255)`.
        generated_pixel_range: tuple or None. Range of the generated
            images, e.g. the model's `pixel_range`. Defaults to `None`
            (the same as `pixel_range`).
        method: str. `"eigh"` or `"sqrtm"`; see
            `keras_aegan.metrics.trace_sqrt_product`. Defaults to `"eigh"`.
        name: str or None. Defaults to `"fd_<extractor name>"`.

    Example:
    ```python
    fd = keras_aegan.metrics.FrechetDistance(
        extractor, pixel_range=(0, 255), generated_pixel_range=(-1, 1)
    )
    for real_batch, fake_batch in batches:
        fd.update_state(real_batch, fake_batch)
    print(extractor.label, fd.result())
    ```
    """

    short_name = "fd"

    def __init__(
        self,
        extractor=None,
        pixel_range=UINT8_RANGE,
        generated_pixel_range=None,
        method="eigh",
        name=None,
    ):
        super().__init__(extractor, pixel_range, generated_pixel_range, name)
        self.method = method
        self.real_statistics = FeatureAccumulator()
        self.generated_statistics = FeatureAccumulator()

    def add_real_features(self, features):
        self.real_statistics.update(features)

    def add_generated_features(self, features):
        self.generated_statistics.update(features)

    def reset_generated(self):
        """Forgets the generated samples and keeps the real statistics."""
        self.generated_statistics.reset()

    def reset_state(self):
        self.real_statistics.reset()
        self.generated_statistics.reset()

    def result(self):
        return frechet_distance(
            self.real_statistics.mean(),
            self.real_statistics.covariance(),
            self.generated_statistics.mean(),
            self.generated_statistics.covariance(),
            method=self.method,
        )

    def get_config(self):
        return {**super().get_config(), "method": self.method}


@keras_aegan_export("keras_aegan.metrics.KernelDistance")
class KernelDistance(_StoredFeaturesMetric):
    """Streaming KID (Bińkowski et al. 2018): stores the features of both
    sets in float64 and computes `kernel_distance` on them.

    Args:
        extractor: `FeatureExtractor` or None. Defaults to `None`.
        pixel_range: tuple. Range of the real images. Defaults to
            `(0, 255)`.
        generated_pixel_range: tuple or None. Range of the generated
            images. Defaults to `None` (as `pixel_range`).
        num_subsets: int. Defaults to 100.
        subset_size: int. Defaults to 1000.
        seed: int. Seed of the subset draws. Defaults to 0.
        name: str or None. Defaults to `"kid_<extractor name>"`.
    """

    short_name = "kid"

    def __init__(
        self,
        extractor=None,
        pixel_range=UINT8_RANGE,
        generated_pixel_range=None,
        num_subsets=100,
        subset_size=1000,
        seed=0,
        name=None,
    ):
        super().__init__(extractor, pixel_range, generated_pixel_range, name)
        self.num_subsets = int(num_subsets)
        self.subset_size = int(subset_size)
        self.seed = seed

    def result_with_std(self):
        """`(mean, std)` over the subsets."""
        return kernel_distance(
            self._require_real(),
            self.generated_features(),
            self.num_subsets,
            self.subset_size,
            self.seed,
        )

    def result(self):
        return self.result_with_std()[0]

    def get_config(self):
        return {
            **super().get_config(),
            "num_subsets": self.num_subsets,
            "subset_size": self.subset_size,
            "seed": self.seed,
        }


@keras_aegan_export("keras_aegan.metrics.PrecisionRecall")
class PrecisionRecall(_StoredFeaturesMetric):
    """Streaming improved precision/recall (Kynkäänniemi et al. 2019).

    Args:
        extractor: `FeatureExtractor` or None. Defaults to `None`.
        pixel_range: tuple. Range of the real images. Defaults to
            `(0, 255)`.
        generated_pixel_range: tuple or None. Range of the generated
            images. Defaults to `None` (as `pixel_range`).
        k: int. Neighbour defining the ball radii. Defaults to 3.
        name: str or None. Defaults to `"pr_<extractor name>"`.

    `result()` returns `{"precision": ..., "recall": ...}`.
    """

    short_name = "pr"

    def __init__(
        self,
        extractor=None,
        pixel_range=UINT8_RANGE,
        generated_pixel_range=None,
        k=3,
        name=None,
    ):
        super().__init__(extractor, pixel_range, generated_pixel_range, name)
        self.k = int(k)

    def result(self):
        return precision_recall(
            self._require_real(), self.generated_features(), k=self.k
        )

    def get_config(self):
        return {**super().get_config(), "k": self.k}


@keras_aegan_export("keras_aegan.metrics.InceptionScore")
class InceptionScore(_StoredFeaturesMetric):
    """Streaming Inception Score (Salimans et al. 2016) of generated
    images; the extractor must output class probabilities.

    Args:
        classifier: `FeatureExtractor` or None. Maps images to
            probabilities; with `None`, `update_state` takes
            probabilities. Defaults to `None`.
        pixel_range: tuple. Range of the images. Defaults to `(0, 255)`.
        splits: int. Defaults to 10.
        name: str or None. Defaults to `"is_<classifier name>"`.

    `update_state(generated=...)` adds images; `result()` returns the mean
    over splits and `result_with_std()` the pair.
    """

    short_name = "is"
    extractor_argument = "classifier"

    def __init__(
        self, classifier=None, pixel_range=UINT8_RANGE, splits=10, name=None
    ):
        # Only generated images are scored: one range.
        super().__init__(classifier, pixel_range, None, name)
        self.splits = int(splits)

    def result_with_std(self):
        return inception_score(self.generated_features(), self.splits)

    def result(self):
        return self.result_with_std()[0]

    def get_config(self):
        config = {**super().get_config(), "splits": self.splits}
        del config["generated_pixel_range"]  # one range: pixel_range
        return config


def _both(real, generated, extractor, pixel_range, generated_pixel_range):
    return (
        extractor(real, pixel_range),
        extractor(generated, generated_pixel_range or pixel_range),
    )


def frechet_distance_from_images(
    real,
    generated,
    extractor,
    pixel_range=UINT8_RANGE,
    generated_pixel_range=None,
    method="eigh",
):
    """Fréchet distance on `extractor`'s features of two image sets.

    Args:
        real: array. Real images `(n, h, w, c)`.
        generated: array. Generated images.
        extractor: `FeatureExtractor`. Whose features; its `label` names
            the result.
        pixel_range: tuple. Range of the real images. Defaults to
            `(0, 255)`.
        generated_pixel_range: tuple or None. Range of the generated
            images, e.g. the model's `pixel_range`. Defaults to `None`
            (as `pixel_range`).
        method: str. `"eigh"` or `"sqrtm"`. Defaults to `"eigh"`.

    Returns:
        A Python float.
    """
    features = _both(
        real, generated, extractor, pixel_range, generated_pixel_range
    )
    return frechet_distance_from_features(*features, method=method)


def kernel_distance_from_images(
    real,
    generated,
    extractor,
    pixel_range=UINT8_RANGE,
    generated_pixel_range=None,
    **kwargs,
):
    """KID on `extractor`'s features of two image sets; the ranges are as
    in `frechet_distance_from_images`, and `kwargs` go to
    `kernel_distance`. Returns `(mean, std)`."""
    features = _both(
        real, generated, extractor, pixel_range, generated_pixel_range
    )
    return kernel_distance(*features, **kwargs)


def precision_recall_from_images(
    real,
    generated,
    extractor,
    pixel_range=UINT8_RANGE,
    generated_pixel_range=None,
    k=3,
):
    """Improved precision/recall on `extractor`'s features of two image
    sets; the ranges are as in `frechet_distance_from_images`."""
    features = _both(
        real, generated, extractor, pixel_range, generated_pixel_range
    )
    return precision_recall(*features, k=k)


def inception_score_from_images(
    images, classifier, pixel_range=UINT8_RANGE, splits=10
):
    """Inception Score of images under `classifier`'s probabilities."""
    return inception_score(classifier(images, pixel_range), splits)
