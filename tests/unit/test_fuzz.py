"""Property-based and mutation fuzzing of everything that reads outside data:
iCalendar files (mutations of the shared corpus and the sample), Google and
Graph event JSON (mutations of the corpus), config files, decision-date text,
addresses and names. Each input is handled or rejected with the project's own
error; never another exception, a hang or an extra mail header."""

from __future__ import annotations

import datetime as dt
import json
from email import message_from_bytes, policy
from email.errors import MessageError
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup_daemon.boundary import (
    KEY_HEADER,
    Letter,
    ProviderContext,
    draft_bytes,
    letter_message,
    message_id,
    or_skip,
)
from followup_daemon.compose import draft, one_line
from followup_daemon.config import parse_config
from followup_daemon.content import Templates
from followup_daemon.errors import CalendarError, ConfigError
from followup_daemon.ics.reader import read_calendar_bytes
from followup_daemon.model import CalendarEvent, EventTime, Person, clean_line
from followup_daemon.planner import plan
from followup_daemon.rules.dates import Context
from followup_daemon.rules.decision import decision_date
from followup_daemon.rules.workdays import WorkCalendar
from followup_daemon.settings import Identity, RuleSettings, Settings
from providers.google.calendar import GoogleCalendar
from providers.outlook.calendar import OutlookCalendar

from .test_corpus import CORPUS

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 11, 27, 9, tzinfo=ZoneInfo("America/New_York"))
SETTINGS = Settings(RuleSettings(timezone=ZoneInfo("America/New_York")),
                    Identity(name="Alex", emails=("alex@gmail.com",)))
SEEDS = [ROOT / "examples" / "sample-calendar.ics"] + (
    sorted(p for p in CORPUS.glob("*.ics") if p.stat().st_size < 20_000)
    if CORPUS.is_dir() else [])
JSON_ROOT = CORPUS.parent / "json"
FUZZ = settings(max_examples=120, deadline=2000,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@st.composite
def mutated_calendar(draw: st.DrawFn) -> bytes:
    lines = draw(st.sampled_from(SEEDS)).read_bytes().splitlines()
    for _ in range(draw(st.integers(1, 6))):
        if not lines:
            break
        at = draw(st.integers(0, len(lines) - 1))
        action = draw(st.sampled_from(["drop", "copy", "swap", "junk", "cut", "flip"]))
        if action == "drop":
            del lines[at]
        elif action == "copy":
            lines.insert(at, lines[at])
        elif action == "swap":
            other = draw(st.integers(0, len(lines) - 1))
            lines[at], lines[other] = lines[other], lines[at]
        elif action == "junk":
            lines.insert(at, draw(st.binary(max_size=60)))
        elif action == "cut":
            lines[at] = lines[at][: draw(st.integers(0, max(0, len(lines[at]))))]
        else:
            line = bytearray(lines[at] or b"x")
            line[draw(st.integers(0, len(line) - 1))] = draw(st.integers(0, 255))
            lines[at] = bytes(line)
    return b"\r\n".join(lines)


@FUZZ
@given(mutated_calendar())
def test_mutated_calendars_are_planned_or_rejected(data: bytes) -> None:
    try:
        result = read_calendar_bytes(data, "fuzz.ics", NOW)
    except CalendarError as error:
        assert "\n" not in str(error)
        return
    plan(result.events, SETTINGS, NOW)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=10), inner,
                                                                 max_size=3),
    max_leaves=8)


def _seeds(kind: str) -> list[dict[str, Any]]:
    found: list[Any] = []
    for path in sorted((JSON_ROOT / kind).glob("*.json")) if JSON_ROOT.is_dir() else []:
        data = json.loads(path.read_text())
        found += data.get("value", [data]) if isinstance(data, dict) else []
    return [item for item in found if isinstance(item, dict)] or [{"id": "x", "start": {}}]


@st.composite
def mutated_item(draw: st.DrawFn, kind: str) -> dict[str, Any]:
    item = dict(draw(st.sampled_from(_seeds(kind))))
    for _ in range(draw(st.integers(1, 4))):
        keys: list[str] = list(item)
        remove: bool = draw(st.booleans())
        if keys and remove:
            del item[draw(st.sampled_from(keys))]
        else:
            name = draw(st.sampled_from([*keys, "start", "end", "id", "status", "attendees"]))
            item[name] = draw(json_values)
    return item


@FUZZ
@given(st.lists(mutated_item("google"), max_size=4))
def test_mutated_google_events_never_stop_a_read(items: list[dict[str, Any]]) -> None:
    provider = GoogleCalendar({"name": "g", "provider": "google"},
                              ProviderContext(Path("/nonexistent"), Path("/nonexistent")))
    changes = provider._changes({"primary": (items, "t")}, {}, full=True)
    _read_as_far_as_readable(items, list(changes.events), list(changes.removed))


@FUZZ
@given(st.lists(mutated_item("graph"), max_size=4))
def test_mutated_graph_events_never_stop_a_read(items: list[dict[str, Any]]) -> None:
    provider = OutlookCalendar({"name": "o", "provider": "outlook"},
                               ProviderContext(Path("/nonexistent"), Path("/nonexistent")))
    provider.ours._items = {}  # nothing of ours known: no file is read or written
    events: list[CalendarEvent] = []
    removed: list[str] = []
    for item in items:
        or_skip("an item", provider._one, item, events, removed)
    _read_as_far_as_readable(items, events, removed)


def _read_as_far_as_readable(items: list[dict[str, Any]], events: list[CalendarEvent],
                             removed: list[str]) -> None:
    """Each item gave at most one event or removal, each event comes from an item, its
    text is clean, and every event is planned."""
    assert len(events) + len(removed) <= len(items)
    ids = {clean_line(str(item.get("id"))) for item in items}
    for event in events:
        assert event.uid in ids, event.uid
        for text in (event.uid, event.summary, event.location):
            assert not any(ord(c) < 32 or 0x7F <= ord(c) <= 0x9F for c in text), text
    entries = plan(events, SETTINGS, NOW)
    assert sorted(id(e.event) for e in entries) == sorted(id(e) for e in events)


toml_values = st.recursive(
    st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=20)
    | st.lists(st.text(max_size=8), max_size=3),
    lambda inner: st.dictionaries(st.text(max_size=12), inner, max_size=4), max_leaves=10)


@FUZZ
@given(st.dictionaries(st.sampled_from(["rules", "me", "sync", "accounts", "x"]),
                       toml_values | st.lists(st.dictionaries(
                           st.sampled_from(["name", "provider", "calendars", "url",
                                            "password"]), toml_values), max_size=2)))
def test_any_config_is_accepted_or_refused_with_its_problems(data: dict[str, Any]) -> None:
    try:
        parse_config(data, "fuzz.toml")
    except ConfigError as error:
        assert error.problems and "\n" not in str(error)


@settings(max_examples=300, deadline=500)
@given(st.text(max_size=400))
def test_any_notes_give_a_date_or_none_quickly(notes: str) -> None:
    context = Context(dt.date(2026, 11, 16), WorkCalendar(frozenset(range(5))), "MDY")
    found = decision_date(notes, context)
    assert found is None or isinstance(found, dt.date)


@FUZZ
@given(st.text(max_size=40), st.text(max_size=40), st.text(max_size=40),
       st.text(max_size=40))
def test_names_and_addresses_never_add_a_mail_header(company: str, name: str, local: str,
                                                     role: str) -> None:
    start = EventTime.zoned(dt.datetime(2026, 11, 16, 14, tzinfo=ZoneInfo("America/New_York")))
    event = CalendarEvent(
        uid="u", summary=f"Interview with {company}", start=start,
        description=f"Company: {company}\nRole: {role}",
        organizer=Person(f"{local}@acme.com", name, is_organizer=True),
        attendees=(Person("bob@acme.com", name),))
    [entry] = plan([event], SETTINGS, dt.datetime(2026, 11, 1, tzinfo=dt.UTC))
    message = draft(entry, SETTINGS, Templates.load(), NOW)
    if message is None:
        return
    parsed = message_from_bytes(message.message.as_bytes(), policy=policy.default)
    assert set(parsed.keys()) <= {"From", "To", "Subject", "Date", "Message-ID",
                                  "X-Followup-Daemon-Key", "Content-Type",
                                  "Content-Transfer-Encoding", "MIME-Version"}


def _plainly_built(key: str, letter: Letter) -> EmailMessage:
    """A draft's message as the email package makes it with its default policy, no
    header class or header shared between messages."""
    message = EmailMessage()
    if letter.sender is not None:
        message["From"] = letter.sender
    message["To"] = letter.to
    message["Subject"] = letter.subject
    if letter.date is not None:
        message["Date"] = format_datetime(letter.date)
    message["Message-ID"] = message_id(key)
    message[KEY_HEADER] = key
    message.set_content(letter.body + "\n")
    return message


@FUZZ
@given(st.text(max_size=30), st.text(max_size=30), st.text(max_size=80),
       st.text(max_size=300), st.booleans())
def test_a_letter_makes_the_message_the_email_package_would(
        sender: str, name: str, subject: str, body: str, dated: bool) -> None:
    try:
        letter = Letter((Address(one_line(name), addr_spec="jane@acme.com"),),
                        one_line(subject), body,
                        Address(one_line(sender), addr_spec="alex@example.com"),
                        NOW if dated else None)
    except (ValueError, IndexError, MessageError):  # names the package refuses
        return
    plain = policy.SMTP.clone(max_line_length=998)
    for key in ("k1", "k2"):  # the second is made with From and Date already shared
        for linesep in ("\r\n", "\n"):
            assert draft_bytes(letter_message(key, letter), linesep) == \
                _plainly_built(key, letter).as_bytes(policy=plain.clone(linesep=linesep))
