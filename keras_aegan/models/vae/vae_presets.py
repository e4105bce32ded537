"""The presets of `VAE`: shipped folders under `keras_aegan/presets/`,
each trained by the recipe in its `zoo/<name>/` card."""

VAE_PRESETS = {
    "vae_mnist": {
        "description": (
            "Convolutional VAE (Kingma & Welling 2014), 16-d latent, "
            "Bernoulli decoder, trained on the 60,000 MNIST training digits"
            " in [0, 1]."
        ),
        "metadata_sha256": (
            "4658dfba5e1ce7b19d8eb1e2481c37cfa09701f55e7018a7cc1280a431799ced"
        ),
        "path": "vae_mnist",
    },
}
