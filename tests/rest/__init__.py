"""rest tests."""
