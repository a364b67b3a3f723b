"""E-mail addresses: their domains, and what a domain says about an employer."""

from __future__ import annotations

from .vocabulary import FREE_MAIL_DOMAINS, NO_REPLY, SCHEDULING_DOMAINS, TWO_PART_SUFFIXES


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
    """A web-mail domain: anyone can have an address there."""
    return _under(domain, FREE_MAIL_DOMAINS)


def is_scheduling(domain: str) -> bool:
    """A scheduling, ATS or meeting-tool domain (or a subdomain of one)."""
    return _under(domain, SCHEDULING_DOMAINS)


def is_no_reply(address: str) -> bool:
    """An address nobody reads: no-reply, notifications, calendar robots."""
    return bool(NO_REPLY.match(address))


def company_from_domain(domain: str | None) -> str | None:
    """`jane@mail.acme-corp.co.uk` -> `Acme Corp`; None for free-mail and ATS domains."""
    if not domain or is_free_mail(domain) or is_scheduling(domain):
        return None
    labels = domain.split(".")
    suffix_len = 2 if ".".join(labels[-2:]) in TWO_PART_SUFFIXES else 1
    if len(labels) <= suffix_len:
        return None
    name = labels[-suffix_len - 1]
    words = [w for w in name.replace("_", "-").split("-") if w]
    return " ".join(w[:1].upper() + w[1:] for w in words) or None
