import pytest

from baraza.env import ConfigError, env_bool, env_choice, env_int, env_list, env_rate


def test_it_reads_booleans_strictly():
    assert env_bool("X", False, environ={"X": "yes"}) is True
    assert env_bool("X", True, environ={"X": "0"}) is False
    assert env_bool("X", True, environ={}) is True
    with pytest.raises(ConfigError, match="X must be one of true/false"):
        env_bool("X", False, environ={"X": "maybe"})


def test_it_refuses_numbers_that_are_not_numbers_or_out_of_range():
    assert env_int("N", 5, environ={"N": "7"}) == 7
    with pytest.raises(ConfigError, match="N must be a whole number"):
        env_int("N", 5, environ={"N": "seven"})
    with pytest.raises(ConfigError, match="N must be at least 1"):
        env_int("N", 5, minimum=1, environ={"N": "0"})


def test_it_refuses_unknown_choices():
    with pytest.raises(ConfigError, match="BARAZA_ENV must be one of"):
        env_choice(
            "BARAZA_ENV",
            "development",
            ("development", "production"),
            environ={"BARAZA_ENV": "prod"},
        )


def test_it_refuses_malformed_rates():
    assert env_rate("R", "20/m", environ={"R": "5/h"}) == "5/h"
    with pytest.raises(ConfigError, match="R must look like 20/m"):
        env_rate("R", "20/m", environ={"R": "lots"})


def test_it_splits_lists():
    assert env_list("L", [], environ={"L": "a.example, b.example,"}) == ["a.example", "b.example"]


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", "import baraza.settings"],
        env={"BARAZA_ENV": "production", "BARAZA_DATA_DIR": str(tmp_path), "PATH": ""},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "BARAZA_SECRET_KEY must be set when BARAZA_ENV=production" in result.stderr
