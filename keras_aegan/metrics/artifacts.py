"""Image artefact measures of generators."""

import numpy as np


def checkerboard_energy(images):
    """Share of an image's spectral energy on the Nyquist frequencies.

    Stride-2 transposed convolutions whose kernel size is not a multiple of
    the stride overlap unevenly and print a period-2 "checkerboard" on
    their outputs (Odena, Dumoulin & Olah 2016, "Deconvolution and
    Checkerboard Artifacts", Distill). A period-2 pattern puts its energy
    on the Nyquist frequencies of the discrete Fourier transform
    `X[u, v] = sum_{i,j} x[i, j] exp(-2 pi i (u i / H + v j / W))`,
    the row `u = H / 2` and the column `v = W / 2`. This measure is, per
    image and summed over channels,

    `sum_{u = H/2 or v = W/2} |X[u, v]|^2 / sum_{(u, v) != (0, 0)} |X[u, v]|^2`

    averaged over the images: 1 for a pure checkerboard `(-1)^(i + j)` or
    stripes of period 2, 0 for content of longer periods. Natural images
    have some energy there too; compare with real images of the same
    domain (the baseline), not with 0.

    Args:
        images: array `(N, H, W, C)` with even `H` and `W`, in any pixel
            range (the share does not depend on the scale or the mean).

    Returns:
        A float in [0, 1]; 0 for constant images.
    """
    images = np.asarray(images, "float64")
    if images.ndim != 4 or images.shape[1] % 2 or images.shape[2] % 2:
        raise ValueError(
            "Expected images of shape (N, H, W, C) with even H and W. "
            f"Received shape {images.shape}."
        )
    height, width = images.shape[1:3]
    power = np.abs(np.fft.fft2(images, axes=(1, 2))) ** 2
    power = power.sum(axis=-1)  # over channels
    power[:, 0, 0] = 0.0  # the mean
    nyquist = power[:, height // 2, :].sum(axis=1)
    nyquist += power[:, :, width // 2].sum(axis=1)
    nyquist -= power[:, height // 2, width // 2]  # counted twice
    total = power.sum(axis=(1, 2))
    share = np.divide(nyquist, total, out=np.zeros_like(total), where=total > 0)
    return float(share.mean())
