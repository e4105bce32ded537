"""PSNR and SSIM (`tf.image`), against the values their definitions give."""

import numpy as np
import pytest

from keras_aegan import metrics


def _images(seed=0, shape=(3, 16, 16, 2)):
    rng = np.random.default_rng(seed)
    return rng.uniform(-0.8, 0.8, shape).astype("float32")


def test_psnr_is_ten_log10_of_one_over_the_mse_in_unit_range():
    x = _images()
    # An offset of 0.2 in [-1, 1] is 0.1 in [0, 1]: MSE 0.01, 20 dB.
    np.testing.assert_allclose(metrics.psnr(x + 0.2, x), 20.0, atol=1e-3)
    # The same images in 0..255 give the same PSNR.
    to_255 = (x + 1.0) * 127.5
    np.testing.assert_allclose(
        metrics.psnr(to_255 + 25.5, to_255, pixel_range=(0, 255)),
        20.0,
        atol=1e-3,
    )
    # Per image: the error of image i only.
    y = x.copy()
    y[1] += 0.02  # 0.01 in [0, 1]: MSE 1e-4, 40 dB
    np.testing.assert_allclose(
        metrics.psnr(y, x), [np.inf, 40.0, np.inf], atol=1e-2
    )


def test_ssim_is_one_for_equal_images_and_falls_with_noise():
    x = _images(shape=(2, 32, 32, 3))
    np.testing.assert_allclose(metrics.ssim(x, x), 1.0, atol=1e-6)
    noise = np.random.default_rng(1).normal(size=x.shape).astype("float32")
    mild = metrics.ssim(np.clip(x + 0.05 * noise, -1, 1), x)
    strong = metrics.ssim(np.clip(x + 0.5 * noise, -1, 1), x)
    assert np.all(strong < mild) and np.all(mild < 1.0)
    # A constant change of brightness keeps the structure terms at 1: SSIM
    # is then the luminance term (2 mu_x mu_y + c1) / (mu_x^2 + mu_y^2 + c1)
    # for each window, so it stays close to 1, far above the noisy score.
    shifted = metrics.ssim(x + 0.1, x)
    assert np.all(shifted > 0.9) and np.all(shifted > strong)


def test_masked_psnr_scores_the_hole_only():
    x = _images(shape=(2, 8, 8, 1))
    y = x.copy()
    mask = np.zeros((2, 8, 8, 1), "float32")
    mask[:, 2:4, 2:4] = 1
    y[mask == 1] += 0.2  # 20 dB inside
    y[mask == 0] += 0.02  # 40 dB outside
    assert metrics.masked_psnr(y, x, mask) == pytest.approx(20.0, abs=1e-3)
    assert metrics.masked_psnr(y, x, 1 - mask) == pytest.approx(40.0, abs=1e-3)


def test_quality_metrics_refuse_mismatched_batches():
    with pytest.raises(ValueError, match="same shape"):
        metrics.psnr(_images(), _images()[:2])
    with pytest.raises(ValueError, match="same shape"):
        metrics.ssim(_images()[0], _images()[0])
