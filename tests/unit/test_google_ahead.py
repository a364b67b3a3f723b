"""Requests built ahead for the next batch: handed out once, only for the very item
they were built for, and a build that fails is met again when the item is written."""

from __future__ import annotations

from functools import partial

import pytest

from providers.google.ahead import Ahead


class Item:
    def __init__(self, name: str) -> None:
        self.name = name


def builder(built: list[str]) -> Ahead[Item]:
    def build(item: Item) -> str:
        built.append(item.name)
        if item.name == "bad":
            raise ValueError("a header with a line break")
        return f"request for {item.name}"
    return Ahead(build)


def test_what_was_built_ahead_is_handed_out_once_without_building_again() -> None:
    built: list[str] = []
    ahead, one, two = builder(built), Item("one"), Item("two")
    ahead.expect([one, two])
    ahead.get_ready()
    assert built == ["one", "two"]
    assert ahead.request(one) == "request for one" and ahead.request(two) == "request for two"
    assert built == ["one", "two"]
    assert ahead.request(one) == "request for one" and built == ["one", "two", "one"]


def test_an_item_written_before_the_wait_is_not_built_again_in_it() -> None:
    built: list[str] = []
    ahead, one, two = builder(built), Item("one"), Item("two")
    ahead.expect([one, two])
    ahead.request(one)  # written at once (no batch came to wait on)
    ahead.get_ready()
    assert built == ["one", "two"]


def test_what_was_built_stays_while_the_batch_after_it_is_named() -> None:
    built: list[str] = []
    ahead, first, second = builder(built), Item("first"), Item("second")
    ahead.expect([first])
    ahead.get_ready()  # while the batch before `first`'s is answered
    ahead.expect([second])  # named before `first`'s batch is sent
    assert ahead.request(first) == "request for first" and built == ["first"]


def test_a_second_wait_with_nothing_named_keeps_what_was_built() -> None:
    built: list[str] = []
    ahead, item = builder(built), Item("one")
    ahead.expect([item])
    ahead.get_ready()
    ahead.get_ready()  # asked for again (a pass that stopped before its batch went)
    assert ahead.request(item) == "request for one" and built == ["one"]


def test_only_the_very_item_gets_what_was_built_for_it() -> None:
    built: list[str] = []
    ahead, old, other = builder(built), Item("same"), Item("same")
    ahead.expect([old])
    ahead.get_ready()
    assert ahead.request(other) == "request for same" and built == ["same", "same"]
    ahead.expect([Item("next")])
    ahead.get_ready()  # the next wait: what was never handed out is dropped
    assert ahead.request(old) == "request for same" and built == ["same", "same", "next",
                                                                   "same"]


def test_a_build_that_fails_ahead_fails_again_where_the_item_is_written() -> None:
    built: list[str] = []
    ahead, bad, good = builder(built), Item("bad"), Item("good")
    ahead.expect([bad, good])
    ahead.get_ready()
    assert ahead.request(good) == "request for good"
    with pytest.raises(ValueError, match="line break"):
        ahead.request(bad)


def test_the_session_does_work_named_twice_once_in_the_next_wait() -> None:
    from providers.google.session import GoogleSession

    session, done = GoogleSession({"name": "g"}), list[str]()
    work = partial(done.append, "built")
    session.meanwhile(work)
    session.meanwhile(work)  # named again before any batch went
    session._while_waiting()
    session._while_waiting()  # the next wait: nothing is left to do
    assert done == ["built"]
