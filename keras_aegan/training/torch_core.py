"""Training core for the PyTorch backend: `torch.autograd`, and
`torch.distributed` process groups for data parallelism across
processes."""

import functools

import torch

from keras_aegan.training import updates as updates_lib

# Whether `networks.SubpixelConv2DTranspose` computes its transposed
# convolution as a sub-pixel convolution by default. Two measurements on
# CPU disagreed (sub-pixel 13 % faster quiet, 25 % slower under load;
# bench/README.md), so PyTorch keeps its own kernel.
SUBPIXEL_CONV_TRANSPOSE = False
# keras-cv's TensorFlow ops run eagerly between the step's torch ops.
RUNS_TENSORFLOW_LAYERS = True


def no_grad():
    """Runs inference without recording the autograd graph."""
    return torch.no_grad()


# Whether a training or evaluation step runs: only then are the processes
# of a group replicas of one step (`replica_context`). Outside, in
# `generate()` or a call of a network, each process computes alone, as
# under `tf.distribute` outside `strategy.run`, so a seed gives the same
# samples on every rank and nothing waits on the other processes.
_STEP = {"depth": 0}


def _in_step(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        _STEP["depth"] += 1
        try:
            return fn(*args, **kwargs)
        finally:
            _STEP["depth"] -= 1

    return wrapper


@_in_step
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
                grads = _average_over_processes(grads)
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
    return model.update_trackers(_average_logs(logs))


@_in_step
def test_step(model, data):
    x, y = model.unpack_batch(data)
    # Keras evaluates under `torch.no_grad()`; losses that differentiate
    # with respect to their input (gradient penalties) need autograd back.
    with torch.enable_grad():
        logs = model.evaluation_logs(x, y)
    logs = {k: v.detach() for k, v in logs.items()}
    return model.update_trackers(_average_logs(logs))


def input_gradient(fn, x, scale=None):
    if not (isinstance(x, torch.Tensor) and x.requires_grad):
        x = torch.as_tensor(x).detach().requires_grad_(True)
    outputs = fn(x)
    target = updates_lib.scale_loss(outputs.sum(), scale)
    (grad,) = torch.autograd.grad(target, x, create_graph=True)
    return outputs, updates_lib.unscale(grad, scale)


def _world():
    # Several processes joined in a `torch.distributed` process group (for
    # example `torchrun`, or `init_process_group("gloo")` on CPU) are the
    # replicas; one process is one replica.
    dist = torch.distributed
    if dist.is_available() and dist.is_initialized():
        return dist.get_rank(), dist.get_world_size()
    return 0, 1


class _AllReduceSum(torch.autograd.Function):
    # The sum over the processes; each process's input gets the sum of
    # every process's output gradient (the derivative of a sum).
    @staticmethod
    def forward(ctx, x):
        x = x.clone()
        torch.distributed.all_reduce(x)
        return x

    @staticmethod
    def backward(ctx, grad):
        grad = grad.clone()
        torch.distributed.all_reduce(grad)
        return grad


class _AllGather(torch.autograd.Function):
    # The processes' inputs concatenated along axis 0, in rank order; each
    # process's input gets its rows of the summed output gradients.
    @staticmethod
    def forward(ctx, x):
        rank, world = _world()
        parts = [torch.empty_like(x) for _ in range(world)]
        torch.distributed.all_gather(parts, x.contiguous())
        ctx.rows = (rank * x.shape[0], (rank + 1) * x.shape[0])
        return torch.cat(parts, dim=0)

    @staticmethod
    def backward(ctx, grad):
        grad = grad.contiguous().clone()
        torch.distributed.all_reduce(grad)
        start, stop = ctx.rows
        return grad[start:stop]


def all_gather(x):
    """Concatenates every process's `x` along axis 0, in rank order; the
    gradient flows back to each process's share. Inside a step only."""
    if replica_context()[1] == 1:
        return x
    return _AllGather.apply(x)


def all_reduce_sum(x):
    """Sums `x` over the processes; differentiable. Inside a step only."""
    if replica_context()[1] == 1:
        return x
    return _AllReduceSum.apply(x)


def replica_context():
    """`(rank, world_size)` of the process group inside a training or
    evaluation step; `(0, 1)` without a group or outside a step."""
    if not _STEP["depth"]:
        return 0, 1
    return _world()


def _average_logs(logs):
    """The mean over the processes of each scalar log, in one all-reduce:
    with equal shares of the global batch, the mean of the processes' means
    is the global batch's, which is what one process would log."""
    replicas = _world()[1]
    if replicas == 1 or not logs:
        return logs
    names = sorted(logs)
    values = [torch.as_tensor(logs[n]) for n in names]
    stacked = torch.stack([v.to(torch.float32).reshape(()) for v in values]).to(
        values[0].device
    )
    torch.distributed.all_reduce(stacked)
    stacked = stacked / replicas
    return {n: stacked[i] for i, n in enumerate(names)}


def _average_over_processes(grads):
    """The mean over the processes of each gradient, in one all-reduce.

    Each process's loss is the mean over its share of the global batch;
    with equal shares, the mean of their gradients is the gradient of the
    global batch's mean loss, as in `DistributedDataParallel`.
    """
    replicas = _world()[1]
    if replicas == 1 or not grads:
        return grads
    if len({g.dtype for g in grads}) > 1:
        for g in grads:
            torch.distributed.all_reduce(g)
        return [g / replicas for g in grads]
    flat = torch.cat([g.reshape(-1) for g in grads])
    torch.distributed.all_reduce(flat)
    flat = flat / replicas
    out, start = [], 0
    for g in grads:
        out.append(flat[start : start + g.numel()].view_as(g))
        start += g.numel()
    return out


def enable_determinism():
    """Deterministic PyTorch kernels; those without one raise."""
    torch.use_deterministic_algorithms(True)


def distribute(kind, timeout=None, **options):
    """Joins the `torch.distributed` process group that `torchrun`'s
    environment describes (`RANK`, `WORLD_SIZE`, `MASTER_ADDR`,
    `MASTER_PORT`), with `gloo` on CPU and `nccl` on GPU, or uses the
    group already initialized (`distribution.py`)."""
    import contextlib
    import datetime
    import os

    from keras_aegan.training import distribution

    if kind != "torch":
        raise distribution.refuse(kind, "torch", ("torch",))
    dist = torch.distributed
    if not dist.is_initialized():
        missing = [
            name
            for name in ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT")
            if name not in os.environ
        ]
        if missing:
            raise ValueError(
                "Expected torchrun's environment for --distribute torch "
                "(run under `torchrun`, or pass --nproc N to launch N "
                f"processes here). Missing {missing}."
            )
        dist.init_process_group(
            "nccl" if torch.cuda.is_available() else "gloo",
            timeout=datetime.timedelta(seconds=timeout or 600),
        )
    rank, world = _world()
    return distribution.Distributed(
        kind,
        contextlib.nullcontext(),
        rank=rank,
        processes=world,
        replicas=world,
        feeds_own_rows=True,
    )
