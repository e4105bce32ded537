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
    "pix2pix_sr4_cifar10": {
        "description": (
            "Pix2Pix (Isola et al. 2017) x4 super-resolution of CIFAR-10: "
            "the bicubic-upsampled 8x8 image in, the 32x32 RGB image out, in "
            "[-1, 1]. Residual U-Net with 32 base filters, 16x16 PatchGAN, "
            "cGAN + 1000 L1 (10x the paper's lambda); 2 epochs."
        ),
        "metadata_sha256": (
            "8c028aaf1c243d1e4b447dd6ee3b7c0b6f2fd1137e25f30617aabffd0ebe9c84"
        ),
        "path": "pix2pix_sr4_cifar10",
    },
}
