"""Every refusal said to a person is a `lib.errors.UserError` carrying its own status; those
that callers still catch as ValueError keep it as a second parent."""

from __future__ import annotations

import pytest

from afterglow.clinic.accounts import AccountProblem
from afterglow.lib.dates import DayOutOfRange
from afterglow.lib.errors import UserError
from afterglow.phones.ca import NotHomeNetwork
from afterglow.phones.devices import PairingRefused
from afterglow.phones.outbox import Unusable
from afterglow.rhythm.preferences import PreferenceError
from afterglow.web.display import DisplayError

KINDS = [AccountProblem, DayOutOfRange, NotHomeNetwork, PairingRefused, Unusable, PreferenceError, DisplayError]


@pytest.mark.parametrize("kind", KINDS, ids=lambda kind: kind.__name__)
def test_it_is_a_user_error_with_a_status_and_still_a_value_error(kind: type[UserError]) -> None:
    error = kind("203.0.113.9") if kind is NotHomeNetwork else kind("Please try again.")
    assert isinstance(error, UserError) and isinstance(error, ValueError)
    assert error.status == 400 and error.message


def test_it_keeps_the_wait_status_of_a_refused_pairing() -> None:
    waiting = PairingRefused("Too many wrong codes.", 429)
    assert waiting.status == 429 and waiting.message == "Too many wrong codes."


def test_it_says_in_words_which_address_is_not_a_home_network() -> None:
    refused = NotHomeNetwork("203.0.113.9")
    assert refused.address == "203.0.113.9" and "not a home-network address" in refused.message
