"""Training core for the PyTorch backend: `torch.autograd`."""

import torch

from keras_aegan.training import updates as updates_lib

# Whether `networks.SubpixelConv2DTranspose` computes its transposed
# convolution as a sub-pixel convolution by default. Two measurements on
# CPU disagreed (sub-pixel 13 % faster quiet, 25 % slower under load;
# bench/README.md), so PyTorch keeps its own kernel.
SUBPIXEL_CONV_TRANSPOSE = False


def no_grad():
    """Runs inference without recording the autograd graph."""
    return torch.no_grad()


def train_step(model, data):
    x, y = model.unpack_batch(data)
    logs = {}
    for update in model.train_updates():
        parts = update.parts()
        variables = update.all_variables()
        optimizers = [model.optimizer[name] for name, _ in parts]
        params = [v.value for v in variables]
        for x_i, y_i in updates_lib.repeat_batches(update, x, y):
            scale, factors = updates_lib.loss_scaling(optimizers)
            with updates_lib.loss_scale_scope(scale):
                loss, update_logs = update.loss(x_i, y_i)
            loss = updates_lib.scale_loss(loss, scale)
            # Gradients of this update's variables only: nothing accumulates
            # in `.grad`, so the generator's parameters are untouched by the
            # discriminator's loss and vice versa.
            grads = torch.autograd.grad(loss, params, allow_unused=True)
            # A variable the loss does not reach gets a zero gradient, as
            # `jax.grad` gives, so optimizers behave alike on all backends.
            grads = [
                torch.zeros_like(p) if g is None else g
                for g, p in zip(grads, params, strict=True)
            ]
            with torch.no_grad():
                split = updates_lib.split_by_part(parts, grads)
                for (name, part, part_grads), factor in zip(
                    split, factors, strict=True
                ):
                    part_grads = updates_lib.scale_gradients(part_grads, factor)
                    model.optimizer[name].apply(part_grads, part)
                if update.after_apply is not None:
                    update.after_apply()
            update_logs = {k: v.detach() for k, v in update_logs.items()}
        logs.update(update_logs)
    return model.update_trackers(logs)


def test_step(model, data):
    x, y = model.unpack_batch(data)
    # Keras evaluates under `torch.no_grad()`; losses that differentiate
    # with respect to their input (gradient penalties) need autograd back.
    with torch.enable_grad():
        logs = model.evaluation_logs(x, y)
    logs = {k: v.detach() for k, v in logs.items()}
    return model.update_trackers(logs)


def input_gradient(fn, x, scale=None):
    if not (isinstance(x, torch.Tensor) and x.requires_grad):
        x = torch.as_tensor(x).detach().requires_grad_(True)
    outputs = fn(x)
    target = updates_lib.scale_loss(outputs.sum(), scale)
    (grad,) = torch.autograd.grad(target, x, create_graph=True)
    return outputs, updates_lib.unscale(grad, scale)


def all_gather(x):
    # One process, one replica: the step sees the whole batch.
    return x


def all_reduce_sum(x):
    return x


def replica_context():
    return 0, 1


def enable_determinism():
    """Deterministic PyTorch kernels; those without one raise."""
    torch.use_deterministic_algorithms(True)
