"""The Gradio page: its layout (``ui``), what its buttons do (``handlers``) and how results read."""

from .ui import build_demo

__all__ = ["build_demo"]
