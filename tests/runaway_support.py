"""Whether a runaway outlived its deadline on the server: a look that ends as soon as nothing is left.

The runaway tests ask that some seconds after a deadline no transaction of it runs on the server
(``SHOW TRANSACTIONS`` as the admin). A transaction that has ended never comes back, and no new one
starts once the client has given up, so an empty look at any time before that moment proves what a
single look at the moment would: :func:`left_running_at` looks again and again until then, and
returns at the first empty look instead of sleeping the whole wait.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

#: Seconds between two looks.
POLL = 0.2


def left_running_at(look: Callable[[], Sequence[T]], moment: float) -> Sequence[T]:
    """What ``look`` finds running: empty as soon as a look is, else what it finds at ``moment`` (monotonic)."""
    while True:
        left = look()
        if not left or time.monotonic() >= moment:
            return left
        time.sleep(min(POLL, max(0.0, moment - time.monotonic())))
