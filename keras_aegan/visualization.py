"""Image grids of samples, saved as PNG."""

import math
from pathlib import Path

import keras
import numpy as np


def image_grid(images, pixel_range=(-1.0, 1.0), columns=None, padding=2):
    """Tiles a batch of images into one uint8 image.

    Args:
        images: array or tensor. `(n, height, width, channels)`, with
            `channels` 1 or 3, values in `pixel_range`.
        pixel_range: tuple. `(low, high)` range of the values. Defaults to
            `(-1.0, 1.0)`.
        columns: int or None. Images per row. Defaults to `ceil(sqrt(n))`.
        padding: int. Pixels between images. Defaults to 2.

    Returns:
        A uint8 array `(rows * (h + padding) + padding, ..., channels)`.
    """
    images = np.asarray(keras.ops.convert_to_numpy(images), dtype="float32")
    if images.ndim != 4 or images.shape[-1] not in (1, 3) or not len(images):
        raise ValueError(
            "Expected a non-empty batch of images (n, height, width, 1 or 3)."
            f" Received shape {images.shape}."
        )
    low, high = pixel_range
    scaled = np.clip((images - low) / (high - low), 0.0, 1.0)
    scaled = np.round(scaled * 255.0).astype("uint8")
    count, height, width, channels = scaled.shape
    columns = columns or math.ceil(math.sqrt(count))
    rows = math.ceil(count / columns)
    grid = np.full(
        (
            rows * (height + padding) + padding,
            columns * (width + padding) + padding,
            channels,
        ),
        255,
        dtype="uint8",
    )
    for index in range(count):
        row, column = divmod(index, columns)
        top = padding + row * (height + padding)
        left = padding + column * (width + padding)
        grid[top : top + height, left : left + width] = scaled[index]
    return grid


def save_image_grid(
    images, path, pixel_range=(-1.0, 1.0), columns=None, padding=2
):
    """Saves a batch of images as one PNG grid; returns the path. One image
    with `padding=0` is saved as it is."""
    from PIL import Image

    grid = image_grid(
        images, pixel_range=pixel_range, columns=columns, padding=padding
    )
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    mode = "L" if grid.shape[-1] == 1 else "RGB"
    Image.fromarray(grid[..., 0] if mode == "L" else grid, mode).save(path)
    return path
