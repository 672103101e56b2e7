"""Signed VERP: round trips, case folding, forgery, expiry, classic VERP, bad tokens."""

import pytest

from bounced import verp
from bounced.errors import VerpError

SECRET = b"s" * 32
DAY = 20_000


def test_round_trip_and_case_folding():
    address = verp.encode("msg-42", SECRET, "bounces", "Bounce.Example.COM", day=DAY)
    assert address == address.lower() and address.endswith("@bounce.example.com")
    assert len(address.split("@")[0]) <= 64
    for form in (address, address.upper()):
        info = verp.decode(form, SECRET, "bounces", now_day=DAY + 3)
        assert (info.message, info.valid, info.signed, info.problem) == ("msg-42", True, True, None)


def test_longest_key_fits_in_64_characters():
    address = verp.encode("k" * verp.MAX_KEY, SECRET, "bounces", "b.example.com", day=DAY)
    assert len(address.split("@")[0]) <= 64


@pytest.mark.parametrize("key", ["", "k" * (verp.MAX_KEY + 1)])
def test_bad_keys_are_refused(key):
    with pytest.raises(VerpError):
        verp.encode(key, SECRET, "bounces", "b.example.com")


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("TAMPER", "forged"),
        ("bounces+!!!@b.example.com", "malformed"),
        ("bounces+abc@b.example.com", "malformed"),
        ("bounces+aaaaaaaaaaaaaaaaaaaaaaaaaa@b.example.com", "forged"),
    ],
)
def test_forged_and_malformed_tokens_are_invalid(address, problem):
    if address == "TAMPER":
        good = verp.encode("msg-42", SECRET, "bounces", "b.example.com", day=DAY)
        local, domain = good.split("@")
        address = local[:-1] + ("a" if local[-1] != "a" else "b") + "@" + domain
    info = verp.decode(address, SECRET, "bounces", now_day=DAY)
    assert info is not None and not info.valid and info.problem == problem


def test_other_secret_is_forged():
    address = verp.encode("msg-42", b"other" * 8, "bounces", "b.example.com", day=DAY)
    assert verp.decode(address, SECRET, "bounces", now_day=DAY).problem == "forged"


def test_expiry():
    address = verp.encode("msg-42", SECRET, "bounces", "b.example.com", day=DAY)
    assert verp.decode(address, SECRET, "bounces", max_age_days=90, now_day=DAY + 90).valid
    assert verp.decode(address, SECRET, "bounces", max_age_days=90, now_day=DAY + 91).problem == "expired (91 days old)"


def test_no_secret_cannot_validate():
    address = verp.encode("msg-42", SECRET, "bounces", "b.example.com", day=DAY)
    info = verp.decode(address, None, "bounces", now_day=DAY)
    assert (info.message, info.valid) == ("msg-42", False)


def test_classic_verp_decodes_unsigned():
    info = verp.decode("bounces+jane.doe=Example.org@b.example.com", SECRET, "bounces")
    assert (info.recipient, info.valid, info.signed) == ("jane.doe@example.org", False, False)


@pytest.mark.parametrize("address", ["postmaster@b.example.com", "other+token@b.example.com", "bounces@b.example.com", "no-at-sign"])
def test_not_ours(address):
    assert verp.decode(address, SECRET, "bounces") is None


OLD = b"o" * 32
NEW = b"n" * 32


@pytest.mark.parametrize(
    ("signed_with", "secrets", "now", "expected"),
    [
        (OLD, (NEW, OLD), DAY, (True, None)),  # signed before the rotation, checked after it
        (NEW, (NEW, OLD), DAY, (True, None)),
        (NEW, [NEW, None], DAY, (True, None)),  # no previous secret configured
        (OLD, (NEW,), DAY, (False, "forged")),  # the previous secret forgotten: refused
        (OLD, (NEW, OLD), DAY + 91, (False, "expired (91 days old)")),  # honoured only for the token lifetime
        (b"x" * 32, (NEW, OLD), DAY, (False, "forged")),
        (OLD, (), DAY, (False, "no secret to check the signature")),
        (OLD, (None, None), DAY, (False, "no secret to check the signature")),
    ],
    ids=["old-after-rotation", "new", "no-previous", "old-forgotten", "old-expired", "neither", "none", "nones"],
)
def test_previous_secret_is_honoured_for_the_token_lifetime(signed_with, secrets, now, expected):
    address = verp.encode("msg-42", signed_with, "bounces", "b.example.com", day=DAY)
    info = verp.decode(address, secrets, "bounces", max_age_days=90, now_day=now)
    assert (info.valid, info.problem) == expected
    assert info.message == "msg-42"


def test_fingerprint_is_the_start_of_the_sha256():
    assert verp.fingerprint(b"0123456789abcdef") == "9f9f5111"
    assert verp.fingerprint(OLD) != verp.fingerprint(NEW)
