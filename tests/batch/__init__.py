"""batch tests."""
