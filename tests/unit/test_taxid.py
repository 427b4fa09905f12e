import pytest

from shopledger.domain.orders.taxid import (
    check_digit,
    is_valid_branch,
    is_valid_tax_id,
    normalize_tax_id,
)

pytestmark = pytest.mark.unit


@pytest.mark.parametrize("tax_id", ["0105556012341", "1101700203450", "3100600445694"])
def test_ids_with_the_right_check_digit_are_valid(tax_id):
    assert is_valid_tax_id(tax_id)


@pytest.mark.parametrize("last_digit", [d for d in "0123456789" if d != "1"])
def test_every_other_check_digit_is_refused(last_digit):
    assert not is_valid_tax_id("010555601234" + last_digit)


def test_check_digit_follows_the_mod_11_rule():
    # 0*13 + 1*12 + 0*11 + 5*10 + 5*9 + 5*8 + 6*7 + 0*6 + 1*5 + 2*4 + 3*3 + 4*2 = 219;
    # 219 % 11 = 10; (11 - 10) % 10 = 1
    assert check_digit("010555601234") == 1


def test_a_remainder_of_zero_or_one_wraps_to_a_single_digit():
    assert check_digit("000000000000") == 1  # remainder 0: (11 - 0) % 10
    assert check_digit("010000000000") == 0  # 1 * 12 = 12, remainder 1: (11 - 1) % 10


@pytest.mark.parametrize(
    "text",
    ["", "010555601234", "01055560123410", "010555601234x", "0-1055-56012-34-1", "๐๑๐๕๕๕๖๐๑๒๓๔๑"],
)
def test_only_thirteen_ascii_digits_pass(text):
    assert not is_valid_tax_id(text)


def test_normalize_removes_dashes_and_spaces_and_reads_thai_digits():
    assert normalize_tax_id("0-1055-56012-34-1") == "0105556012341"
    assert normalize_tax_id("0 1055 56012 34 1") == "0105556012341"
    assert normalize_tax_id("๐๑๐๕๕๕๖๐๑๒๓๔๑") == "0105556012341"


@pytest.mark.parametrize(
    ("text", "valid"),
    [("00000", True), ("00012", True), ("0000", False), ("000000", False), ("0000a", False), ("๐๐๐๐๐", False)],
)
def test_branch_is_five_ascii_digits(text, valid):
    assert is_valid_branch(text) is valid
