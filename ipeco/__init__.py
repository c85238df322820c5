"""ipeco: regional IP-ecosystem mapper — the CLI and settings that front graph/, loaders/, analytics/ and webapp/."""

__version__ = "0.1.0"
