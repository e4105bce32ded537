"""The presets of `CycleGAN`: shipped folders under `keras_aegan/presets/`,
each trained by the recipe in its `zoo/<name>/` card."""

CYCLEGAN_PRESETS = {
    "cyclegan_horse2zebra_64": {
        "description": (
            "CycleGAN (Zhu et al. 2017) horse <-> zebra at 64x64: ResNet "
            "generators (16 filters, 6 blocks), 70x70-style PatchGAN (32 "
            "filters), trained on the horse2zebra train split on CPU. "
            "Domain A = horse, B = zebra."
        ),
        "metadata_sha256": (
            "fcac24b41bec138174ff69b559137cf057b23640872240150a6313295028dbf9"
        ),
        "path": "cyclegan_horse2zebra_64",
    },
}
