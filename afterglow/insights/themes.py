"""Themes: the words and phrases, feelings and images that recur in what a person wrote over a course.

Everything is computed here, on this machine. The method is a small one of
our own rather than a library's (the choice is explained in pyproject.toml):
each piece of writing (an entry, including voice transcripts, a session's
capture, a picture's caption) becomes the set of words and two- and
three-word phrases it holds, leaving out the stop words in
`data/stopwords.txt`. A theme is one held by several pieces; the course's
are ranked by how many pieces hold them, a session's by a TF-IDF weight
(how often in that session's writing, times how rare across the sessions), so
each session shows what sets it apart. Feelings count by the groups in
`data/feelings.toml`; images come from what the capture says was seen and
from captions.

Reading the texts is the slow part, so each piece's set is kept in memory
with the time it was last saved, with running counts for the course and for
each session; when the journal changes only new, changed or deleted pieces
are read and counted again (adding, moving or removing a session recounts
the whole course). The vault drops it all when it locks.
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from operator import attrgetter
from pathlib import Path
from typing import Any

from django.db.models import Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from afterglow.journal import private
from afterglow.journal.models import Capture, Course, Entry, Session
from afterglow.lib.datafiles import DataFileError, load_toml
from afterglow.media.visual.models import Picture
from afterglow.media.visual.sealing import open_caption
from afterglow.web import unchanged

DATA = Path(__file__).parent / "data"
MIN_PIECES = 3  # a course theme is held by at least this many pieces of writing
MIN_SESSION_PIECES = 2
COURSE_THEMES = 12
SESSION_THEMES = 5
LINKS = 5
MAX_PHRASE = 3
SUBSUMED = 0.7  # a word held mostly inside one chosen phrase is not shown again on its own
FETCH = 2000
CANDIDATES = 300  # the most frequent terms weighed for a theme; the rest cannot outrank them
WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|[.!?;:()\n\"“”]")
IMAGE_FIELDS = ("saw_colours", "saw_people", "saw_places", "saw_symbols")
TEXT_FIELDS = ("first_impression", "heard", "felt", "insights", "sensation_other")


@cache
def stop_words() -> frozenset[str]:
    lines = (DATA / "stopwords.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip() for w in lines if w.strip() and not w.startswith("#"))


@cache
def feeling_groups() -> dict[str, str]:
    """word → group name."""
    return load_toml(DATA / "feelings.toml", _groups)


def _groups(raw: Mapping[str, Any]) -> dict[str, str]:
    out: dict[str, str] = {}
    for group, words in raw["groups"].items():
        for word in words:
            if word in out:
                raise DataFileError(f"feelings.toml: {word!r} is in two groups")
            out[word] = group
    return out


def terms(text: str) -> tuple[set[str], set[str]]:
    """(words and phrases, feeling groups) held by one text."""
    stop, groups = stop_words(), feeling_groups()
    found: set[str] = set()
    feelings: set[str] = set()
    run: list[str] = []  # the current stretch of non-stop words inside a sentence
    for token in WORD.findall(text.lower().replace("’", "'")):
        word = token.removesuffix("'s")
        if word in groups:
            feelings.add(groups[word])
        if len(word) < 3 or word in stop or not word[0].isalpha():
            run.clear()
            continue
        run.append(word)
        # A feeling word alone is counted with its group (below); inside a phrase it stays.
        for n in range(1 if word not in groups else 2, min(MAX_PHRASE, len(run)) + 1):
            found.add(" ".join(run[-n:]))
    return found, feelings


# One piece of writing, as kept between recomputations -----------------------------------------------


@dataclass(frozen=True)
class Piece:
    key: tuple[str, int]
    stamp: str  # the last save time as stored (only ever compared for equality)
    when: datetime
    session_id: int | None  # linked explicitly (entries may be linked to a session)
    label: str
    href: str
    words: tuple[str, ...]
    feelings: tuple[str, ...]
    images: tuple[str, ...] = ()


Bucket = int | None  # the session a piece belongs to; None: before the course's first session


@dataclass
class Index:
    """A course's pieces and running counts of what they hold, updated piece by piece."""

    pieces: dict[tuple[str, int], Piece] = field(default_factory=dict)
    bucket_of: dict[tuple[str, int], Bucket] = field(default_factory=dict)
    vocab: dict[str, str] = field(default_factory=dict)  # shares one string object per term across pieces
    sessions: tuple[tuple[int, datetime], ...] = ()
    starts: list[datetime] = field(default_factory=list)
    words: Counter[str] = field(default_factory=Counter)
    feelings: Counter[str] = field(default_factory=Counter)
    images: Counter[str] = field(default_factory=Counter)
    buckets: dict[Bucket, Counter[str]] = field(default_factory=dict)

    def intern(self, items: Iterable[str]) -> tuple[str, ...]:
        return tuple(self.vocab.setdefault(t, t) for t in sorted(items))

    def add(self, piece: Piece) -> None:
        bucket = self.place(piece)
        self.pieces[piece.key] = piece
        self.bucket_of[piece.key] = bucket
        self.words.update(piece.words)
        self.feelings.update(piece.feelings)
        self.images.update(piece.images)
        self.buckets.setdefault(bucket, Counter()).update(piece.words)

    def remove(self, key: tuple[str, int]) -> None:
        piece = self.pieces.pop(key)
        bucket = self.bucket_of.pop(key)
        self.words.subtract(piece.words)
        self.feelings.subtract(piece.feelings)
        self.images.subtract(piece.images)
        self.buckets[bucket].subtract(piece.words)

    def place(self, piece: Piece) -> Bucket:
        """Its own session when it names one of the course's, else the latest session started before it."""
        if piece.session_id is not None and any(pk == piece.session_id for pk, _ in self.sessions):
            return piece.session_id
        i = bisect.bisect_right(self.starts, piece.when) - 1
        return self.sessions[i][0] if i >= 0 else None

    def resession(self, sessions: tuple[tuple[int, datetime], ...]) -> None:
        """Sessions were added, moved or removed: place every piece again (rare, and a full recount)."""
        kept = list(self.pieces.values())
        self.pieces.clear()
        self.bucket_of.clear()
        self.words, self.feelings, self.images, self.buckets = Counter(), Counter(), Counter(), {}
        self.sessions = sessions
        self.starts = [at for _, at in sessions]
        for piece in kept:
            self.add(piece)


_indexes: dict[tuple[int, int], Index] = {}
_lock = threading.Lock()


def forget() -> None:
    with _lock:
        _indexes.clear()


unchanged.on_forget(forget)


# What the page shows ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    label: str
    href: str
    when: date


@dataclass(frozen=True)
class Theme:
    name: str
    count: int  # pieces of writing holding it
    first: date
    last: date
    sessions: tuple[tuple[int, int], ...]  # (session number, pieces) in session order
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Themes:
    pieces: int
    words: tuple[Theme, ...]
    feelings: tuple[Theme, ...]
    images: tuple[Theme, ...]
    by_session: dict[int, tuple[Theme, ...]]  # session pk → its own themes

    @property
    def empty(self) -> bool:
        return not (self.words or self.feelings or self.images)


def course_themes(course: Course) -> Themes:
    """The course's themes, worked out again only when the journal has changed since the last time."""
    key = ("insights.themes", course.owner_id, course.pk, timezone.get_current_timezone_name())
    return unchanged.kept(key, lambda: compute(course))


def compute(course: Course) -> Themes:
    with _lock:
        index = refresh(course)
        sessions = list(Session.objects.filter(course=course).order_by("started_at", "id"))
        numbers = {s.pk: s.number for s in sessions}
        held = [(p, index.bucket_of[p.key]) for p in index.pieces.values()]
        by_bucket: dict[Bucket, list[tuple[Piece, Bucket]]] = {}
        for item in held:
            by_bucket.setdefault(item[1], []).append(item)
        # In how many sessions' writing each term appears: the "document frequency" of the TF-IDF.
        spread = Counter(t for b in index.buckets.values() for t, n in b.items() if n > 0)
        return Themes(
            pieces=len(index.pieces),
            words=_describe(held, "words", _choose(index.words, MIN_PIECES, COURSE_THEMES, subsume=True), numbers),
            feelings=_describe(held, "feelings", _choose(index.feelings, 2, 20), numbers),
            images=_describe(held, "images", _choose(index.images, 2, 10, subsume=True), numbers),
            by_session={s.pk: _distinctive(index, by_bucket.get(s.pk, []), s.pk, numbers, spread) for s in sessions},
        )


def _choose(counts: Counter[str], least: int, limit: int, *, subsume: bool = False) -> list[str]:
    ranked = [(t, n) for t, n in counts.most_common(CANDIDATES) if n >= least]
    # Longer phrases first among equals, so "the lighthouse keeper" beats "keeper".
    ranked.sort(key=lambda tn: (-tn[1], -tn[0].count(" "), tn[0]))
    return _without_subsumed(ranked, limit) if subsume else [t for t, _ in ranked[:limit]]


def _without_subsumed(ranked: list[tuple[str, int]], limit: int) -> list[str]:
    """Drop a word or phrase when a chosen longer phrase holds it in most of its pieces (or the reverse)."""
    count = dict(ranked)
    chosen: list[str] = []
    for term, n in sorted(ranked, key=lambda tn: (-tn[1] * (1 + 0.15 * tn[0].count(" ")), tn[0])):
        if len(chosen) >= limit:
            break
        if any(_overlaps(term, other) and min(n, count[other]) >= SUBSUMED * max(n, count[other]) for other in chosen):
            continue
        chosen.append(term)
    return sorted(chosen, key=lambda t: (-count[t], t))


def _overlaps(a: str, b: str) -> bool:
    return f" {a} " in f" {b} " or f" {b} " in f" {a} "


def _describe(held: list[tuple[Piece, Bucket]], kind: str, chosen: list[str], numbers: dict[int, int]) -> tuple[Theme, ...]:
    if not chosen:
        return ()
    holders: dict[str, list[tuple[Piece, Bucket]]] = {t: [] for t in chosen}
    wanted = set(chosen)
    terms_of = attrgetter(kind)
    for item in held:
        for term in wanted.intersection(terms_of(item[0])):
            holders[term].append(item)
    return tuple(_theme(term, holders[term], numbers) for term in chosen if holders[term])


def _theme(name: str, held: list[tuple[Piece, Bucket]], numbers: dict[int, int]) -> Theme:
    per_bucket = Counter(s for _, s in held)
    per_session = Counter({numbers[s]: n for s, n in per_bucket.items() if s in numbers})
    when = [p.when for p, _ in held]
    first, last = timezone.localtime(min(when)).date(), timezone.localtime(max(when)).date()
    recent = heapq.nlargest(LINKS, held, key=lambda ps: ps[0].when)
    links = tuple(Link(p.label, p.href, timezone.localtime(p.when).date()) for p, _ in recent)
    return Theme(name, len(held), first, last, tuple(sorted(per_session.items())), links)


def _distinctive(
    index: Index, held: list[tuple[Piece, Bucket]], session_pk: int, numbers: dict[int, int], spread: Counter[str]
) -> tuple[Theme, ...]:
    """A session's own themes: TF-IDF with each session's writing as one document.

    Only the session's most frequent terms are weighed (CANDIDATES of them): a term rarer than
    those within the session would need an unlikely rarity elsewhere to rank in its top five.
    """
    mine = index.buckets.get(session_pk)
    if not mine:
        return ()
    scored = []
    documents = len(index.buckets)
    # With a few sessions or more, a term found around most of them does not set this one apart.
    common = documents // 2 if documents >= 4 else documents
    for term, n in mine.most_common(CANDIDATES):
        if n < MIN_SESSION_PIECES:
            break
        if spread[term] > common:
            continue
        scored.append((term, n * math.log((1 + documents) / spread[term]), n))
    scored.sort(key=lambda x: (-x[1], -x[0].count(" "), x[0]))
    chosen = _without_subsumed([(t, n) for t, _, n in scored[: SESSION_THEMES * 4]], SESSION_THEMES)
    return _describe(held, "words", chosen, numbers)


# Keeping the pieces up to date ---------------------------------------------------------------------------


def refresh(course: Course) -> Index:
    """The course's index, reading again only what is new or changed since the last call (hold `_lock`)."""
    index = _indexes.setdefault((course.owner_id, course.pk), Index())
    sessions = tuple(Session.objects.filter(course=course).order_by("started_at", "id").values_list("id", "started_at"))
    if sessions != index.sessions:
        index.resession(sessions)
    stamps = _stamps(course)
    for key in [k for k in index.pieces if k not in stamps]:
        index.remove(key)
    stale = [k for k, stamp in stamps.items() if k not in index.pieces or index.pieces[k].stamp != stamp]
    for piece in list(_read(stale, index)):
        if piece.key in index.pieces:
            index.remove(piece.key)
        index.add(piece)
    return index


def _course_entries(course: Course) -> tuple[QuerySet[Entry], QuerySet[Entry]]:
    """The course's entries as two index-friendly queries: linked to its sessions, and unlinked within its dates."""
    later = Course.objects.filter(owner_id=course.owner_id, start_date__gt=course.start_date).order_by("start_date").first()
    start = timezone.make_aware(datetime.combine(course.start_date, time.min))
    unlinked = Entry.objects.filter(owner_id=course.owner_id, session__isnull=True, created_at__gte=start)
    if later is not None:
        unlinked = unlinked.filter(created_at__lt=timezone.make_aware(datetime.combine(later.start_date, time.min)))
    sessions = list(Session.objects.filter(course=course).values_list("id", flat=True))
    return Entry.objects.filter(owner_id=course.owner_id, session_id__in=sessions), unlinked


def _saved() -> Cast:
    """A row's last save time as the database holds it: listing 20,000 of them as text, not datetimes, is cheaper."""
    return Cast("updated_at", output_field=TextField())


def _stamps(course: Course) -> dict[tuple[str, int], str]:
    out: dict[tuple[str, int], str] = {}
    for rows in _course_entries(course):
        out.update({("e", pk): at for pk, at in rows.annotate(saved=_saved()).values_list("id", "saved")})
    captures = Capture.objects.filter(owner_id=course.owner_id, session__course=course).annotate(saved=_saved())
    out.update({("c", pk): at for pk, at in captures.values_list("id", "saved")})
    # A clinic's private picture keeps its caption sealed (`caption` empty): opened when read, for its patient.
    captioned = Q(caption__gt="") | Q(caption_sealed__isnull=False)
    pictures = Picture.objects.filter(captioned, owner_id=course.owner_id).annotate(saved=_saved())
    out.update({("p", pk): at for pk, at, entry in pictures.values_list("id", "saved", "entry_id") if ("e", entry) in out})
    return out


def _read(keys: list[tuple[str, int]], index: Index) -> Iterable[Piece]:
    by_kind: dict[str, list[int]] = {"e": [], "c": [], "p": []}
    for kind, pk in keys:
        by_kind[kind].append(pk)
    for chunk in _chunks(by_kind["e"]):
        fields = ("id", "saved", "created_at", "session_id", "title", "text", "uid", "owner_id", "sealed")
        found = Entry.objects.filter(pk__in=chunk).annotate(saved=_saved()).values_list(*fields)
        for pk, stamp, when, session, title, text, uid, owner_id, sealed in found:
            title, text = private.open_words(uid, owner_id, title, text, sealed)  # a clinic's private entry
            words, feelings = terms(f"{title}.\n{text}")
            yield Piece(("e", pk), stamp, when, session, "Entry", reverse("entry", args=[pk]), index.intern(words),
                        index.intern(feelings))  # fmt: skip
    for chunk in _chunks(by_kind["c"]):
        for c in Capture.objects.filter(pk__in=chunk).select_related("session").annotate(saved=_saved()):
            yield _capture_piece(c, index)
    for chunk in _chunks(by_kind["p"]):
        columns = ("id", "saved", "created_at", "caption", "uid", "owner_id", "caption_sealed")
        rows = Picture.objects.filter(pk__in=chunk).annotate(saved=_saved()).values_list(*columns)
        for pk, stamp, when, caption, uid, owner_id, sealed in rows:
            words, feelings = terms(open_caption(uid, owner_id, caption, sealed))
            yield Piece(("p", pk), stamp, when, None, "Picture", reverse("picture", args=[pk]), index.intern(words),
                        index.intern(feelings), index.intern(words))  # fmt: skip


def _capture_piece(c: Capture, index: Index) -> Piece:
    text = "\n".join(str(getattr(c, name) or "") for name in TEXT_FIELDS)
    seen = "\n".join(str(getattr(c, name) or "") for name in IMAGE_FIELDS)
    words, feelings = terms(f"{text}\n{seen}")
    images, _ = terms(seen.replace(",", "\n"))
    groups = feeling_groups()
    feelings |= {groups[w.casefold()] for w in c.emotions or [] if isinstance(w, str) and w.casefold() in groups}
    label = f"Session {c.session.number} capture"
    href = reverse("capture_summary", args=[c.session_id])
    saved: str = c.saved  # type: ignore[attr-defined]  # annotated by the query (_saved)
    return Piece(("c", c.pk), saved, c.session.started_at, c.session_id, label, href, index.intern(words),
                 index.intern(feelings), index.intern(images))  # fmt: skip


def _chunks(ids: list[int]) -> Iterable[list[int]]:
    for start in range(0, len(ids), FETCH):
        yield ids[start : start + FETCH]
