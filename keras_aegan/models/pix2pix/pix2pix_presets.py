"""The presets of `Pix2Pix`: shipped folders under `keras_aegan/presets/`,
each trained by the recipe in its `zoo/<name>/` card."""

PIX2PIX_PRESETS = {
    "pix2pix_inpaint_olivetti": {
        "description": (
            "Pix2Pix (Isola et al. 2017) inpainting of 64x64 grey Olivetti "
            "faces: the face with one box hole (filled with the mean of the "
            "known pixels) and the hole's mask in, the face out, in [-1, 1]. "
            "U-Net with 16 base filters; trained on people 0-34."
        ),
        "metadata_sha256": (
            "6555b427dc301bf3b0110290f4f4a289a10ea7d18ad8496723211427b4e957a9"
        ),
        "path": "pix2pix_inpaint_olivetti",
    },
}
