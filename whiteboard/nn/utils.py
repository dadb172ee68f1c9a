"""``nn.utils``: PyTorch's home of gradient clipping (defined in ``optim.clip``)."""

from ..optim.clip import clip_grad_norm_, clip_grad_value_, get_total_norm  # noqa: F401
