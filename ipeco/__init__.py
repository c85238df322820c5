"""ipeco: regional IP-ecosystem mapper — the CLI and settings that front graph/, loaders/, analytics/ and webapp/."""

import time

__version__ = "0.1.0"

#: When this process started (near enough: the package is imported first), so that ``ipeco query
#: --timeout`` bounds the whole command, imports and connection included, not only the query.
STARTED: float = time.monotonic()
