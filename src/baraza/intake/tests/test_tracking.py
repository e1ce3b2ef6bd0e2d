import pytest

from baraza.intake import tracking


def test_codes_use_only_unambiguous_symbols():
    for _ in range(200):
        code = tracking.new_code()
        assert len(code) == 12
        assert not set(code) & set("ILOU")


def test_a_code_is_displayed_in_three_groups_of_four():
    assert tracking.display("K7QM3XHP9TWD") == "K7QM-3XHP-9TWD"


@pytest.mark.parametrize("typed", ["k7qm-3xhp-9twd", "K7QM 3XHP 9TWD", "K7QM3XHP9TWD"])
def test_typing_variations_read_as_the_same_code(typed):
    assert tracking.normalise(typed) == "K7QM3XHP9TWD"


def test_look_alike_letters_read_as_digits():
    assert tracking.normalise("ABCD-EFGH-JKOI") == "ABCDEFGHJK01"


@pytest.mark.parametrize("typed", ["", "K7QM-3XHP", "K7QM-3XHP-9TWD-1", "K7QM-3XHP-9TW!"])
def test_malformed_codes_are_refused(typed):
    with pytest.raises(tracking.InvalidTrackingCode):
        tracking.normalise(typed)
