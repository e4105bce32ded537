"""The `keras-aegan` command line."""

import csv
import inspect
import json

import numpy as np
import pytest
from PIL import Image

from keras_aegan import cli
from tests.helpers import BACKEND
from tests.helpers import SHARED_DATA
from tests.helpers import sample_run_arguments
from tests.helpers import to_numpy

# The command line's plumbing is the same on every backend, and the models
# it drives are tested on every backend by their own tests: its costlier
# tests run once, in one pass (`once`, tests/conftest.py).
ONCE = pytest.mark.once


def run(argv, capsys):
    code = cli.main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list(capsys):
    code, out, _ = run(["list"], capsys)
    assert code == 0
    assert "vae" in out and "dcgan" in out and "mnist_sample" in out
    assert "dcgan_mnist" in out and "vae_mnist" in out


def test_declared_capabilities_match_what_each_model_does():
    # The command line reads the declared capabilities; here they are
    # checked against the classes' signatures and methods.
    from keras_aegan import models

    classes = cli.model_classes()
    assert {"dcgan", "acgan", "cyclegan", "vae", "autoencoder"} <= set(classes)
    for name, cls in classes.items():
        signature = inspect.signature(cls).parameters
        assert cls.conditional == ("num_classes" in signature), name
        assert cls.samples == callable(getattr(cls, "generate", None)), name
        assert cls.translation == (
            issubclass(cls, models.UnpairedTranslationModel) or cls.paired
        ), name
        assert cls.paired == issubclass(cls, models.Pix2Pix), name
        assert cls.schedule_from_fit == (
            "epochs" in inspect.signature(cls.compile).parameters
        ), name
    assert classes["acgan"].conditional and classes["cyclegan"].translation
    assert classes["vae"].samples and not classes["autoencoder"].samples


def test_generate_from_a_shipped_preset(tmp_path, capsys):
    grid = tmp_path / "preset.png"
    argv = ["generate", "dcgan_mnist", "--num", "4", "--seed", "1"]
    code, _, err = run([*argv, "--out", str(grid)], capsys)
    assert code == 0, err
    assert np.asarray(Image.open(grid)).shape == (62, 62)


@pytest.mark.parametrize(
    "argv, message",
    [
        (["train", "nope", "--out", "x"], "Unknown model 'nope'"),
        (["train", "vae", "--dataset", "nope", "--out", "x"], "nope"),
        (["generate", "missing_dir", "--out", "g.png"], "No model at"),
        (["train", "vae", "--out", "empty_run", "--resume"], "checkpoint"),
        (
            ["train", "dcgan", "--out", "x", "--model-config", '{"emma": 1}'],
            "unknown ['emma']",
        ),
        (
            ["train", "dcgan", "--out", "x", "--model-config", '{"seed": 1}'],
            "without ['seed']",
        ),
    ],
)
def test_bad_arguments_give_one_line(argv, message, capsys, tmp_path):
    argv = [str(tmp_path / a) if a in ("x", "missing_dir") else a for a in argv]
    code, _, err = run(argv, capsys)
    assert code == 2
    assert err.startswith("keras-aegan: error:") and message in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


@pytest.mark.parametrize(
    "flag, value, message",
    [
        ("--epochs", "-1", "positive integer, got -1"),
        ("--epochs", "0", "positive integer, got 0"),
        ("--epochs", "two", "positive integer, got 'two'"),
        ("--model-config", "{beta: 2}", "JSON object"),
        ("--model-config", "[2]", "got list '[2]'"),
    ],
)
def test_bad_flag_values_exit_with_one_line(flag, value, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["train", "vae", flag, value, "--out", "x"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert flag in err and message in err, err


def test_a_model_that_does_not_sample_shows_reconstructions(tmp_path, capsys):
    out = tmp_path / "run"
    argv = [
        "train", "autoencoder", "--dataset", "mnist_sample",
        "--batch-size", "32", "--max-examples", "64", "--epochs", "1",
        "--grid-size", "16", "--out", str(out), "--verbose", "0",
    ]  # fmt: skip
    code, _, err = run(argv, capsys)
    assert code == 0, err
    grid = np.asarray(Image.open(out / "samples" / "epoch_001.png"))
    # Two rows of eight 28x28 digits with 2-pixel padding: training
    # images, then their reconstructions.
    assert grid.shape[:2] == (2 * 30 + 2, 8 * 30 + 2)
    code, _, err = run(
        ["generate", str(out), "--out", str(tmp_path / "g.png")], capsys
    )
    assert code == 2 and "reconstruct" in err


@ONCE
def test_train_resume_and_generate(tmp_path, capsys):
    out = tmp_path / "run"
    common = [
        "--dataset", "mnist_sample", "--batch-size", "64",
        "--max-examples", "256", "--out", str(out), "--verbose", "0",
        "--latent-dim", "4", "--grid-size", "16",
    ]  # fmt: skip
    code, _, err = run(["train", "vae", "--epochs", "1", *common], capsys)
    assert code == 0, err
    assert (out / "samples" / "epoch_001.png").is_file()
    from keras_aegan import checkpointing

    state = checkpointing.latest_state(out)
    assert (state["epoch"], state["step"]) == (1, 0)
    assert state["logs"]["loss"] > 0
    assert state["wall_time_s"] > 0
    # A second run into the same folder would overwrite the first: refused.
    code, _, err = run(["train", "vae", "--epochs", "1", *common], capsys)
    assert code == 2 and "--resume" in err
    # A run that stopped goes on from its checkpoint.
    code, _, err = run(
        ["train", "vae", "--epochs", "2", "--resume", *common], capsys
    )
    assert code == 0, err
    rows = list(csv.DictReader(open(out / "log.csv")))
    assert [r["epoch"] for r in rows] == ["0", "1"]
    assert float(rows[1]["loss"]) < float(rows[0]["loss"])
    assert (out / "samples" / "epoch_002.png").is_file()
    # It goes on only with its own arguments: a changed batch size is
    # refused, with both values named, and the checkpoint is untouched.
    (latest,) = checkpointing.checkpoints(out)[-1:]
    before = (latest / checkpointing.CHECKPOINT_FILE).read_bytes()
    changed = [a if a != "64" else "32" for a in common]
    code, _, err = run(
        ["train", "vae", "--epochs", "3", "--resume", *changed], capsys
    )
    assert code == 2 and "--batch-size 64" in err and "--batch-size 32" in err
    assert checkpointing.checkpoints(out)[-1] == latest
    assert (latest / checkpointing.CHECKPOINT_FILE).read_bytes() == before
    grid = out / "grid.png"
    code, _, err = run(
        ["generate", str(out), "--num", "9", "--seed", "3", "--out", str(grid)],
        capsys,
    )
    assert code == 0, err
    image = np.asarray(Image.open(grid))
    assert image.shape == (3 * 30 + 2, 3 * 30 + 2)
    # The same seed gives the same grid.
    again = tmp_path / "again.png"
    argv = ["generate", str(out), "--num", "9", "--seed", "3"]
    run([*argv, "--out", str(again)], capsys)
    np.testing.assert_array_equal(image, np.asarray(Image.open(again)))


@ONCE
def test_mixed_precision_trains_in_bfloat16_and_resumes_only_so(
    tmp_path, capsys
):
    import keras

    from keras_aegan import checkpointing

    out = tmp_path / "run"
    common = sample_run_arguments(out, batch_size=32, max_examples=64)
    argv = ["train", "dcgan", "--epochs", "1", "--mixed-precision", "bfloat16"]
    try:
        code, _, err = run([*argv, *common], capsys)
        assert code == 0, err
        model, epoch, _ = checkpointing.resume_from(out)
        assert epoch == 1
        for net in (model.generator, model.discriminator):
            assert net.dtype_policy.name == "mixed_bfloat16"
            assert net.compute_dtype == "bfloat16"
            assert all(w.dtype == "float32" for w in net.weights)
        assert np.isfinite(model.generate(4, seed=0)).all()
        # The policy is one of the run's arguments: resuming without it
        # is refused, naming both.
        code, _, err = run(
            ["train", "dcgan", "--epochs", "2", "--resume", *common], capsys
        )
        assert code == 2, err
        assert "--mixed-precision bfloat16" in err
        assert "no --mixed-precision" in err
    finally:
        keras.config.set_dtype_policy("float32")


@ONCE
def test_model_config_reaches_the_model_and_binds_the_run(tmp_path, capsys):
    from keras_aegan import checkpointing

    out = tmp_path / "run"
    common = sample_run_arguments(out, batch_size=32, max_examples=64)
    config = ["--model-config", '{"ema_decay": 0.9, "discriminator_steps": 2}']
    code, _, err = run(
        ["train", "dcgan", "--epochs", "1", *config, *common], capsys
    )
    assert code == 0, err
    model, epoch, _ = checkpointing.resume_from(out)
    assert (model.ema_decay, model.discriminator_steps, epoch) == (0.9, 2, 1)
    # Two discriminator updates per generator update: 2 steps, 4 and 2.
    counts = [
        int(to_numpy(model.optimizer[n].iterations))
        for n in model.optimizer.names
    ]
    assert sorted(counts) == [2, 4], counts
    code, _, err = run(
        ["train", "dcgan", "--epochs", "2", "--resume", *common], capsys
    )
    assert code == 2 and "no --model-config" in err, err


def test_resume_refuses_new_epochs_for_a_schedule_planned_on_them(tmp_path):
    from keras_aegan import checkpointing

    folder = (
        tmp_path / checkpointing.CHECKPOINTS_DIR / "epoch-00003-step-0000000"
    )
    folder.mkdir(parents=True)
    (folder / checkpointing.CHECKPOINT_FILE).write_bytes(b"")
    arguments = {"model": "cyclegan", "dataset": "horse2zebra", "epochs": 20}
    state = {"epoch": 3, "step": 0, "arguments": arguments}
    (folder / checkpointing.STATE_FILE).write_text(json.dumps(state))
    more = {**arguments, "epochs": 30}
    with pytest.raises(ValueError, match="--epochs 20.*planned.*30.*--replan"):
        checkpointing.resume_from(tmp_path, more, fixed_epochs=True)
    other = {**arguments, "dataset": "apple2orange"}
    with pytest.raises(ValueError, match="--dataset horse2zebra"):
        checkpointing.resume_from(tmp_path, other)


@pytest.mark.skipif(BACKEND != "tensorflow", reason="one backend is enough")
def test_backend_switch_reruns_under_the_asked_backend(tmp_path):
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "keras_aegan", "list", "--backend", "torch"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "backend: torch" in done.stdout and "dcgan" in done.stdout


@ONCE
def test_train_a_translation_model_on_a_folder_pair(tmp_path, capsys):
    # Two unpaired domains of 6 and 4 images, in the CycleGAN layout.
    rng = np.random.default_rng(0)
    for suffix, count in (("A", 6), ("B", 4)):
        folder = tmp_path / "pair" / f"train{suffix}"
        folder.mkdir(parents=True)
        for i in range(count):
            image = rng.integers(0, 256, (20, 20, 3), dtype=np.uint8)
            Image.fromarray(image).save(folder / f"{i}.png")
    out = tmp_path / "run"
    common = [
        "--dataset", str(tmp_path / "pair"), "--image-size", "16",
        "--batch-size", "2", "--out", str(out), "--verbose", "0",
        "--grid-size", "4",
    ]  # fmt: skip
    code, _, err = run(["train", "discogan", "--epochs", "1", *common], capsys)
    assert code == 0, err
    # Rows of 4: A images, translations, cycles; 16 px plus 2 px borders.
    grid = np.asarray(Image.open(out / "samples" / "epoch_001.png"))
    assert grid.shape == (3 * 18 + 2, 4 * 18 + 2, 3)
    code, _, err = run(
        ["train", "discogan", "--epochs", "2", "--resume", *common], capsys
    )
    assert code == 0, err
    rows = list(csv.DictReader(open(out / "log.csv")))
    assert [r["epoch"] for r in rows] == ["0", "1"]
    assert {"cycle_a_loss", "d_b_loss"} <= set(rows[0])
    code, _, err = run(
        ["generate", str(out), "--out", str(tmp_path / "g.png")], capsys
    )
    assert code == 2 and "translate" in err


def _write_images(folder, count, size, seed):
    folder.mkdir(parents=True)
    rng = np.random.default_rng(seed)
    for i in range(count):
        image = rng.integers(0, 256, (size, size, 3), dtype=np.uint8)
        Image.fromarray(image).save(folder / f"{i}.png")


@ONCE
def test_translate_a_folder_of_own_images_with_a_run_and_a_preset(
    tmp_path, capsys
):
    # A Pix2Pix inpainting run on 8 of the user's images, then `translate`
    # on 3 others: the run's task cuts their holes as in training.
    _write_images(tmp_path / "mine", 8, 40, seed=0)
    _write_images(tmp_path / "new", 3, 24, seed=1)
    run_dir = tmp_path / "run"
    argv = [
        "train", "pix2pix", "--dataset", str(tmp_path / "mine"),
        "--task", "inpainting", "--image-size", "32", "--batch-size", "4",
        "--epochs", "1", "--grid-size", "4", "--verbose", "0",
        "--model-config",
        '{"generator_filters": 4, "discriminator_filters": 4}',
        "--out", str(run_dir),
    ]  # fmt: skip
    code, _, err = run(argv, capsys)
    assert code == 0, err
    # Rows of 4: the holed inputs, the outputs and the originals.
    grid = np.asarray(Image.open(run_dir / "samples" / "epoch_001.png"))
    assert grid.shape == (3 * 34 + 2, 4 * 34 + 2, 3)
    out = tmp_path / "translated"
    argv = ["translate", str(run_dir), "--input", str(tmp_path / "new")]
    code, printed, err = run([*argv, "--out", str(out)], capsys)
    assert code == 0, err
    assert "translated 3 image(s) with Pix2Pix" in printed
    for i in range(3):
        assert Image.open(out / f"{i}.png").size == (32, 32)
    grid = np.asarray(Image.open(out / "grid.png"))
    assert grid.shape == (3 * 34 + 2, 3 * 34 + 2, 3)
    # The holes come from --seed: the same seed, the same grid.
    again = tmp_path / "again"
    code, _, err = run([*argv, "--out", str(again)], capsys)
    assert code == 0, err
    np.testing.assert_array_equal(
        np.asarray(Image.open(again / "grid.png")), grid
    )
    code, _, err = run(
        [*argv, "--out", str(again), "--direction", "b_to_a"], capsys
    )
    assert code == 2 and "Expected --direction a_to_b for Pix2Pix" in err
    # The shipped CycleGAN, zebra to horse, on one image file.
    argv = [
        "translate", "cyclegan_horse2zebra_64", "--direction", "b_to_a",
        "--input", str(tmp_path / "new" / "0.png"),
        "--out", str(tmp_path / "horse"),
    ]  # fmt: skip
    code, printed, err = run(argv, capsys)
    assert code == 0, err
    assert Image.open(tmp_path / "horse" / "0.png").size == (64, 64)
    # Rows: the input and its translation.
    grid = np.asarray(Image.open(tmp_path / "horse" / "grid.png"))
    assert grid.shape == (2 * 66 + 2, 66 + 2, 3)
    code, _, err = run(
        ["translate", "dcgan_mnist", "--input", str(tmp_path / "new"),
         "--out", str(tmp_path / "no")], capsys
    )  # fmt: skip
    assert code == 2 and "Expected a translation model" in err
    code, _, err = run(
        ["translate", str(run_dir), "--input", str(tmp_path / "none"),
         "--out", str(tmp_path / "no")], capsys
    )  # fmt: skip
    assert code == 2 and "which does not exist" in err


@ONCE
def test_translate_fills_holes_in_own_faces_with_the_inpainting_preset(
    tmp_path, capsys
):
    # Five faces of people the preset never saw, as the user's own PNGs:
    # the preset's metadata gives the task, so `translate` cuts box holes
    # and fills them closer to the real faces than the mean fill.
    from tests.helpers import skip_without_data

    skip_without_data("olivetti")
    with np.load(SHARED_DATA / "olivetti" / "olivetti_faces.npz") as data:
        faces = data["images"][data["labels"] == 39][:5]
    (tmp_path / "faces").mkdir()
    for i, face in enumerate(faces):
        Image.fromarray(face.squeeze()).save(tmp_path / "faces" / f"{i}.png")
    argv = [
        "translate", "pix2pix_inpaint_olivetti",
        "--input", str(tmp_path / "faces"), "--out", str(tmp_path / "out"),
    ]  # fmt: skip
    code, printed, err = run(argv, capsys)
    assert code == 0, err
    assert "translated 5 image(s) with Pix2Pix" in printed
    # Rows of 66-pixel cells: mean-filled inputs, outputs, originals.
    grid = np.asarray(Image.open(tmp_path / "out" / "grid.png"), "float32")
    assert grid.shape[:2] == (3 * 66 + 2, 5 * 66 + 2)
    filled, output, real = (grid[2 + 66 * r : 66 * (r + 1)] for r in range(3))
    hole = np.abs(filled - real).max(-1) > 0
    assert hole.mean() > 0.05
    baseline_error = np.square(filled - real)[hole].mean()
    assert np.square(output - real)[hole].mean() < 0.8 * baseline_error


@ONCE
def test_evaluate_ranks_a_trained_preset_above_an_untrained_model(
    tmp_path, capsys
):
    from keras_aegan.models import DCGAN

    untrained_file = tmp_path / "untrained.keras"
    DCGAN(image_shape=(28, 28, 1), seed=0).save(untrained_file)
    scores = {}
    models = (("preset", "dcgan_mnist"), ("untrained", untrained_file))
    for name, model in models:
        out = tmp_path / f"{name}.json"
        argv = [
            "evaluate", str(model), "--dataset", "mnist_sample",
            "--classifier", "mnist_classifier", "--num", "500",
            "--json", str(out),
        ]  # fmt: skip
        code, printed, err = run(argv, capsys)
        assert code == 0, err
        assert "Fréchet Distance on mnist_classifier features (FD-mnist)" in (
            printed
        )
        scores[name] = json.loads(out.read_text())
        assert scores[name]["num_real"] == 1000  # the embedded test split
        assert scores[name]["num_generated"] == 500
    preset, untrained = scores["preset"], scores["untrained"]
    assert preset["fd"] < untrained["fd"] / 3
    assert preset["kid"] < untrained["kid"]
    # The untrained generator's near-identical outputs can sit inside the
    # real manifold (high precision) but cover none of it.
    assert preset["recall"] > untrained["recall"] + 0.5
    assert preset["is"] > untrained["is"]
    # No classifier for this data set: one line naming what to pass.
    code, _, err = run(["evaluate", "dcgan_mnist", "--dataset", "nope"], capsys)
    assert code == 2 and "--classifier" in err
    assert len(err.strip().splitlines()) == 1
    # A run directory names no data set.
    code, _, err = run(["evaluate", str(untrained_file)], capsys)
    assert code == 2 and "Expected --dataset" in err


@ONCE
@pytest.mark.needs_data("mnist", "cifar10")
def test_evaluate_takes_the_preset_data_set_and_checks_shapes(capsys):
    argv = ["evaluate", "dcgan_mnist", "--num", "200", "--data-dir"]
    code, out, err = run([*argv, str(SHARED_DATA)], capsys)
    assert code == 0, err
    assert "against 10000 mnist test images" in out
    code, _, err = run(
        [*argv, str(SHARED_DATA), "--dataset", "cifar10"], capsys
    )
    assert code == 2
    assert "(28, 28, 1). Received (32, 32, 3)" in err
