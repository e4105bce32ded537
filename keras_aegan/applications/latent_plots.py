"""Pictures of latent spaces: scatter plots and traversal grids.

To interpret and visualize a latent space: a 2-D
scatter of the codes of labelled data (Kingma & Welling 2014, figure 4
draws the manifold of a 2-D VAE; Makhzani et al. 2015, figure 2, the code
distribution of an AAE) and a grid of decoded images along two latent
axes. The scatter needs matplotlib; the grid only needs Pillow.
"""

import numpy as np
from keras import ops
from PIL import Image


def encode_images(model, images, batch_size=256):
    """The codes of `images` as a numpy array `(n, latent_dim)`.

    The posterior mean for a `VAE`, the encoder output otherwise; grids of
    codes (VQ-VAE) are flattened.
    """
    codes = []
    for start in range(0, len(images), batch_size):
        z = model.encode(images[start : start + batch_size])
        if isinstance(z, (tuple, list)):
            z = z[0]
        z = np.asarray(ops.convert_to_numpy(z))
        codes.append(z.reshape(len(z), -1))
    return np.concatenate(codes)


def _project_2d(codes):
    codes = np.asarray(codes, "float64")
    if codes.ndim != 2:
        raise ValueError(f"Expected codes (n, dim). Received {codes.shape}.")
    if codes.shape[1] == 2:
        return codes, ("z[0]", "z[1]")
    if codes.shape[1] < 2:
        raise ValueError("Expected codes of at least 2 dimensions.")
    centred = codes - codes.mean(axis=0)
    _, _, vt = np.linalg.svd(centred, full_matrices=False)
    return centred @ vt[:2].T, ("PC 1 of z", "PC 2 of z")


def plot_latent_scatter(codes, labels, path, title=None, point_size=4):
    """Saves a 2-D scatter of codes coloured by label as a PNG.

    Codes of more than two dimensions are projected on their first two
    principal components.

    Args:
        codes: array `(n, latent_dim)`.
        labels: array `(n,)` of integer labels.
        path: str. Where to write the PNG.
        title: str or None. Title of the plot. Defaults to `None`.
        point_size: float. Marker size. Defaults to 4.

    Returns:
        The `(n, 2)` plotted coordinates.
    """
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:
        raise ImportError(
            "plot_latent_scatter needs matplotlib: `pip install matplotlib`."
        ) from error
    xy, axis_labels = _project_2d(codes)
    labels = np.asarray(labels).ravel()
    if len(labels) != len(xy):
        raise ValueError(
            f"Expected one label per code. Received {len(xy)} codes and "
            f"{len(labels)} labels."
        )
    fig, ax = plt.subplots(figsize=(6, 5), dpi=100)
    points = ax.scatter(
        xy[:, 0], xy[:, 1], c=labels, s=point_size, cmap="tab10", alpha=0.8
    )
    fig.colorbar(points, ax=ax, label="label")
    ax.set_xlabel(axis_labels[0])
    ax.set_ylabel(axis_labels[1])
    if title:
        ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return xy


def latent_traversal_grid(
    decode,
    latent_dim,
    path=None,
    dims=(0, 1),
    extent=3.0,
    steps=10,
    base=None,
):
    """Decodes a grid of codes along two latent axes; saves it as a PNG.

    The code `base` (zeros by default, the prior's mode) is moved along
    `dims[0]` across the columns and `dims[1]` down the rows, from
    `-extent` to `extent` (Kingma & Welling 2014, figure 4).

    Args:
        decode: callable. Maps codes `(n, latent_dim)` to images in [0, 1],
            e.g. `vae.decode`.
        latent_dim: int. Size of the code.
        path: str or None. Where to write the PNG; nothing is written when
            `None`. Defaults to `None`.
        dims: tuple of two int. The latent axes to traverse. Defaults to
            `(0, 1)`.
        extent: float. Half-width of the traversal. Defaults to 3.0.
        steps: int. Images per row and column. Defaults to 10.
        base: array or None. The code `(latent_dim,)` to move from.
            Defaults to `None` (zeros).

    Returns:
        The grid as a uint8 array `(steps * h, steps * w, channels)`.
    """
    if len(dims) != 2 or not all(0 <= d < latent_dim for d in dims):
        raise ValueError(
            f"Expected two latent axes in [0, {latent_dim}). Received "
            f"dims={dims}."
        )
    base = np.zeros(latent_dim, "float32") if base is None else base
    values = np.linspace(-extent, extent, steps, dtype="float32")
    codes = np.tile(np.asarray(base, "float32"), (steps * steps, 1))
    rows, cols = np.meshgrid(values, values, indexing="ij")
    codes[:, dims[0]] = cols.ravel()
    codes[:, dims[1]] = rows.ravel()
    images = np.asarray(ops.convert_to_numpy(decode(codes)))
    n, h, w, c = images.shape
    grid = images.reshape(steps, steps, h, w, c).transpose(0, 2, 1, 3, 4)
    grid = grid.reshape(steps * h, steps * w, c)
    grid = np.clip(np.round(grid * 255.0), 0, 255).astype("uint8")
    if path is not None:
        Image.fromarray(grid[..., 0] if c == 1 else grid).save(path)
    return grid
