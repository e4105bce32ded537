"""Full-reference image quality: PSNR and SSIM, and the scores of a paired
translation model against its task's baseline.

Both come from `tf.image` (`tf.image.psnr`, `tf.image.ssim`), computed on
the host for NumPy images of any backend, in float32, with the images
mapped to [0, 1] first (`max_val=1`).
"""

import numpy as np
import tensorflow as tf


def _unit(images, pixel_range):
    low, high = (float(v) for v in pixel_range)
    images = (np.asarray(images, "float32") - low) / (high - low)
    return tf.convert_to_tensor(np.clip(images, 0.0, 1.0))


def _check_pair(images, references):
    a, b = np.shape(images), np.shape(references)
    if a != b or len(a) != 4:
        raise ValueError(
            "Expected two batches of images of the same shape (n, height, "
            f"width, channels). Received shapes {a} and {b}."
        )


def psnr(images, references, pixel_range=(-1.0, 1.0)):
    """Peak signal-to-noise ratio of each image, in dB.

    `10 log10(1 / MSE)` on images mapped to [0, 1] (`tf.image.psnr`).
    Identical images give `inf`.

    Args:
        images: array `(n, h, w, c)`.
        references: array of the same shape, the ground truth.
        pixel_range: tuple. Range of both. Defaults to `(-1.0, 1.0)`.

    Returns:
        A float64 NumPy array `(n,)`.
    """
    _check_pair(images, references)
    value = tf.image.psnr(
        _unit(images, pixel_range), _unit(references, pixel_range), 1.0
    )
    return value.numpy().astype("float64")


def ssim(images, references, pixel_range=(-1.0, 1.0)):
    """Structural similarity of each image (Wang et al., "Image Quality
    Assessment: From Error Visibility to Structural Similarity", IEEE TIP
    2004, eq. 13), with `tf.image.ssim`'s defaults: an 11x11 Gaussian
    window of sigma 1.5, k1 = 0.01, k2 = 0.03, averaged over the channels.

    Images smaller than the window (under 11 pixels a side) are refused by
    `tf.image.ssim`.

    Args:
        images: array `(n, h, w, c)`.
        references: array of the same shape.
        pixel_range: tuple. Defaults to `(-1.0, 1.0)`.

    Returns:
        A float64 NumPy array `(n,)`.
    """
    _check_pair(images, references)
    value = tf.image.ssim(
        _unit(images, pixel_range), _unit(references, pixel_range), 1.0
    )
    return value.numpy().astype("float64")


def paired_translation_scores(model, inputs, targets, task, batch_size=64):
    """Mean PSNR and SSIM of a paired model and of its task's baseline.

    Args:
        model: a `Pix2Pix` (anything with `translate(inputs)`).
        inputs: array of model inputs in [-1, 1].
        targets: array of the ground-truth images in [-1, 1].
        task: `keras_aegan.datasets.PairedTask`, whose `baseline(inputs)`
            is the answer to beat (bicubic upsampling, the mean-filled
            hole, the grey image).
        batch_size: int. Defaults to 64.

    Returns:
        A dict: `psnr`, `ssim`, `baseline_psnr`, `baseline_ssim` (means
        over the images, PSNR in dB), and for inpainting `hole_psnr` and
        `baseline_hole_psnr`, the PSNR over the hole's pixels only.
    """
    outputs = model.translate(np.asarray(inputs, "float32"), batch_size)
    baseline = task.baseline(inputs)
    scores = {}
    for prefix, images in (("", outputs), ("baseline_", baseline)):
        scores[prefix + "psnr"] = float(np.mean(psnr(images, targets)))
        scores[prefix + "ssim"] = float(np.mean(ssim(images, targets)))
    if task.task == "inpainting":
        hole = task.hole_of(inputs)
        for prefix, images in (("", outputs), ("baseline_", baseline)):
            scores[prefix + "hole_psnr"] = masked_psnr(images, targets, hole)
    return scores


def masked_psnr(images, references, mask, pixel_range=(-1.0, 1.0)):
    """PSNR (dB) of the pixels where `mask` is 1, over the whole batch.

    Args:
        images: array `(n, h, w, c)`.
        references: array of the same shape.
        mask: array `(n, h, w, 1)` of 0 and 1.
        pixel_range: tuple. Defaults to `(-1.0, 1.0)`.
    """
    _check_pair(images, references)
    low, high = (float(v) for v in pixel_range)
    error = np.square(
        (np.asarray(images, "float64") - references) / (high - low)
    )
    weights = np.broadcast_to(np.asarray(mask, "float64"), error.shape)
    mse = float(np.sum(error * weights) / max(np.sum(weights), 1.0))
    return float(10.0 * np.log10(1.0 / mse)) if mse > 0 else float("inf")
