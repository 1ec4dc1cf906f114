"""Helpers shared by the tests: texts, tiny models, live servers, batch and REST kits."""
