"""The timeline: sessions, entries and check-ins as one stream, newest first.

Items are ordered by a key (moment, rank, id). A check-in stands at its own
moment (a day may hold several); at the same moment a check-in comes before
an entry, and an entry before a session, so whatever happens on a session's
own moment counts as after it.

Pages are keyset-paginated: each page asks the database for at most
`size + 1` rows of each kind, starting from the cursor, through the
(owner, created_at) and (owner, day) indexes. The cost of a page does not
grow with the size of the journal or with how far back the reader is.
Sessions are few (a course has a handful, a journal a few hundred), so they
are read in full once per page: that is what lets every item be placed
after its session, even when the session itself is on another page.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from django.db.models import Q, QuerySet
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone

from afterglow.journal.models import CheckIn, Entry, Session
from afterglow.journal.rules import day_after, day_label
from afterglow.web import unchanged

PAGE_SIZE = 25
EXCERPT_CHARS = 280

SESSION, ENTRY, CHECKIN = 0, 1, 2
KINDS = {SESSION: "session", ENTRY: "entry", CHECKIN: "checkin"}
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Key = tuple[datetime, int, int]

# Media finds each entry's drawings and photos for the journal's lists: it registers a finder here
# from its app's ready() (afterglow/media/apps.py), so the journal shows pictures without importing media.
PictureFinder = Callable[[list["Item"]], None]
_picture_finders: list[PictureFinder] = []


def find_pictures_with(finder: PictureFinder) -> None:
    if finder not in _picture_finders:
        _picture_finders.append(finder)


def attach_pictures(items: list[Item]) -> None:
    """Give each entry item its `pictures` (thumbnails: ids and sizes only), as the registered finders say."""
    for finder in _picture_finders:
        finder(items)


@dataclass(frozen=True)
class Cursor:
    """A position in the stream, carried in the page URL as three integers."""

    at: datetime
    rank: int
    id: int

    def encode(self) -> str:
        micros = (self.at - EPOCH) // timedelta(microseconds=1)
        return f"{micros}.{self.rank}.{self.id}"

    @classmethod
    def decode(cls, text: str | None) -> Cursor | None:
        """None for anything that is not a cursor we made: a mangled URL just starts from the top."""
        try:
            micros, rank, ident = (int(part) for part in (text or "").split("."))
            at = EPOCH + timedelta(microseconds=micros)
        except (ValueError, OverflowError):
            return None
        return cls(at, rank, ident) if rank in KINDS and 0 <= ident < 2**62 else None

    @property
    def key(self) -> Key:
        return (self.at, self.rank, self.id)


def clip(text: str, limit: int) -> str:
    """At most `limit` characters, the last an ellipsis when anything was cut (as `truncatechars`)."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass
class Item:
    rank: int
    at: datetime
    obj: Any
    # The session whose period this item falls in (it heads the item's group) …
    period: Session | Mark | None = None
    # … and the session its day N counts from: the same, unless an entry names another.
    about: Session | Mark | None = None
    day: int | None = None
    # An entry's drawings and photos, as thumbnails (ids and sizes only, never their bytes).
    pictures: list[Any] = field(default_factory=list)

    @property
    def kind(self) -> str:
        return KINDS[self.rank]

    @property
    def label(self) -> str:
        """'Day 2 after session 3', or "" before any session."""
        return day_label(self.day, self.about.number if self.about else None)

    @property
    def href(self) -> str:
        return reverse("entry", args=[self.obj.pk]) if self.rank == ENTRY else ""

    @property
    def heading(self) -> str:
        """An entry's title, or the prompt it answers."""
        if self.rank == ENTRY and self.obj.locked:  # a clinic's private entry this request cannot open
            return "A locked private entry (only your recovery key opens it)"
        return clip(self.obj.title or self.obj.prompt or "", 120) if self.rank == ENTRY else ""

    @property
    def excerpt(self) -> str:
        """The first lines of an entry, or a check-in's note."""
        if self.rank == ENTRY and self.obj.__dict__.get("sealed"):  # the column is empty: the words were sealed
            return clip(self.obj.text[:EXCERPT_CHARS], 240)
        text = self.obj.excerpt if self.rank == ENTRY else self.obj.note if self.rank == CHECKIN else ""
        return clip(text or "", 240)

    @property
    def key(self) -> Key:
        return (self.at, self.rank, self.obj.pk)

    @property
    def cursor(self) -> str:
        return Cursor(*self.key).encode()


@dataclass
class Group:
    """A run of items on one page that fall after the same session (or before any)."""

    session: Session | None
    items: list[Item] = field(default_factory=list)  # the session itself is the group's heading, not an item

    @property
    def upcoming(self) -> bool:
        return self.session is not None and self.session.started_at > timezone.now()


@dataclass
class Page:
    stream: list[Item]  # in order, sessions included
    groups: list[Group]
    sessions: Sessions
    session: Session | None
    older: str | None
    newer: str | None

    @property
    def items(self) -> list[Item]:
        return [item for group in self.groups for item in group.items]

    @property
    def empty(self) -> bool:
        return not self.groups


@dataclass(frozen=True)
class Mark:
    """A session as the whole timeline needs it: where it stands. Pages load full rows only for what they show."""

    pk: int
    number: int
    started_at: datetime
    course_id: int
    course_title: str
    day: date


class Sessions:
    """All of a patient's sessions in time order, to find which one an item follows."""

    def __init__(self, owner: Any) -> None:
        rows = Session.objects.filter(owner=owner).order_by("started_at", "id")
        tz = timezone.get_current_timezone()
        self.all = [
            Mark(pk, number, started, course_id, title, started.astimezone(tz).date())
            for pk, number, started, course_id, title in rows.values_list(
                "id", "number", "started_at", "course_id", "course__title"
            )
        ]
        self.keys = [(m.started_at, SESSION, m.pk) for m in self.all]
        self.starts = [m.started_at for m in self.all]
        self.by_pk = {m.pk: m for m in self.all}

    @classmethod
    def of(cls, owner: Any) -> Sessions:
        """The patient's sessions, read again only when the journal has changed (they are on every page)."""
        key = ("timeline.sessions", owner.pk, timezone.get_current_timezone_name())
        return unchanged.kept(key, lambda: cls(owner))

    def __len__(self) -> int:
        return len(self.all)

    def before(self, key: Key) -> Mark | None:
        i = bisect.bisect_right(self.keys, key)
        return self.all[i - 1] if i else None

    def first_start_after(self, moment: datetime) -> datetime | None:
        """When the next session begins after `moment` (None: none is planned); pages that say
        "upcoming" or "later today" read the same until then."""
        i = bisect.bisect_right(self.starts, moment)
        return self.starts[i] if i < len(self.starts) else None

    def after(self, mark: Mark) -> Mark | None:
        i = self.all.index(mark)
        return self.all[i + 1] if i + 1 < len(self.all) else None

    def get(self, pk: int | None) -> Mark | None:
        return self.by_pk.get(pk) if pk is not None else None

    def of_course(self, course_id: int) -> list[Mark]:
        return [m for m in self.all if m.course_id == course_id]


def page(
    owner: Any,
    *,
    session: Session | None = None,
    before: Cursor | None = None,
    after: Cursor | None = None,
    size: int = PAGE_SIZE,
    sessions: Sessions | None = None,
    only_entries: Q | None = None,
) -> Page:
    """One page of the timeline: older than `before`, or newer than `after`, or the newest.

    With `only_entries` (a filter from a page above, e.g. a tag), only the entries it matches:
    no sessions or check-ins.
    """
    sessions = Sessions.of(owner) if sessions is None else sessions
    only = sessions.get(session.pk) if session else None
    newest_first = after is None
    items = [] if only_entries else _session_items(sessions, only, before, after, size + 1)
    items += [_entry_item(e) for e in _entries(owner, sessions, only, before, after, size + 1, only_entries)]
    if not only_entries:
        items += [_checkin_item(c) for c in _checkins(owner, sessions, only, before, after, size + 1)]
    items.sort(key=lambda item: item.key, reverse=newest_first)
    more = len(items) > size
    items = items[:size]
    if not newest_first:
        items.reverse()
    if not items and (before or after):
        # Past either end (an old link, a deleted item): show the newest page rather than nothing.
        return page(owner, session=session, size=size, sessions=sessions, only_entries=only_entries)
    _place(items, sessions, only)
    _load_sessions(items, session)
    attach_pictures(items)
    older = items[-1].cursor if items and (more or not newest_first) else None
    newer = items[0].cursor if items and (before or (after and more)) else None
    return Page(items, _group(items), sessions, session, older, newer)


def _session_items(sessions: Sessions, only: Mark | None, before: Cursor | None, after: Cursor | None, limit: int) -> list[Item]:
    """The sessions in the page's direction from the cursor: at most `limit`, the nearest ones."""
    if only:
        marks = [only]
    elif after:
        start = bisect.bisect_right(sessions.keys, after.key)
        marks = sessions.all[start : start + limit]
    else:
        end = bisect.bisect_left(sessions.keys, before.key) if before else len(sessions.all)
        marks = sessions.all[max(0, end - limit) : end]
    items = [Item(SESSION, m.started_at, m) for m in marks]
    return [i for i in items if (not before or i.key < before.key) and (not after or i.key > after.key)]


def _entries(
    owner: Any,
    sessions: Sessions,
    only: Mark | None,
    before: Cursor | None,
    after: Cursor | None,
    limit: int,
    only_entries: Q | None = None,
) -> list[Entry]:
    mine = Entry.objects.filter(owner=owner)
    if only_entries is not None:
        mine = mine.filter(only_entries)
    if not only:
        return list(_entry_rows(mine, before, after, limit))
    # A session's entries are those written in its period plus those linked to it from any time.
    # Two indexed queries merged here; one query with an OR would scan the whole journal.
    period = _entry_rows(mine.filter(_between(only, sessions.after(only))), before, after, limit)
    linked = _entry_rows(mine.filter(session_id=only.pk), before, after, limit)
    rows = {e.pk: e for e in [*period, *linked]}.values()
    return sorted(rows, key=lambda e: (e.created_at, e.pk), reverse=after is None)[:limit]


def _entry_rows(rows: QuerySet[Entry], before: Cursor | None, after: Cursor | None, limit: int) -> QuerySet[Entry]:
    if before:
        rows = rows.filter(_entries_before(before))
    if after:
        rows = rows.filter(_entries_after(after))
    order = ["created_at", "id"] if after else ["-created_at", "-id"]
    return _with_excerpts(rows).order_by(*order)[:limit]


def _with_excerpts(rows: QuerySet[Entry]) -> QuerySet[Entry]:
    """Entries without their full text: a page needs a few lines of each, and texts can be long."""
    # `sealed` (and the owner it is sealed for): a private entry's words in a clinic, opened as the row is read.
    fields = ("id", "uid", "owner_id", "session_id", "mode", "prompt_id", "title", "private", "sealed", "created_at")
    rows = rows.only(*fields, "updated_at")
    return rows.annotate(excerpt=Substr("text", 1, EXCERPT_CHARS), prompt=Substr("prompt_text", 1, 200))


def _between(start: Mark, end: Mark | None) -> Q:
    period = Q(created_at__gte=start.started_at)
    return period & Q(created_at__lt=end.started_at) if end else period


def _entries_before(c: Cursor) -> Q:
    # Spelled as a range plus a small exclusion (not an OR) so SQLite walks the index from the cursor.
    return _moments_before(c, "created_at", ENTRY)


def _entries_after(c: Cursor) -> Q:
    return _moments_after(c, "created_at", ENTRY)


def _checkins(
    owner: Any, sessions: Sessions, only: Mark | None, before: Cursor | None, after: Cursor | None, limit: int
) -> QuerySet[CheckIn]:
    rows = CheckIn.objects.filter(owner=owner)
    if only:
        rows = rows.filter(at__gte=only.started_at)
        following = sessions.after(only)
        if following:
            rows = rows.filter(at__lt=following.started_at)
    # The same keyset walk as entries, on the (owner, at) index.
    if before:
        rows = rows.filter(_moments_before(before, "at", CHECKIN))
    if after:
        rows = rows.filter(_moments_after(after, "at", CHECKIN))
    return rows.order_by(*(["at", "id"] if after else ["-at", "-id"]))[:limit]


def _moments_before(c: Cursor, column: str, rank: int) -> Q:
    if c.rank > rank:
        return Q(**{f"{column}__lte": c.at})
    if c.rank < rank:
        return Q(**{f"{column}__lt": c.at})
    return Q(**{f"{column}__lte": c.at}) & ~Q(**{column: c.at, "id__gte": c.id})


def _moments_after(c: Cursor, column: str, rank: int) -> Q:
    if c.rank > rank:
        return Q(**{f"{column}__gt": c.at})
    if c.rank < rank:
        return Q(**{f"{column}__gte": c.at})
    return Q(**{f"{column}__gte": c.at}) & ~Q(**{column: c.at, "id__lte": c.id})


def session_entries(session: Session, limit: int) -> list[Item]:
    """The entries written about one session, newest first, each with its day N."""
    rows = _with_excerpts(Entry.objects.filter(session=session)).order_by("-created_at", "-id")[:limit]
    items = [_entry_item(e) for e in rows]
    for item in items:
        item.period = item.about = session
        item.day = day_after(session.day, timezone.localdate(item.at))
    attach_pictures(items)
    return items


def checkins_after(session: Session, limit: int = 30) -> list[Item]:
    """The check-ins from the session until the next one (the days that count most), oldest first.

    A check-in made earlier on the session day, before the dose, belongs to the time before.
    """
    rows = CheckIn.objects.filter(owner_id=session.owner_id, at__gte=session.started_at).order_by("at", "id")
    following = Session.objects.filter(owner_id=session.owner_id, started_at__gt=session.started_at).order_by("started_at")
    next_start = following.values_list("started_at", flat=True).first()
    if next_start:
        rows = rows.filter(at__lt=next_start)
    items = [_checkin_item(c) for c in rows[:limit]]
    for item in items:
        item.period = item.about = session
        item.day = day_after(session.day, item.obj.day)
    return items


def day_items(owner: Any, start: datetime, end: datetime, limit: int = 200) -> list[Item]:
    """Entries and check-ins with start <= moment < end, earliest first, each placed after its session.

    For the calendar's day page; `limit` of each kind keeps a day with thousands of imports bounded.
    """
    sessions = Sessions.of(owner)
    entries = _with_excerpts(Entry.objects.filter(owner=owner, created_at__gte=start, created_at__lt=end))
    checkins = CheckIn.objects.filter(owner=owner, at__gte=start, at__lt=end)
    items = [_entry_item(e) for e in entries.order_by("created_at", "id")[:limit]]
    items += [_checkin_item(c) for c in checkins.order_by("at", "id")[:limit]]
    items.sort(key=lambda item: item.key)
    _place(items, sessions, None)
    _load_sessions(items, None)
    attach_pictures(items)
    return items


def _entry_item(entry: Entry) -> Item:
    return Item(ENTRY, entry.created_at, entry)


def _checkin_item(checkin: CheckIn) -> Item:
    return Item(CHECKIN, checkin.at, checkin)


def _place(items: list[Item], sessions: Sessions, only: Mark | None) -> None:
    """Name the session each item falls after, and the day N it is about (day 0 is the session day)."""
    for item in items:
        item.period = only or (item.obj if item.rank == SESSION else sessions.before(item.key))
        if item.rank == SESSION:
            item.about = item.obj
            continue
        # An entry written about an earlier session counts its days from that session.
        linked = sessions.get(item.obj.session_id) if item.rank == ENTRY and item.obj.session_id else None
        item.about = linked or item.period
        if item.about:
            item.day = day_after(item.about.day, timezone.localdate(item.at))


def _load_sessions(items: list[Item], known: Session | None) -> None:
    """Swap each session mark on the page for the full session (route, dose…), in one query.

    After this, an item's `obj` (for a session), `period` and `about` are `Session` rows.
    """
    wanted = {m.pk for item in items for m in (item.obj if item.rank == SESSION else None, item.period, item.about) if m}
    full = {known.pk: known} if known else {}
    # With the course: two courses may each have a "Session 4", and the page names which.
    rows = Session.objects.select_related("course")
    full.update(rows.in_bulk(wanted - set(full)) if wanted - set(full) else {})
    for item in items:
        if item.rank == SESSION:
            item.obj = full[item.obj.pk]
        item.period = full[item.period.pk] if item.period else None
        item.about = full[item.about.pk] if item.about else None


def _group(items: list[Item]) -> list[Group]:
    groups: list[Group] = []
    for item in items:
        period = cast(Session | None, item.period)  # a full row since _load_sessions
        if not groups or groups[-1].session != period:
            groups.append(Group(period))
        if item.rank != SESSION:
            groups[-1].items.append(item)
    return groups
