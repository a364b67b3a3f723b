"""The CalDAV provider against a real Radicale, drafts against a real Dovecot."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from followup_daemon.errors import Conflict, UserError
from followup_daemon.provider import Changes, Provider, StoredFollowup
from followup_daemon.registry import ProviderContext
from providers.caldav.provider import CalDAVProvider

from .caldav_helpers import interview, make_calendar, make_provider
from .provider_contract import ProviderContract, draft, followup
from .servers.dovecot_server import Dovecot

NOW = dt.datetime(2026, 11, 10, 9, tzinfo=dt.UTC)


class TestCalDAVContract(ProviderContract):
    @pytest.fixture
    def provider(self, radicale: str, tmp_path: Path, dovecot: Dovecot,
                 imap_user: str) -> CalDAVProvider:
        make_calendar(radicale)
        return make_provider(radicale, tmp_path, dovecot, imap_username=imap_user)

    def edit_as_user(self, provider: Provider, stored: StoredFollowup, change: str) -> None:
        """As a calendar app would: GET the object, change it, PUT it back."""
        from icalendar import Calendar

        from .test_local_provider import user_edit

        assert isinstance(provider, CalDAVProvider)
        client = provider.client()
        calendar = Calendar.from_ical(client.request(stored.remote_id, "GET").raw)
        user_edit(next(iter(calendar.walk("VEVENT"))), change)
        answer = client.put(stored.remote_id, calendar.to_ical().decode(),
                            {"Content-Type": "text/calendar; charset=utf-8"})
        assert answer.status in (200, 201, 204), answer.status


def test_sync_tokens_changes_and_removals(radicale: str, tmp_path: Path) -> None:
    calendar = make_calendar(radicale)
    acme = calendar.save_event(interview())
    provider = make_provider(radicale, tmp_path)
    first = provider.read_changes(None, NOW)
    assert first.full and [e.uid for e in first.events] == ["acme@x"]
    assert provider.read_changes(first.cursor, NOW).unchanged
    calendar.save_event(interview("globex@x", summary="Phone screen (Globex)"))
    acme.delete()
    second = provider.read_changes(first.cursor, NOW)
    assert not second.full
    assert [e.uid for e in second.events] == ["globex@x"]
    assert second.removed == ("acme@x\x00",)


def test_an_invalid_token_restarts_a_full_sync(radicale: str, tmp_path: Path) -> None:
    make_calendar(radicale).save_event(interview())
    provider = make_provider(radicale, tmp_path)
    first = provider.read_changes(None, NOW)
    assert first.cursor is not None
    broken = first.cursor.replace("http://radicale.org/ns/sync/", "http://radicale.org/ns/"
                                  "sync/00")
    again = provider.read_changes(broken, NOW)
    assert again.full and [e.uid for e in again.events] == ["acme@x"]


def test_ctag_mode_for_servers_without_sync_tokens(radicale: str, tmp_path: Path) -> None:
    calendar = make_calendar(radicale)
    calendar.save_event(interview())
    provider = make_provider(radicale, tmp_path, sync="ctag")
    first = provider.read_changes(None, NOW)
    assert first.full and len(first.events) == 1
    assert provider.read_changes(first.cursor, NOW).unchanged
    calendar.save_event(interview("globex@x", summary="Phone screen (Globex)"))
    assert sorted(e.uid for e in provider.read_changes(first.cursor, NOW).events) == [
        "acme@x", "globex@x"]


def test_recurring_interviews_are_expanded(radicale: str, tmp_path: Path) -> None:
    make_calendar(radicale).save_event(interview().replace(
        "DURATION:PT1H", "DURATION:PT1H\nRRULE:FREQ=WEEKLY;COUNT=3"))
    changes = make_provider(radicale, tmp_path).read_changes(None, NOW)
    assert len(changes.events) == 3 and all(e.recurrence_id for e in changes.events)


def test_own_follow_ups_are_tracked_not_read_as_interviews(radicale: str,
                                                          tmp_path: Path) -> None:
    make_calendar(radicale)
    provider = make_provider(radicale, tmp_path)
    cursor = provider.read_changes(None, NOW).cursor
    provider.create_followup(followup())
    later = make_provider(radicale, tmp_path)  # a new process: the cursor is all it has
    changes: Changes = later.read_changes(cursor, NOW)
    assert changes.events == () and list(later.list_followups()) == ["k1"]


def test_a_concurrent_edit_by_the_user_is_never_overwritten(radicale: str,
                                                           tmp_path: Path) -> None:
    calendar = make_calendar(radicale)
    provider = make_provider(radicale, tmp_path)
    stored = provider.create_followup(followup())
    [mine] = [o for o in calendar.objects(load_objects=True) if "followup-k1" in str(o.url)]
    mine.data = mine.data.replace("SUMMARY:Follow up: call Acme", "SUMMARY:Call Jane on Tue")
    mine.save()
    with pytest.raises(Conflict):
        provider.update_followup(stored.remote_id, followup(title="Follow up: e-mail Acme"))
    with pytest.raises(Conflict):
        provider.delete_followup(stored.remote_id)
    [kept] = [o for o in calendar.objects(load_objects=True) if "followup-k1" in str(o.url)]
    assert "Call Jane on Tue" in kept.data


def test_drafts_by_special_use_with_exact_header_match(radicale: str, tmp_path: Path,
                                                      dovecot: Dovecot, imap_user: str) -> None:
    make_calendar(radicale)
    provider = make_provider(radicale, tmp_path, dovecot, imap_username=imap_user)
    provider.create_draft(draft("k1-longer"))  # a substring match of "k1" must not count
    assert provider.find_draft("k1") is None
    stored = provider.create_draft(draft("k1"))
    assert provider.find_draft("k1") == stored


def test_plain_imap_only_to_localhost(tmp_path: Path) -> None:
    remote = {"name": "c", "provider": "caldav", "url": "https://dav.example.com/",
              "username": "a", "imap_host": "imap.example.com", "imap_security": "plain"}
    with pytest.raises(UserError, match="plain IMAP is only allowed"):
        CalDAVProvider(remote, ProviderContext(tmp_path, tmp_path))
    local = {**remote, "imap_host": "127.0.0.1"}
    assert CalDAVProvider(local, ProviderContext(tmp_path, tmp_path)).supports_drafts


def test_presets_and_http_only_to_localhost() -> None:
    assert CalDAVProvider.check_settings({"name": "c", "provider": "caldav",
                                          "preset": "fastmail", "username": "me@fm.com"}) == []
    problems = CalDAVProvider.check_settings({"name": "c", "provider": "caldav",
                                              "url": "http://dav.example.com/", "username": "a"})
    assert problems == ["url: use https (plain http only to 127.0.0.1)"]


def test_auto_mode_falls_back_to_ctags_when_the_server_has_no_sync_tokens(
        radicale: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from caldav.collection import Calendar
    from caldav.lib import error as dav_error

    real = Calendar.get_objects_by_sync_token

    def no_sync_collection(self: Calendar, *args: Any, **kwargs: Any) -> Any:
        if kwargs.get("disable_fallback"):  # as a server without RFC 6578 answers
            raise dav_error.ReportError("sync-collection is not supported")
        return real(self, *args, **kwargs)

    calendar = make_calendar(radicale)
    calendar.save_event(interview())
    monkeypatch.setattr(Calendar, "get_objects_by_sync_token", no_sync_collection)
    provider = make_provider(radicale, tmp_path)
    first = provider.read_changes(None, NOW)
    assert first.full and [e.uid for e in first.events] == ["acme@x"]
    assert provider.read_changes(first.cursor, NOW).unchanged  # the CTag did not move
    calendar.save_event(interview("globex@x", summary="Phone screen (Globex)"))
    assert len(provider.read_changes(first.cursor, NOW).events) == 2


def test_a_password_in_the_url_is_refused() -> None:
    problems = CalDAVProvider.check_settings({"name": "c", "provider": "caldav", "username": "a",
                                              "url": "https://a:hunter2@dav.example.com/"})
    assert problems == ["url: holds a password; remove it from the URL and run "
                        "`followup-daemon auth caldav --account c` to keep it in your keyring"]
