"""R6: the script fits the method, and the event says what to do without a number
or an address."""

from __future__ import annotations

from followup_daemon.content import ETIQUETTE, how, script
from followup_daemon.model import Method


def test_each_method_has_its_own_words() -> None:
    phone = script(Method.PHONE, "Alex", "Monday, November 16", "Backend Engineer", "Acme")
    visit = script(Method.IN_PERSON, "Alex", "Monday, November 16", "Backend Engineer", "Acme")
    mail = script(Method.EMAIL, "Alex", "Monday, November 16", "Backend Engineer", "Acme")
    assert "I am calling to ask about the status of the Backend Engineer opening" in phone
    assert "I came by to ask about the status of the Backend Engineer opening" in visit
    assert "I am writing to ask" in mail and "Kind regards, Alex" in mail
    assert "calling" not in visit + mail and "Hi, this is" not in mail
    assert "shake hands" in ETIQUETTE[Method.IN_PERSON]
    assert "speak" not in ETIQUETTE[Method.EMAIL]


def test_what_to_do_when_the_number_or_the_address_is_missing() -> None:
    assert "Find the employer's number first" in how(Method.PHONE, None, "")
    assert how(Method.PHONE, "+1 415-555-0142", "") == "call +1 415-555-0142."
    assert "Find the address first" in how(Method.EMAIL, None, "Zoom")
    assert "draft waiting" in how(Method.EMAIL, None, "Zoom", ("jane@acme.com",))
