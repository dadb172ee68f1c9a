"""``nn.utils``: PyTorch's home of gradient clipping (defined in ``optim.clip``), of weight
reparametrisations (here: ``weight_noise``, defined in ``nn.noise``) and of variable-length
batches for the recurrent layers (``nn.utils.rnn``: ``PackedSequence`` and friends)."""

from ...optim.clip import clip_grad_norm_, clip_grad_value_, get_total_norm  # noqa: F401
from ..noise import remove_weight_noise, weight_noise  # noqa: F401
from . import rnn  # noqa: F401
