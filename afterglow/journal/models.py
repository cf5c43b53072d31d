"""The journal: courses of sessions, what happens around each, and daily life between them.

Every row belongs to a patient (a Django user). Local mode has exactly one.
Day N after a session is derived (see `rules.py`), never stored.
"""

from __future__ import annotations

import base64
import uuid
from datetime import date, datetime, time
from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import Case, F, Max, Q, Value, When
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

from afterglow.journal import private, readings

Owner = settings.AUTH_USER_MODEL


class Route(models.TextChoices):
    IV = "iv", "IV infusion"
    IM = "im", "IM injection"
    NASAL = "nasal", "Nasal spray"
    ORAL = "oral", "Oral / lozenge"


class Programme(models.TextChoices):
    # Values are prompt pack ids (afterglow/prompts/packs/*.toml).
    SIX_SESSION = "six-session", "6-infusion programme"
    THREE_STAGE = "three-stage", "Recall → reflection → action"
    NONE = "", "None"


class Course(models.Model):
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="courses")
    title = models.CharField(max_length=120, blank=True)
    start_date = models.DateField()
    clinic = models.CharField(max_length=200, blank=True)
    clinician = models.CharField(max_length=200, blank=True)
    programme = models.CharField(max_length=64, blank=True, choices=Programme.choices)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-start_date", "-id"]

    def __str__(self) -> str:
        return self.title or f"Course from {self.start_date:%-d %B %Y}"


def reading_field(bounds: tuple[int, int]) -> models.PositiveSmallIntegerField:
    low, high = bounds
    return models.PositiveSmallIntegerField(null=True, blank=True, validators=[MinValueValidator(low), MaxValueValidator(high)])


class Session(models.Model):
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="sessions")
    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="sessions")
    number = models.PositiveIntegerField(editable=False)
    started_at = models.DateTimeField()
    route = models.CharField(max_length=8, choices=Route.choices, blank=True)
    dose = models.CharField(max_length=200, blank=True)
    setting = models.CharField(max_length=500, blank=True)
    clinician = models.CharField(max_length=200, blank=True)
    notes = models.TextField(blank=True)
    # Readings the clinic takes (see `readings.py`): blood pressure in mmHg and heart rate in
    # beats a minute, before the dose and before leaving. All optional, shown as written.
    systolic_before = reading_field(readings.SYSTOLIC)
    diastolic_before = reading_field(readings.DIASTOLIC)
    heart_rate_before = reading_field(readings.HEART_RATE)
    systolic_leaving = reading_field(readings.SYSTOLIC)
    diastolic_leaving = reading_field(readings.DIASTOLIC)
    heart_rate_leaving = reading_field(readings.HEART_RATE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["course", "number"], name="session_number_unique")]
        indexes = [models.Index(fields=["owner", "-started_at"])]

    def __str__(self) -> str:
        return f"Session {self.number}"

    # The number is the session's place by date (then time, then id) in its
    # course, kept in a column so lists, search and the CLI can filter on it.
    # Every add, change and delete renumbers the course in the same
    # transaction, so "Session 1" is always the earliest. Links use the pk.
    def save(self, *args: object, **kwargs: object) -> None:
        with transaction.atomic():
            old_course = None if self._state.adding else Session.objects.filter(pk=self.pk).values_list("course_id").first()
            if not self.number or (old_course and old_course[0] != self.course_id):
                last = Session.objects.filter(course=self.course).aggregate(n=Max("number"))["n"]
                self.number = (last or 0) + 1
            super().save(*args, **kwargs)  # type: ignore[arg-type]
            if old_course and old_course[0] != self.course_id:
                renumber_sessions(Session, old_course[0])
            self.number = renumber_sessions(Session, self.course_id).get(self.pk, self.number)

    @property
    def day(self) -> date:
        return timezone.localtime(self.started_at).date()

    @property
    def readings(self) -> list[readings.Reading]:
        """Blood pressure and heart rate before the dose and before leaving (values may be None)."""
        return readings.readings_of(self)

    @property
    def has_readings(self) -> bool:
        return any(getattr(self, name) is not None for name in readings.FIELDS)


def renumber_sessions(model: type[models.Model], course_id: int) -> dict[int, int]:
    """Number a course's sessions 1, 2, 3… by date, then time, then id; returns {pk: number}.

    Takes the model class so the data migration can run it on the historical model.
    Rows that move go out of the way first, so the unique (course, number) holds at each step.
    """
    rows = model._default_manager.filter(course_id=course_id).order_by("started_at", "id")
    current = list(rows.values_list("id", "number"))
    wanted = {pk: n for n, (pk, _) in enumerate(current, start=1)}
    moving = [pk for pk, number in current if wanted[pk] != number]
    if moving:
        aside = max(number for _, number in current) + len(current) + 1
        model._default_manager.filter(pk__in=moving).update(number=F("number") + aside)
        whens = [When(pk=pk, then=Value(wanted[pk])) for pk in moving]
        model._default_manager.filter(pk__in=moving).update(number=Case(*whens))
    return wanted


@receiver(post_delete, sender=Session)
def _renumber_after_delete(sender: type[Session], instance: Session, **kwargs: Any) -> None:
    # A signal, not Session.delete(), so queryset deletes renumber too; Django
    # sends it inside the deletion's transaction.
    renumber_sessions(Session, instance.course_id)


class Intention(models.Model):
    """Something the patient sets before a session, revisited after it and at course end."""

    class Fit(models.IntegerChoices):
        NOT_AT_ALL = 0, "Not at all"
        A_LITTLE = 1, "A little"
        MOSTLY = 2, "Mostly"
        FULLY = 3, "Fully"

    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="intentions")
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="intentions")
    prompt_id = models.CharField(max_length=80, blank=True)
    prompt_text = models.CharField(max_length=500, blank=True)
    text = models.TextField()
    # After the session: did the experience fit what was hoped for?
    fit = models.SmallIntegerField(choices=Fit.choices, null=True, blank=True)
    revisit_note = models.TextField(blank=True)
    # At course review: how has this intention evolved?
    evolution_note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]


class Intensity(models.IntegerChoices):
    NONE = 0, "None"
    MILD = 1, "Mild"
    MODERATE = 2, "Moderate"
    STRONG = 3, "Strong"


def intensity_field() -> models.SmallIntegerField:
    return models.SmallIntegerField(
        choices=Intensity.choices, null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(3)]
    )


class Capture(models.Model):
    """The quick capture right after a session: structured, saved one answer at a time.

    `sensations` and `signature` map a key from `journal/data/capture.toml`
    to an intensity 0–3; `emotions` is a list of words.
    """

    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="captures")
    session = models.OneToOneField(Session, on_delete=models.CASCADE, related_name="capture")
    first_impression = models.TextField(blank=True)
    saw_colours = models.TextField(blank=True)
    saw_people = models.TextField(blank=True)
    saw_places = models.TextField(blank=True)
    saw_symbols = models.TextField(blank=True)
    heard = models.TextField(blank=True)
    felt = models.TextField(blank=True)
    sensations = models.JSONField(default=dict, blank=True)
    sensation_other = models.CharField(max_length=200, blank=True)
    dissociation = intensity_field()
    dreamlike = intensity_field()
    slept = models.BooleanField(null=True, blank=True)
    emotions = models.JSONField(default=list, blank=True)
    signature = models.JSONField(default=dict, blank=True)
    insights = models.TextField(blank=True)
    # The "right now" answer: how it was, 1 (very hard) to 5 (very good); words in capture.toml.
    overall = models.SmallIntegerField(null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)])
    # Text fields holding a voice note's transcript the person has not edited since (machine-made).
    machine_made = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)


SEARCH_FACETS = "journal_entry_search_facets"


class Entry(models.Model):
    class Mode(models.TextChoices):
        FREE = "free", "Free writing"
        GUIDED = "guided", "Prompt"
        VOICE = "voice", "Voice note"
        DRAWING = "drawing", "Drawing"
        IMAGE = "image", "Photo"

    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="entries")
    # Chosen by the browser (or CLI) so a retried autosave never makes a second entry.
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="entries")
    mode = models.CharField(max_length=8, choices=Mode.choices, default=Mode.FREE)
    prompt_id = models.CharField(max_length=80, blank=True)
    prompt_text = models.TextField(blank=True)
    title = models.CharField(max_length=200, blank=True)
    text = models.TextField(blank=True)
    private = models.BooleanField(default=False)
    # Clinic mode: a private entry's title and text, sealed to its owner's key (`private.py`);
    # its `title` and `text` columns are then empty. Always empty in local mode.
    sealed = models.TextField(blank=True, default="", db_default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    _private_stored: bool | None = None
    _private_locked = False

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["owner", "-created_at"]),
            models.Index(fields=["session", "-created_at"]),
            # What a filtered search tests for each entry the full-text index finds, led by the id it
            # joins on: the test reads these small index pages, not the entry's row with its text.
            models.Index(fields=["id", "owner", "created_at", "mode", "session"], name=SEARCH_FACETS),
        ]

    def __str__(self) -> str:
        if self.locked:
            return "A locked private entry"
        return self.title or self.prompt_text or "Entry"

    def save(self, *args: Any, **kwargs: Any) -> None:
        kwargs["update_fields"] = private.widened(kwargs.get("update_fields"))
        with transaction.atomic():
            with private.storing_entry(self):
                super().save(*args, **kwargs)
            private.after_entry_saved(self)

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> Entry:
        entry = super().from_db(*args, **kwargs)
        private.opened_entry(entry)
        return entry

    @property
    def locked(self) -> bool:
        """A private entry whose words this request cannot open (a clinician's, or after a password reset)."""
        return self._private_locked


class EntryRevision(models.Model):
    """A version of an entry's text: the newest is the text as it is; the others are earlier versions.

    Saves from one visit to the writing page (the same `editing` mark) refine one
    version instead of adding one a keystroke; a save without a mark is its own version.
    """

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="revisions")
    text = models.TextField(blank=True)
    # A private entry's version, sealed as the entry is (`private.py`); `text` is then empty.
    sealed = models.TextField(blank=True, default="", db_default="")
    saved_at = models.DateTimeField(default=timezone.now)
    editing = models.CharField(max_length=36, blank=True)

    _private_locked = False

    class Meta:
        ordering = ["-saved_at", "-id"]

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if fields is not None and {"text", "sealed"} & set(fields):
            kwargs["update_fields"] = set(fields) | {"text", "sealed"}
        with private.storing_revision(self):
            super().save(*args, **kwargs)

    @classmethod
    def from_db(cls, *args: Any, **kwargs: Any) -> EntryRevision:
        revision = super().from_db(*args, **kwargs)
        private.opened_revision(revision)
        return revision

    @property
    def locked(self) -> bool:
        return self._private_locked


class PrivateKeyring(models.Model):
    """Clinic mode: a patient's key pair for private entries (see `private.py`).

    The public key seals; the private key is stored only wrapped, by the password (Argon2id) and
    by the recovery key. An admin's reset empties `by_password`: then only the recovery key opens.
    """

    owner = models.OneToOneField(Owner, on_delete=models.CASCADE, related_name="private_keyring")
    public_key = models.CharField(max_length=64, blank=True)
    by_password = models.JSONField(default=dict, blank=True)
    by_recovery = models.JSONField(default=dict, blank=True)
    recovery_confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)


def _public_key_of(owner_id: int) -> bytes | None:
    found = PrivateKeyring.objects.filter(owner_id=owner_id).values_list("public_key", flat=True).first()
    return base64.b64decode(found) if found else None


private.public_key_of = _public_key_of


class IntegrationAction(models.Model):
    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="actions")
    entry = models.ForeignKey(Entry, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    session = models.ForeignKey(Session, on_delete=models.SET_NULL, null=True, blank=True, related_name="actions")
    what = models.CharField(max_length=300)
    due = models.DateField(null=True, blank=True)
    done_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["done_at", "due", "created_at"]
        indexes = [models.Index(fields=["owner", "done_at"])]

    @property
    def done(self) -> bool:
        return self.done_at is not None


class CheckIn(models.Model):
    """A 30-second picture of mood, anxiety, sleep, energy and pain, at a moment of a day.

    A day may hold several (the hours right after a session are worth a few). `at`
    is the moment the check-in is about; `day` is its local date, kept in a column
    so per-day questions (the calendar, daily means) stay indexed. Rows made with
    only a day (older code, imports) are placed at noon of that day.
    """

    owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="checkins")
    at = models.DateTimeField()
    day = models.DateField()
    mood = models.SmallIntegerField(validators=[MinValueValidator(1), MaxValueValidator(10)])
    anxiety = models.SmallIntegerField(null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(10)])
    sleep_hours = models.DecimalField(
        max_digits=3, decimal_places=1, null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(24)]
    )
    energy = models.SmallIntegerField(null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(10)])
    pain = models.SmallIntegerField(null=True, blank=True, validators=[MinValueValidator(0), MaxValueValidator(10)])
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(mood__gte=1, mood__lte=10), name="checkin_mood_range"),
            models.CheckConstraint(condition=Q(pain__gte=0, pain__lte=10) | Q(pain__isnull=True), name="checkin_pain_range"),
        ]
        indexes = [models.Index(fields=["owner", "day"]), models.Index(fields=["owner", "-at"])]

    def save(self, *args: object, **kwargs: object) -> None:
        if self.at is None and self.day is not None:
            self.at = noon_of(self.day)
        if self.at is not None:
            self.day = timezone.localdate(self.at)
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class CheckInDraft(models.Model):
    """A check-in begun and not yet saved: the form's values as typed, one per owner.

    Saved in the background while the person fills the form, so a closed tab or another
    browser finds the note again; it is not a check-in (charts and the calendar never see
    it) and goes away when the check-in is saved or the person discards it.
    """

    owner = models.OneToOneField(Owner, on_delete=models.CASCADE, related_name="checkin_draft")
    values = models.JSONField(default=dict)
    # The page (form_uid) whose check-in was saved or discarded: a background save from it that
    # arrives late must not bring the draft back.
    ended_form = models.CharField(max_length=40, blank=True)
    updated_at = models.DateTimeField(auto_now=True)


def noon_of(day: date) -> datetime:
    """The middle of a local day: where a check-in known only by its day is placed."""
    return timezone.make_aware(datetime.combine(day, time(12, 0)))
