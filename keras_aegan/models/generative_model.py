"""The base class of every model: compile, train and save on any backend."""

import copy
import functools
import inspect
import random
import threading

import keras

from keras_aegan import presets
from keras_aegan import training
from keras_aegan import validation
from keras_aegan.api_export import keras_aegan_export

_building = threading.local()


def _seeding_initializers(init):
    """Wraps a model's `__init__` so that its `seed` also seeds the weight
    initialization.

    Keras draws the seed of every initializer and seed generator built
    without one from Python's `random` (`keras.random.make_default_seed`).
    Inside the outermost model `__init__` given an int `seed`, `random` is
    seeded with it, and its state is put back afterwards: the same seed
    builds the same networks, and the caller's own random stream is left
    as it was.
    """
    signature = inspect.signature(init)

    @functools.wraps(init)
    def wrapper(self, *args, **kwargs):
        if getattr(_building, "active", False):
            return init(self, *args, **kwargs)
        bound = signature.bind_partial(self, *args, **kwargs).arguments
        seed = bound.get("seed", bound.get("kwargs", {}).get("seed"))
        if seed is None or isinstance(seed, keras.random.SeedGenerator):
            return init(self, *args, **kwargs)
        state = random.getstate()
        random.seed(int(seed))
        _building.active = True
        try:
            return init(self, *args, **kwargs)
        finally:
            _building.active = False
            random.setstate(state)

    # Keras reads the constructor's arguments from it (`Operation.__new__`).
    wrapper.__signature__ = signature
    return wrapper


class _DeclaredPresets:
    """`Model.presets`, as keras-hub's `Backbone.presets`: the registered
    presets that hold the class (or a subclass), name to description,
    from the `*_presets.py` declarations beside the classes."""

    def __get__(self, instance, owner):
        return {
            name: presets.REGISTRY[name]["description"]
            for name in presets.presets_of(owner)
        }


@keras_aegan_export("keras_aegan.models.GenerativeModel")
class GenerativeModel(keras.Model):
    """Base class of the autoencoders and generative models.

    A subclass composes networks (plain functional Keras models) and
    describes its training step as a list of `keras_aegan.training.Update`s,
    each a loss written in `keras.ops`, an optimizer name and the variables
    that optimizer moves. The training core of the active backend runs the
    updates, so `compile()` and `fit()` work alike on TensorFlow, JAX and
    PyTorch.

    The hooks a subclass defines or overrides, by the shape of their name:

    | Name | What it is | Examples |
    |---|---|---|
    | `default_optimizers()` | a dict from optimizer names to fresh optimizers, with the defaults of the model's paper | `{"generator_optimizer": Adam(2e-4, beta_1=0.5), ...}` |
    | `optimizer_targets()` | a dict from the same names to the variables each optimizer moves | `{"generator_optimizer": generator.trainable_variables}` |
    | `train_updates()` | the ordered `Update`s of one training step | D then G |
    | `*_loss(x, y)` | an update's callable: the batch in, `(loss, logs)` out; the core differentiates it | `discriminator_loss`, `generator_loss`, `train_loss` |
    | `*_objective(sides)` | the paper's formula on the networks' outputs, called by a `*_loss`; override it to change the formula and keep the step | `discriminator_objective(real, fake)`, `generator_objective(fake)` |
    | `*_penalty(...)`, `*_error(...)` | one regularizer or per-example term of an objective | `code_penalty`, `reconstruction_error` |
    | `build_*()` | the default network built when none is given | `build_generator`, `build_discriminator` |
    | `log_names` | the names of the scalars logged during `fit()` | `("d_loss", "g_loss", "d_accuracy")` |

    Args:
        image_shape: tuple. `(height, width, channels)` of the images.
        pixel_range: tuple. `(low, high)` range of the images the model
            takes and produces.
        seed: int or None. Seed of the weight initialization of the
            networks the model builds (passed-in networks keep theirs) and
            of the model's random stream (noise, sampling). The same seed
            gives the same initial weights, the same training run on the
            same data order and the same samples. Defaults to `None`.
    """  # noqa: E501  (the hook table's rows)

    log_names = ("loss",)

    # What a model can do, declared for the command line and any tool that
    # takes every model:
    # - samples: it draws new images with `generate(n)`;
    # - conditional: it trains on class labels: `num_classes=` and
    #   `fit(images, labels)` (and, for the conditional GANs,
    #   `generate(n, labels=...)`);
    # - translation: it maps between two image domains, trained on
    #   `(a, b)` batches;
    # - paired: a translation model trained on `(input, target)` pairs
    #   (Pix2Pix), rather than on unpaired domains;
    # - schedule_from_fit: `compile(epochs=, steps_per_epoch=)` sets its
    #   learning-rate schedule from the length of the run.
    samples = False
    conditional = False
    translation = False
    paired = False
    schedule_from_fit = False
    presets = _DeclaredPresets()

    @property
    def real_batches_per_step(self):
        """How many minibatches of data one training step takes (the
        Wasserstein GANs take one per critic update): batch the data with
        this many times the minibatch size."""
        return 1

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "__init__" in cls.__dict__:
            cls.__init__ = _seeding_initializers(cls.__dict__["__init__"])

    def __init__(self, image_shape, pixel_range, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.image_shape = tuple(int(d) for d in image_shape)
        self.pixel_range = tuple(float(v) for v in pixel_range)
        if len(self.pixel_range) != 2 or not (
            self.pixel_range[0] < self.pixel_range[1]
        ):
            raise ValueError(
                "Expected pixel_range=(low, high) with low < high. Received "
                f"pixel_range={pixel_range!r}."
            )
        self.seed = seed
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.trackers = {
            name: keras.metrics.Mean(name=name) for name in self.log_names
        }

    # -- Subclass interface ------------------------------------------------

    def default_optimizers(self):
        raise NotImplementedError

    def optimizer_targets(self):
        raise NotImplementedError

    def train_updates(self):
        raise NotImplementedError

    def evaluation_logs(self, x, y):
        """The logs of `evaluate()`: each update's loss, without updating."""
        logs = {}
        for update in self.train_updates():
            _, update_logs = update.loss(x, y)
            logs.update(update_logs)
        return logs

    # -- Compilation -------------------------------------------------------

    def compile(
        self,
        optimizer=None,
        *,
        run_eagerly=False,
        jit_compile="auto",
        steps_per_execution=1,
        auto_scale_loss=True,
        **optimizers,
    ):
        """Configures the model's optimizers for training.

        Every optimizer has a default taken from the model's paper; pass an
        optimizer instance (or a name such as `"adam"`) to override one. A
        model with one optimizer also takes it as `optimizer`.

        Args:
            optimizer: optimizer or str. The optimizer of a single-optimizer
                model. Defaults to `None` (the paper's).
            run_eagerly: bool. Run the step eagerly, for debugging.
                Defaults to `False`.
            jit_compile: bool or `"auto"`. Compile the step with XLA on
                TensorFlow and JAX. Defaults to `"auto"`.
            steps_per_execution: int. Steps per compiled call. Defaults
                to 1.
            auto_scale_loss: bool. Under the `"mixed_float16"` dtype
                policy, wrap every optimizer that is not one already in a
                `keras.optimizers.LossScaleOptimizer`, as
                `keras.Model.compile` does for one optimizer. The training
                core scales each update's loss by its own optimizer's
                dynamic scale; the optimizer unscales the gradients and
                skips the step (halving its scale) when they are not
                finite. Defaults to `True`.
            **optimizers: optimizers by name, e.g.
                `generator_optimizer=keras.optimizers.Adam(2e-4)`. The
                defaults and the optimizers given by string are named
                after their role (`"generator_optimizer"`); instances keep
                their own names.
        """
        defaults = self.default_optimizers()
        names = list(defaults)
        if optimizer is not None:
            if len(names) != 1:
                raise ValueError(
                    f"{type(self).__name__} has {len(names)} optimizers: "
                    f"{names}. Pass them by name, e.g. "
                    f"compile({names[0]}=...). Received `optimizer=`."
                )
            optimizers[names[0]] = optimizer
        unknown = sorted(set(optimizers) - set(names))
        if unknown:
            raise ValueError(
                f"{type(self).__name__}.compile() expected optimizers among "
                f"{names}. Received unknown arguments {unknown}."
            )
        chosen = {}
        for name in names:
            given = optimizers.get(name)
            if given is None or isinstance(given, str):
                # The optimizers made here are named after their role, so
                # that logs (TensorBoard's learning rates) tell them apart.
                chosen[name] = (
                    defaults[name]
                    if given is None
                    else keras.optimizers.get(given)
                )
                chosen[name].name = name
            else:
                chosen[name] = keras.optimizers.get(given)
        if auto_scale_loss and self.dtype_policy.name == "mixed_float16":
            chosen = {
                name: opt
                if isinstance(opt, keras.optimizers.LossScaleOptimizer)
                else keras.optimizers.LossScaleOptimizer(
                    opt, name=f"{name}_loss_scale"
                )
                for name, opt in chosen.items()
            }
        if len({id(opt) for opt in chosen.values()}) != len(chosen):
            raise ValueError(
                "Expected a separate optimizer instance for each of "
                f"{names}: one optimizer holds the state of one set of "
                "variables. Received the same instance twice."
            )
        super().compile(
            optimizer=None,
            run_eagerly=run_eagerly,
            jit_compile=jit_compile,
            steps_per_execution=steps_per_execution,
        )
        self.optimizer = training.OptimizerGroup(
            chosen, self.optimizer_targets()
        )
        self._aegan_compile_config = {
            "run_eagerly": run_eagerly,
            "jit_compile": jit_compile,
            "steps_per_execution": steps_per_execution,
            "auto_scale_loss": auto_scale_loss,
        }

    def get_compile_config(self):
        if not getattr(self, "compiled", False) or self.optimizer is None:
            return {}
        config = dict(self._aegan_compile_config)
        config["optimizers"] = {
            name: keras.saving.serialize_keras_object(self.optimizer[name])
            for name in self.optimizer.names
        }
        return config

    def compile_from_config(self, config):
        config = dict(config)
        optimizers = {
            name: keras.saving.deserialize_keras_object(value)
            for name, value in config.pop("optimizers").items()
        }
        self.compile(**config, **optimizers)
        # The optimizer slots must exist before `load_model` restores them.
        self.optimizer.build()

    # -- Training ----------------------------------------------------------

    def train_step(self, *args):
        # The optimizers' state (a loss scale among it) must exist before
        # the step reads it; Keras builds single optimizers lazily in
        # `apply`, which is too late for the loss scale.
        if not self.optimizer.built:
            self.optimizer.build()
        return training.train_step(self, *args)

    def test_step(self, *args):
        return training.test_step(self, *args)

    def unpack_batch(self, data):
        """Splits a batch into `(x, y)` and checks the images' shape."""
        x, y, _ = keras.utils.unpack_x_y_sample_weight(data)
        validation.check_image_batch(x, self.image_shape, type(self).__name__)
        return x, y

    def fit(self, x=None, y=None, **kwargs):
        """Trains the model; see `keras.Model.fit`.

        The data is checked first: images of the wrong rank, shape or
        value range, NaN values and empty datasets raise a `ValueError`
        that says what was expected.

        As `keras.Model.fit` does for its optimizer, every optimizer built
        with `use_ema=True` overwrites the variables it moves with their
        moving average when training ends (see
        `keras.optimizers.Optimizer`'s `use_ema`). A GAN's `ema_decay`
        keeps a separate average generator for sampling instead.
        """
        validation.check_training_data(
            x, self.image_shape, self.pixel_range, type(self).__name__
        )
        validation.check_batch_rows(
            x,
            kwargs.get("batch_size"),
            self.real_batches_per_step,
            type(self).__name__,
        )
        history = super().fit(x, y, **kwargs)
        if history.epoch:
            self.optimizer.finalize_variable_values()
        return history

    @property
    def metrics(self):
        return list(self.trackers.values())

    def update_trackers(self, logs):
        """Averages the step's logs over the epoch; returns the averages."""
        for name, value in logs.items():
            if name not in self.trackers:
                raise ValueError(
                    f"{type(self).__name__} logged {name!r}, which is not "
                    f"among its log_names {list(self.trackers)}."
                )
            self.trackers[name].update_state(value)
        return {name: t.result() for name, t in self.trackers.items()}

    # -- Sampling ----------------------------------------------------------

    def latent_noise(self, shape, seed=None):
        """Standard normal noise `z ~ N(0, I)`.

        Args:
            shape: tuple. Shape of the noise.
            seed: int or None. With an int, the same seed gives the same
                noise; with None, the model's seed generator advances.
        """
        return training.replica_random(
            keras.random.normal,
            shape,
            self.seed_generator if seed is None else seed,
        )

    def uniform_noise(self, shape, seed=None):
        """Uniform noise in [0, 1), e.g. the interpolation weights of a
        gradient penalty; seeded like `latent_noise`."""
        return training.replica_random(
            keras.random.uniform,
            shape,
            self.seed_generator if seed is None else seed,
        )

    # -- Saving ------------------------------------------------------------

    def seed_states(self):
        """The state variable of every `SeedGenerator` in the model.

        The model's own stream and those of its layers (augmentation,
        dropout, image pools), in the order the layers were created.
        """
        # Keras keeps each layer's generators in `_seed_generators`; it has
        # no public accessor.
        states, seen = [], set()
        for layer in self._flatten_layers(include_self=True):
            for generator in getattr(layer, "_seed_generators", ()):
                if id(generator.state) not in seen:
                    seen.add(id(generator.state))
                    states.append(generator.state)
        return states

    def save_own_variables(self, store):
        """Saves the model's variables and every seed generator's state.

        Keras saves trainable and non-trainable variables, not the states
        of `SeedGenerator`s, so a model restored by `load_model`,
        `load_weights` or `keras.callbacks.BackupAndRestore` would draw
        its first noise again. They are saved here, under `seed_state_<i>`,
        so that a restored run draws the noise the uninterrupted one
        draws.
        """
        super().save_own_variables(store)
        for i, state in enumerate(self.seed_states()):
            store[f"seed_state_{i}"] = state

    def load_own_variables(self, store):
        keys = list(store.keys())
        seeds = sorted(
            (k for k in keys if k.startswith("seed_state_")),
            key=lambda k: int(k.rsplit("_", 1)[1]),
        )
        own = {k: store[k] for k in keys if k not in seeds}
        super().load_own_variables(own)
        # Files written before the states were saved have none: the
        # generators keep their fresh states.
        if not seeds:
            return
        states = self.seed_states()
        if len(seeds) != len(states):
            raise ValueError(
                f"{type(self).__name__} has {len(states)} seed generators, "
                f"but the weights file holds {len(seeds)} seed states."
            )
        for state, key in zip(states, seeds, strict=True):
            state.assign(store[key])

    # -- Presets -----------------------------------------------------------

    @classmethod
    def from_preset(cls, preset, load_weights=True, **kwargs):
        """Builds a model from a preset: a registered name (see
        `cls.presets`), a folder, a `file://` or `https://` URL, or an
        `hf://` handle.

        Every file is checked against its sha256 before it is read, and the
        preset must hold this class. The model comes uncompiled.

        Args:
            preset: str or Path.
            load_weights: bool. With `False`, the architecture with fresh
                weights. Defaults to `True`.
            **kwargs: constructor arguments that replace the preset's,
                such as `seed=` or `dtype="mixed_bfloat16"` (for every
                layer).

        Example:
        ```python
        gan = keras_aegan.models.DCGAN.from_preset("dcgan_mnist")
        images = gan.generate(64, seed=0)
        ```
        """
        expected = None if cls is GenerativeModel else cls
        return presets.load(
            preset, load_weights=load_weights, expected_class=expected, **kwargs
        )

    def save_to_preset(self, directory, metadata=None, weights_dtype="float32"):
        """Writes the model as a preset folder (config, weights, metadata
        with sha256 hashes); see `keras_aegan.presets.save_to_preset`."""
        return presets.save_to_preset(
            self, directory, metadata=metadata, weights_dtype=weights_dtype
        )

    # -- Serialization -----------------------------------------------------

    def get_config(self):
        return {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": keras.dtype_policies.serialize(self.dtype_policy),
            "image_shape": self.image_shape,
            "pixel_range": self.pixel_range,
            "seed": self.seed,
        }

    @classmethod
    def from_config(cls, config):
        # Deserialization consumes nested dicts: work on a copy.
        config = copy.deepcopy(config)
        if isinstance(config.get("dtype"), dict):
            config["dtype"] = keras.dtype_policies.deserialize(config["dtype"])
        for key, value in config.items():
            # Networks are stored as serialized Keras objects.
            if isinstance(value, dict) and "class_name" in value:
                config[key] = keras.saving.deserialize_keras_object(value)
        return cls(**config)


class Autoencoding:
    """`encode`, `decode` and `reconstruct` as inference methods.

    For models with tensor-level `_encode(images, training=False)` and
    `_decode(codes, training=False)` and a `call` that reconstructs. Like
    `keras.Model.predict()`, each method runs in batches, without
    gradients and in inference mode, and returns NumPy arrays on every
    backend. Inside a differentiable computation use the `encoder` and
    `decoder` networks instead.
    """

    def encode(self, images, batch_size=128):
        """What the encoder gives for `images`, as NumPy arrays: the codes,
        or `(z_mean, z_log_var)` for a `VAE`.

        Args:
            images: array. Images in the model's pixel range.
            batch_size: int. Images per forward pass. Defaults to 128.
        """
        return training.numpy_outputs(self._encode, images, batch_size)

    def decode(self, codes, batch_size=128):
        """The images of `codes`, as a NumPy array.

        Args:
            codes: array. Codes of the encoder's output shape.
            batch_size: int. Codes per forward pass. Defaults to 128.
        """
        return training.numpy_outputs(self._decode, codes, batch_size)

    def reconstruct(self, images, batch_size=128):
        """Encodes and decodes `images` (uncorrupted), as a NumPy array.

        Args:
            images: array. Images in the model's pixel range.
            batch_size: int. Images per forward pass. Defaults to 128.
        """
        return training.numpy_outputs(self, images, batch_size)


class Sampling:
    """`generate`: `_decode` applied to draws of `sample_prior`.

    For models with `sample_prior(num_samples, seed=None)` and a
    tensor-level `_decode(codes, training=False)` (a GAN's sampling
    generator, an autoencoder's decoder). Like `keras.Model.predict()`,
    it runs in batches, without gradients and in inference mode (batch
    normalization's moving averages, a GAN's EMA generator).
    """

    samples = True

    def generate(self, num_samples, seed=None, batch_size=128):
        """Samples `num_samples` images in the model's pixel range.

        Args:
            num_samples: int. Number of images.
            seed: int or None. The same seed gives the same images, for
                any `batch_size`.
            batch_size: int. Images per forward pass. Defaults to 128.

        Returns:
            A NumPy array of shape `(num_samples, *image_shape)`.
        """
        z = self.sample_prior(num_samples, seed=seed)
        return training.numpy_outputs(self._decode, z, batch_size)


class PriorSampling(Autoencoding, Sampling):
    """`Autoencoding` and `Sampling`: an autoencoder with a prior."""
