"""Strict readers for BARAZA_* environment variables.

Every knob of a deployment is an environment variable. A value that cannot be read is a
configuration error: we stop at start-up with a message naming the variable, rather than run
with a guess.
"""

from __future__ import annotations

import os
from collections.abc import Mapping


class ConfigError(RuntimeError):
    """A BARAZA_* variable holds a value we refuse to run with."""


_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str, environ: Mapping[str, str] | None) -> str | None:
    value = (os.environ if environ is None else environ).get(name)
    if value is None or value.strip() == "":
        return None
    return value.strip()


def env_str(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    value = _raw(name, environ)
    return default if value is None else value


def env_optional_str(name: str, environ: Mapping[str, str] | None = None) -> str | None:
    return _raw(name, environ)


def env_bool(name: str, default: bool, environ: Mapping[str, str] | None = None) -> bool:
    value = _raw(name, environ)
    if value is None:
        return default
    if value.lower() in _TRUE:
        return True
    if value.lower() in _FALSE:
        return False
    raise ConfigError(f"{name} must be one of true/false/1/0/yes/no/on/off, not {value!r}")


def env_int(
    name: str,
    default: int,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> int:
    value = _raw(name, environ)
    if value is None:
        return default
    try:
        number = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None
    return _within(name, number, minimum, maximum, "must be")


def refuse_renamed(old: str, new: str, environ: Mapping[str, str] | None = None) -> None:
    """A variable that changed its name or meaning stops the start, rather than being ignored
    while the deployment thinks it applies."""
    if _raw(old, environ) is not None:
        raise ConfigError(f"{old} is now {new}: see .env.example for what it means")


def _within(name: str, number: int, minimum: int | None, maximum: int | None, says: str) -> int:
    if minimum is not None and number < minimum:
        raise ConfigError(f"{name} {says} at least {minimum}, not {number}")
    if maximum is not None and number > maximum:
        raise ConfigError(f"{name} {says} at most {maximum}, not {number}")
    return number


def env_choice(
    name: str, default: str, choices: tuple[str, ...], environ: Mapping[str, str] | None = None
) -> str:
    value = _raw(name, environ)
    if value is None:
        return default
    if value not in choices:
        raise ConfigError(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def env_list(name: str, default: list[str], environ: Mapping[str, str] | None = None) -> list[str]:
    value = _raw(name, environ)
    if value is None:
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def env_int_list(
    name: str,
    default: list[int],
    *,
    length: int | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
    environ: Mapping[str, str] | None = None,
) -> list[int]:
    """Comma-separated whole numbers, such as hours by severity: ``96,72,24,6``."""
    items = env_list(name, [str(number) for number in default], environ)
    numbers: list[int] = []
    for item in items:
        try:
            numbers.append(int(item))
        except ValueError:
            raise ConfigError(
                f"{name} must be whole numbers separated by commas, not {item!r}"
            ) from None
    if length is not None and len(numbers) != length:
        raise ConfigError(f"{name} needs {length} numbers, not {len(numbers)}")
    return [_within(name, n, minimum, maximum, "must hold numbers of") for n in numbers]


def env_rate(name: str, default: str, environ: Mapping[str, str] | None = None) -> str:
    """A rate such as ``20/m``: a count per second (s), minute (m), hour (h) or day (d)."""
    value = env_str(name, default, environ)
    count, _, period = value.partition("/")
    if not count.isdigit() or int(count) < 1 or period not in {"s", "m", "h", "d"}:
        raise ConfigError(f"{name} must look like 20/m (count per s, m, h or d), not {value!r}")
    return value
