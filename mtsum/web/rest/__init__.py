"""The LibreTranslate-compatible REST API: routes, wire models, the service behind them."""

from .routes import install_rest

__all__ = ["install_rest"]
