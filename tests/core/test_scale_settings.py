"""Settings of ``serve --ray``: replicas fixed or autoscaled, checked with the variable named."""

from __future__ import annotations

import pytest

from mtsum import ConfigError, Settings
from mtsum.settings import ServeSettings


def test_replicas_and_autoscaling_bounds_are_read() -> None:
    fixed = ServeSettings.from_env({"MTSUM_REPLICAS": "3"})
    assert (fixed.replicas, fixed.replicas_min, fixed.replicas_max) == (3, None, None)
    scaled = ServeSettings.from_env({"MTSUM_REPLICAS_MIN": "1", "MTSUM_REPLICAS_MAX": "4"})
    assert (scaled.replicas_min, scaled.replicas_max) == (1, 4)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"MTSUM_REPLICAS": "0"}, "MTSUM_REPLICAS"),
        ({"MTSUM_REPLICAS_MIN": "2"}, "MTSUM_REPLICAS_MAX"),
        ({"MTSUM_REPLICAS_MIN": "3", "MTSUM_REPLICAS_MAX": "2"}, "MTSUM_REPLICAS_MIN"),
        ({"MTSUM_TM_TTL": "0"}, "MTSUM_TM_TTL"),
        ({"MTSUM_TM_ENTRIES": "0"}, "MTSUM_TM_ENTRIES"),
        ({"MTSUM_TM": "redis://"}, "MTSUM_TM"),
    ],
)
def test_a_bad_value_names_its_variable(env: dict[str, str], named: str) -> None:
    with pytest.raises(ConfigError, match=named):
        Settings.from_env(env)
        ServeSettings.from_env(env)


def test_the_ray_app_needs_no_ray_to_import() -> None:
    from mtsum import serving

    assert callable(serving.build_app) and callable(serving.serve_on_ray)
