"""R2's addresses: free mail of any country from a maintained list, the company from
the Public Suffix List, one employer per registrable domain; loaded offline."""

from __future__ import annotations

import socket
from typing import Any

import pytest

from followup_daemon.rules import addresses
from followup_daemon.rules.addresses import (
    company_from_domain,
    is_free_mail,
    registrable,
    same_employer,
)
from followup_daemon.settings import Identity


@pytest.mark.parametrize("domain", ["yahoo.co.jp", "web.de", "gmx.at", "uol.com.br",
                                    "libero.it", "naver.com", "gmail.com", "hotmail.co.uk",
                                    "mail.ru", "hey.com", "tutanota.com", "Yahoo.CO.JP"])
def test_free_mail_of_any_country_names_no_company(domain: str) -> None:
    assert is_free_mail(domain) and company_from_domain(domain) is None


@pytest.mark.parametrize(("domain", "company"), [
    ("hr.acme.co.jp", "Acme"), ("mail.acme-corp.co.uk", "Acme Corp"), ("nubank.com.br", "Nubank"),
    ("careers.siemens.de", "Siemens"), ("acme.com", "Acme"), ("jobs.acme.com.au", "Acme"),
    ("philips.nl", "Philips"), ("acme.gouv.fr", "Acme"),
])
def test_the_company_is_the_label_before_the_public_suffix(domain: str, company: str) -> None:
    assert not is_free_mail(domain) and company_from_domain(domain) == company


def test_a_bare_suffix_or_a_scheduling_domain_names_no_company() -> None:
    assert registrable("co.uk") is None and company_from_domain("co.uk") is None
    assert company_from_domain("greenhouse.io") is None
    assert company_from_domain("mail.greenhouse.io") is None


def test_one_employer_per_registrable_domain() -> None:
    assert same_employer("hr.acme.com", "acme.com") and same_employer("a.acme.co.jp", "acme.co.jp")
    assert not same_employer("acme.com", "acme.co.uk")
    assert not same_employer("co.uk", "co.uk")  # no registrable domain: not one employer
    me = Identity(name="Alex", domains=("hr.initech.com",))
    assert me.owns_domain("initech.com") and me.owns_domain("mail.initech.com")
    assert not me.owns_domain("initech.co.uk")


def test_the_lists_load_without_any_network(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_network(*args: Any, **kwargs: Any) -> socket.socket:
        raise AssertionError("the address lists must not reach the network")

    addresses._suffixes.cache_clear()
    addresses._free_mail.cache_clear()
    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    assert company_from_domain("hr.acme.co.jp") == "Acme" and is_free_mail("web.de")
