import re
from pathlib import Path

import pytest

from baraza.env import (
    ConfigError,
    env_bool,
    env_choice,
    env_int,
    env_int_list,
    env_list,
    env_rate,
    refuse_renamed,
)

REPOSITORY = Path(__file__).parents[3]


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


def test_it_reads_lists_of_whole_numbers():
    assert env_int_list("H", [96, 72, 24, 6], environ={}) == [96, 72, 24, 6]
    assert env_int_list("H", [1], length=4, minimum=1, environ={"H": " 8, 4,2 ,1"}) == [8, 4, 2, 1]


def test_it_refuses_a_deadline_list_of_the_wrong_length():
    with pytest.raises(ConfigError, match="H needs 4 numbers, not 3"):
        env_int_list("H", [96, 72, 24, 6], length=4, environ={"H": "96,72,24"})


def test_it_refuses_a_list_with_something_other_than_whole_numbers():
    with pytest.raises(ConfigError, match="H must be whole numbers separated by commas, not '6h'"):
        env_int_list("H", [96, 72, 24, 6], environ={"H": "96,72,24,6h"})


def test_it_refuses_a_list_with_numbers_out_of_range():
    with pytest.raises(ConfigError, match="H must hold numbers of at least 1, not 0"):
        env_int_list("H", [1], minimum=1, environ={"H": "96,0"})
    with pytest.raises(ConfigError, match="H must hold numbers of at most 100, not 101"):
        env_int_list("H", [1], maximum=100, environ={"H": "101"})


def test_every_setting_is_listed_in_the_example_environment_file():
    settings = (REPOSITORY / "src/baraza/settings.py").read_text()
    renamed = set(re.findall(r'refuse_renamed\("(BARAZA_[A-Z0-9_]+)"', settings))
    read = set(re.findall(r'"(BARAZA_[A-Z0-9_]+)"', settings)) - renamed
    listed = set(
        re.findall(r"^#? ?(BARAZA_[A-Z0-9_]+)=", (REPOSITORY / ".env.example").read_text(), re.M)
    )
    assert len(read) > 40
    assert sorted(read - listed) == []


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


def test_production_refuses_the_fake_encoder(tmp_path):
    import subprocess
    import sys

    from cryptography.fernet import Fernet

    result = subprocess.run(
        [sys.executable, "-c", "import baraza.settings"],
        env={
            "BARAZA_ENV": "production",
            "BARAZA_DATA_DIR": str(tmp_path),
            "BARAZA_SECRET_KEY": "not-a-real-secret-but-long-enough-for-this-check",
            "BARAZA_CONTACT_KEYS": Fernet.generate_key().decode(),
            "BARAZA_ENCODER": "fake",
            "PATH": "",
        },
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "BARAZA_ENCODER=fake is for tests only" in result.stderr


def test_a_renamed_variable_stops_the_start_instead_of_being_ignored():
    with pytest.raises(ConfigError, match="BARAZA_OLD_PERCENT is now BARAZA_NEW_PERCENT"):
        refuse_renamed(
            "BARAZA_OLD_PERCENT", "BARAZA_NEW_PERCENT", environ={"BARAZA_OLD_PERCENT": "87"}
        )
    refuse_renamed("BARAZA_OLD_PERCENT", "BARAZA_NEW_PERCENT", environ={})


def start_with(tmp_path, **variables):
    """Read the settings in a fresh process, with only these variables set."""
    import subprocess
    import sys

    show = (
        "import baraza.settings as s; "
        "print(s.CLUSTER_AUTO_LINK, s.CLUSTER_SUGGEST, s.FACTCHECK_MIN_SCORE)"
    )
    return subprocess.run(  # noqa: S603 - our own interpreter and a fixed program
        [sys.executable, "-c", show],
        env={"BARAZA_ENV": "test", "BARAZA_DATA_DIR": str(tmp_path), "PATH": "", **variables},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_matching_thresholds_are_on_the_engines_score_which_runs_past_one(tmp_path):
    defaults = start_with(tmp_path)
    assert defaults.stdout.split() == ["0.54", "0.42", "0.46"]
    high = start_with(tmp_path, BARAZA_CLUSTER_AUTO_LINK_PERCENT="110")
    assert high.returncode == 0 and high.stdout.split()[0] == "1.1"


def test_a_suggest_threshold_above_auto_link_is_refused(tmp_path):
    result = start_with(tmp_path, BARAZA_CLUSTER_SUGGEST_PERCENT="60")
    assert result.returncode != 0
    assert "BARAZA_CLUSTER_SUGGEST_PERCENT must not exceed" in result.stderr


def test_the_old_fact_check_cosine_variable_stops_the_start(tmp_path):
    result = start_with(tmp_path, BARAZA_FACTCHECK_MIN_COSINE_PERCENT="87")
    assert result.returncode != 0
    assert "is now BARAZA_FACTCHECK_MIN_SCORE_PERCENT" in result.stderr
