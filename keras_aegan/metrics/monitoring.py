"""A callback that measures sample quality during `fit()`."""

import keras
import numpy as np

from keras_aegan.metrics.features import UINT8_RANGE
from keras_aegan.metrics.streaming import FrechetDistance
from keras_aegan.metrics.streaming import KernelDistance


class GenerativeMetricsCallback(keras.callbacks.Callback):
    """Logs the Fréchet distance and KID of generated samples every N epochs.

    At the end of every `every_n_epochs`-th epoch it draws `num_generated`
    images with `model.generate(n, seed=seed)` (the same noise each time,
    so the values track the generator, not the noise), compares their
    features with those of the held-out `real_images` (extracted once),
    and writes `<prefix>fd_<extractor name>` and `<prefix>kid_<extractor
    name>` into `logs`. Put it before `keras.callbacks.ModelCheckpoint` in
    the callback list, and that callback can keep the best generator with
    `monitor="val_fd_mnist_classifier", mode="min"`.

    Args:
        real_images: array. Held-out real images.
        extractor: `FeatureExtractor`. E.g.
            `load_domain_classifier(...)` or `inception_v3_extractor()`.
        real_pixel_range: tuple. Range of `real_images`. Defaults to
            `(0, 255)`.
        every_n_epochs: int. Measure every this many epochs. Defaults to 1.
        num_generated: int or None. Generated images per measurement;
            `None` takes as many as there are real images. Defaults to
            `None`.
        kid: bool. Also log the KID. Defaults to `True`.
        kid_subset_size: int. Subset size of the KID. Defaults to 1000.
        prefix: str. Prefix of the logged keys. Defaults to `"val_"`.
        seed: int. Seed of the generated samples and of the KID subsets.
            Defaults to 0.
        batch_size: int. Images generated per call. Defaults to 500.

    Example:
    ```python
    callbacks = [
        keras_aegan.metrics.GenerativeMetricsCallback(test_images, fd_net),
        keras.callbacks.ModelCheckpoint(
            "best.keras", monitor="val_fd_mnist_classifier", mode="min",
            save_best_only=True,
        ),
    ]
    gan.fit(train_ds, epochs=20, callbacks=callbacks)
    ```
    """

    def __init__(
        self,
        real_images,
        extractor,
        real_pixel_range=UINT8_RANGE,
        every_n_epochs=1,
        num_generated=None,
        kid=True,
        kid_subset_size=1000,
        prefix="val_",
        seed=0,
        batch_size=500,
    ):
        super().__init__()
        if every_n_epochs < 1:
            raise ValueError(
                f"Expected every_n_epochs >= 1. Received {every_n_epochs}."
            )
        self.real_images = real_images
        self.extractor = extractor
        self.real_pixel_range = tuple(real_pixel_range)
        self.every_n_epochs = int(every_n_epochs)
        self.num_generated = int(num_generated or len(real_images))
        self.prefix = prefix
        self.seed = seed
        self.batch_size = int(batch_size)
        self.fd_key = f"{prefix}fd_{extractor.name}"
        self.kid_key = f"{prefix}kid_{extractor.name}" if kid else None
        self.kid_subset_size = int(kid_subset_size)
        self._real_features = None
        self.history = []

    def real_features(self):
        if self._real_features is None:
            self._real_features = self.extractor(
                self.real_images, self.real_pixel_range
            )
        return self._real_features

    def generated_images(self):
        batches = []
        for i, start in enumerate(
            range(0, self.num_generated, self.batch_size)
        ):
            n = min(self.batch_size, self.num_generated - start)
            images = self.model.generate(n, seed=self.seed + i)
            batches.append(np.asarray(keras.ops.convert_to_numpy(images)))
        return np.concatenate(batches, axis=0)

    def measure(self):
        """The metrics of the current generator, as a dict."""
        fake = self.extractor(
            self.generated_images(), pixel_range=self.model.pixel_range
        )
        fd = FrechetDistance()
        fd.update_state(self.real_features(), fake)
        values = {self.fd_key: fd.result()}
        if self.kid_key is not None:
            kid = KernelDistance(
                subset_size=self.kid_subset_size, seed=self.seed
            )
            kid.update_state(self.real_features(), fake)
            values[self.kid_key] = kid.result()
        return values

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every_n_epochs != 0:
            return
        values = self.measure()
        self.history.append({"epoch": epoch + 1, **values})
        if logs is not None:
            logs.update(values)
