"""The version of mtsum, in a module of its own so the faces can name it without importing the
package root (which imports the pipeline and batch mode)."""

from __future__ import annotations

__all__ = ["__version__"]

__version__ = "0.1.0"
