"""Callbacks for training generative models."""

from pathlib import Path

import keras

from keras_aegan.visualization import save_image_grid

__all__ = ["SampleGrid", "save_image_grid"]


class SampleGrid(keras.callbacks.Callback):
    """Writes a PNG grid of generated samples during `fit()`.

    The same seed is used at every epoch, so the grids show how the same
    latent codes (and, for conditional models, the same classes in turn)
    evolve over training. Files are named `epoch_0001.png`, ...

    Args:
        out_dir: str or path. Folder of the PNG files; created if needed.
        num: int. Number of images per grid. Defaults to 64.
        seed: int. Seed of the latent codes. Defaults to 0.
        every: int. Write a grid every `every` epochs. Defaults to 1.
        columns: int or None. Images per row. Defaults to
            `ceil(sqrt(num))`.

    Example:
    ```python
    gan.fit(images, epochs=5, callbacks=[SampleGrid("samples", num=16)])
    ```
    """

    def __init__(self, out_dir, num=64, seed=0, every=1, columns=None):
        super().__init__()
        if int(num) < 1 or int(every) < 1:
            raise ValueError(
                f"Expected num >= 1 and every >= 1. Received num={num}, "
                f"every={every}."
            )
        self.out_dir = Path(out_dir)
        self.num = int(num)
        self.seed = int(seed)
        self.every = int(every)
        self.columns = columns
        self.paths = []

    def on_epoch_end(self, epoch, logs=None):
        if (epoch + 1) % self.every:
            return
        images = self.model.generate(self.num, seed=self.seed)
        path = self.out_dir / f"epoch_{epoch + 1:04d}.png"
        save_image_grid(
            images,
            path,
            pixel_range=self.model.pixel_range,
            columns=self.columns,
        )
        self.paths.append(path)
