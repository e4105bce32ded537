"""Feature extractors for the sample-quality metrics, and float64
accumulation of feature statistics.

An extractor is anything with this small protocol (`FeatureExtractor`
implements it around a Keras network):

- `name`: str. Names every number computed on its features, e.g.
  `"inception_v3_pool3"` or `"mnist_classifier"`.
- `image_size`: tuple. `(height, width)` the network takes; other sizes
  are resized to it.
- `channels`: int. 1 or 3; grey images are tiled to 3 channels.
- `pixel_range`: tuple. The range the network expects.
- `__call__(images, pixel_range=(0, 255))`: images `(n, h, w, c)` in
  `pixel_range` to a float64 numpy array `(n, d)`.
"""

import numpy as np
from keras import ops

from keras_aegan.api_export import keras_aegan_export

UINT8_RANGE = (0.0, 255.0)

# Images outside their declared range by more than this fraction of the
# range are refused (the range is most likely wrong, e.g. uint8 images
# declared in [0, 1]); smaller excursions are clipped.
RANGE_TOLERANCE = 0.01


class FeatureAccumulator:
    """Running mean and covariance of features, in float64 on the host.

    Batches are merged with the pairwise update of Chan, Golub & LeVeque,
    "Updating Formulae and a Pairwise Algorithm for Computing Sample
    Variances", 1979 (eq. 2.1 for the mean, 2.1b for the scatter matrix):
    with batch mean `m_b` and scatter `M_b`, `delta = m_b - m`,

        m <- m + delta * n_b / n,
        M <- M + M_b + delta delta^T * n_a n_b / n.

    It does not lose precision to cancellation as `sum(x x^T) - n m m^T`
    does, and the result does not depend on the batch size beyond
    round-off. The statistics stay in numpy float64 on every backend (JAX
    would silently keep float32 variables unless `jax_enable_x64` is set).
    """

    def __init__(self):
        self.reset()

    def reset(self):
        self.count = 0
        self._mean = None
        self._scatter = None

    def update(self, features):
        features = np.asarray(features, dtype=np.float64)
        if features.ndim != 2:
            raise ValueError(
                "Expected features of shape (batch, dim). Received shape "
                f"{features.shape}."
            )
        n_b = features.shape[0]
        if n_b == 0:
            return
        batch_mean = features.mean(axis=0)
        centered = features - batch_mean
        batch_scatter = centered.T @ centered
        if self._mean is None:
            self.count = n_b
            self._mean = batch_mean
            self._scatter = batch_scatter
            return
        if features.shape[1] != self._mean.shape[0]:
            raise ValueError(
                f"Expected features of size {self._mean.shape[0]}. "
                f"Received size {features.shape[1]}."
            )
        n_a = self.count
        n = n_a + n_b
        delta = batch_mean - self._mean
        self._mean = self._mean + delta * (n_b / n)
        correction = np.outer(delta, delta) * (n_a * n_b / n)
        self._scatter = self._scatter + batch_scatter + correction
        self.count = n

    def mean(self):
        if self.count < 1:
            raise ValueError("No features were accumulated.")
        return self._mean.copy()

    def covariance(self):
        """Unbiased covariance, normalized by `n - 1` as `numpy.cov`."""
        if self.count < 2:
            raise ValueError(
                "A covariance needs at least 2 feature vectors. Received "
                f"{self.count}."
            )
        return self._scatter / (self.count - 1)


def to_float64(features):
    """Features as a float64 numpy array `(n, d)`."""
    features = np.asarray(ops.convert_to_numpy(features), dtype=np.float64)
    if features.ndim != 2:
        raise ValueError(
            f"Expected features of shape (n, d). Received {features.shape}."
        )
    return features


def rescale_images(images, pixel_range, target_range):
    """Maps images from `pixel_range` to `target_range`, as float32 numpy.

    Values outside `pixel_range` by more than `RANGE_TOLERANCE` of its
    width raise a `ValueError`; smaller excursions are clipped.
    """
    images = np.asarray(ops.convert_to_numpy(images), dtype=np.float32)
    low, high = (float(v) for v in pixel_range)
    span = high - low
    if images.size and (
        images.min() < low - RANGE_TOLERANCE * span
        or images.max() > high + RANGE_TOLERANCE * span
    ):
        raise ValueError(
            f"Expected images in pixel_range={tuple(pixel_range)}. Received "
            f"values in [{images.min():.4g}, {images.max():.4g}]. Pass the "
            "range the images are in (uint8 images: (0, 255))."
        )
    unit = (np.clip(images, low, high) - low) / span
    new_low, new_high = target_range
    return unit * (new_high - new_low) + new_low


@keras_aegan_export("keras_aegan.metrics.FeatureExtractor")
class FeatureExtractor:
    """A Keras network used as a feature extractor, with its input contract.

    Images are (1) rescaled from the caller's `pixel_range` to the
    network's `network_pixel_range`, (2) tiled from 1 to 3 channels when
    the network takes colour, (3) resized to `image_size` with
    `keras.ops.image.resize(..., interpolation="bilinear",
    antialias=True)` (a no-op at the right size), then (4) passed through
    the network in batches in inference mode. Features come back as float64
    numpy arrays.

    Args:
        network: keras.Model. Maps `(n, *image_size, channels)` images to
            `(n, d)` features (or class probabilities for the Inception
            Score).
        name: str. The extractor's name, carried by every number computed
            on its features, e.g. `"mnist_classifier"`.
        image_size: tuple. `(height, width)` the network takes.
        channels: int. Channels the network takes, 1 or 3.
        network_pixel_range: tuple. Pixel range the network expects.
            Defaults to `(0.0, 1.0)`.
        batch_size: int. Images per network call. Defaults to 256.
        label: str or None. The human-readable name of the Fréchet
            distance on these features. Defaults to `None`, giving
            `"Fréchet Distance on <name> features (FD-<name>)"`.

    Example:
    ```python
    inputs = keras.Input((28, 28, 1))
    outputs = keras.layers.Dense(8)(keras.layers.Flatten()(inputs))
    extractor = keras_aegan.metrics.FeatureExtractor(
        keras.Model(inputs, outputs), "tiny", (28, 28), 1
    )
    features = extractor(uint8_images, pixel_range=(0, 255))
    ```

    An extractor from `load_domain_classifier` or `inception_v3_extractor`
    records that call (`source`), so its config rebuilds it, weights
    included (except `inception_v3_extractor(None, allow_random=True)`,
    which draws new random weights), and the metrics that hold it
    serialize; one wrapping a network built in code has no such config.
    """

    def __init__(
        self,
        network,
        name,
        image_size,
        channels,
        network_pixel_range=(0.0, 1.0),
        batch_size=256,
        label=None,
    ):
        if channels not in (1, 3):
            raise ValueError(f"Expected channels 1 or 3. Received {channels}.")
        self.network = network
        self.name = str(name)
        self.image_size = tuple(int(s) for s in image_size)
        self.channels = int(channels)
        self.pixel_range = tuple(float(v) for v in network_pixel_range)
        self.batch_size = int(batch_size)
        self.label = label or (
            f"Fréchet Distance on {self.name} features (FD-{self.name})"
        )
        # The loader call that rebuilds this extractor, set by the loaders.
        self.source = None

    def get_config(self):
        """The loader call that rebuilds the extractor, as a dict."""
        if self.source is None:
            raise ValueError(
                f"Expected an extractor from load_domain_classifier() or "
                f"inception_v3_extractor(), which a config can rebuild. "
                f"Received {self.name!r}, which wraps a network built in "
                "code: pass the extractor again when rebuilding the metric."
            )
        return dict(self.source)

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        loader = config.pop("loader", None)
        if loader not in EXTRACTOR_LOADERS:
            raise ValueError(
                f"Expected a config whose loader is one of "
                f"{sorted(EXTRACTOR_LOADERS)}. Received loader={loader!r}."
            )
        return EXTRACTOR_LOADERS[loader](**config)

    def prepare(self, images, pixel_range=UINT8_RANGE):
        """Rescales, tiles and resizes images to the network's input."""
        images = rescale_images(images, pixel_range, self.pixel_range)
        if images.ndim != 4:
            raise ValueError(
                "Expected images of shape (n, height, width, channels). "
                f"Received shape {images.shape}."
            )
        tile = images.shape[-1] == 1 and self.channels == 3
        if images.shape[-1] != self.channels and not tile:
            raise ValueError(
                f"{self.name} takes {self.channels}-channel images. "
                f"Received {images.shape[-1]} channels."
            )
        if tuple(images.shape[1:3]) != self.image_size:
            images = ops.image.resize(
                images,
                self.image_size,
                interpolation="bilinear",
                antialias=True,
            )
        if tile:
            # Grey images are tiled after resizing, so that the three
            # channels are identical: resized apart, XLA's CPU kernels
            # round them differently in the last place.
            images = ops.repeat(images, 3, axis=-1)
        return images

    def __call__(self, images, pixel_range=UINT8_RANGE):
        outputs = []
        for start in range(0, len(images), self.batch_size):
            batch = self.prepare(
                images[start : start + self.batch_size], pixel_range
            )
            outputs.append(to_float64(self.network(batch, training=False)))
        if not outputs:
            raise ValueError("Expected at least one image. Received none.")
        return np.concatenate(outputs, axis=0)


def inception_v3_extractor(
    weights="imagenet", output="pool3", batch_size=64, allow_random=False
):
    """InceptionV3 of `keras.applications` as an extractor (FID, KID, IS).

    Szegedy et al., "Rethinking the Inception Architecture", CVPR 2016.
    `output="pool3"` gives the 2048-d global-average-pooled features used
    by FID (Heusel et al. 2017) and KID (Bińkowski et al. 2018);
    `output="probabilities"` gives the 1000-class softmax used by the
    Inception Score (Salimans et al. 2016).

    Images are resized to 299x299 with bilinear interpolation and
    antialiasing, grey images are tiled to 3 channels, and pixels are
    mapped to [-1, 1] (`keras.applications.inception_v3.preprocess_input`).

    These are the Keras ImageNet weights, not the 2015 TensorFlow graph
    (`pt_inception-2015-12-05`) of the reference FID code: values are
    consistent within this library but not comparable to the decimal with
    published FIDs.

    Args:
        weights: str or None. `"imagenet"` (downloaded by Keras, needs
            internet once), or the path of a local weights file of the
            same architecture (`include_top=False` for `"pool3"`, with the
            top for `"probabilities"`), or `None` for random weights (only
            with `allow_random=True`: such features are meaningless for
            evaluation and only serve tests). Defaults to `"imagenet"`.
        output: str. `"pool3"` or `"probabilities"`. Defaults to
            `"pool3"`.
        batch_size: int. Images per call. Defaults to 64.
        allow_random: bool. Permit `weights=None`. Defaults to `False`.

    Returns:
        A `FeatureExtractor` named `"inception_v3_pool3"` or
        `"inception_v3_probabilities"` (with `"_random"` appended for
        random weights).
    """
    import keras

    if output not in ("pool3", "probabilities"):
        raise ValueError(
            f"Expected output in ('pool3', 'probabilities'). Received "
            f"{output!r}."
        )
    if weights is None and not allow_random:
        raise ValueError(
            "weights=None gives a randomly initialized InceptionV3 whose "
            "features say nothing about image quality. Pass "
            "weights='imagenet' or a weights file, or allow_random=True "
            "for tests."
        )
    include_top = output == "probabilities"
    network = keras.applications.InceptionV3(
        include_top=include_top,
        weights=weights,
        input_shape=(299, 299, 3),
        pooling=None if include_top else "avg",
    )
    name = f"inception_v3_{output}" + ("_random" if weights is None else "")
    label = (
        "FID (Fréchet Inception Distance, keras.applications InceptionV3 pool3)"
        if output == "pool3" and weights is not None
        else None
    )
    extractor = FeatureExtractor(
        network,
        name,
        (299, 299),
        3,
        network_pixel_range=(-1.0, 1.0),
        batch_size=batch_size,
        label=label,
    )
    extractor.source = {
        "loader": "inception_v3",
        "weights": None if weights is None else str(weights),
        "output": output,
        "batch_size": batch_size,
        "allow_random": allow_random,
    }
    return extractor


# The functions that rebuild an extractor from its `source` config, by the
# config's "loader" key. Each loader's module adds itself:
# `keras_aegan.metrics.classifier` adds "domain_classifier".
EXTRACTOR_LOADERS = {"inception_v3": inception_v3_extractor}
