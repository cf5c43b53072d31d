"""Forms for the course, its sessions and the daily check-in. Every message is meant for a person."""

from __future__ import annotations

from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django import forms
from django.utils import timezone

from afterglow.journal import readings
from afterglow.journal.checkins import NOTE_MAX_CHARS, check_day, check_moment, checkin_moment
from afterglow.journal.models import CheckIn, Course, Programme, Route, Session
from afterglow.lib import dates

BAD_DATE = "That date does not exist on the calendar. Please check the day and month (YYYY-MM-DD)."
BAD_TIME = "That time does not look right. Please write it as hours and minutes, for example 14:30."


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%H:%M", **kwargs)


def date_field(label: str, *, required: bool = True, missing: str = "Please give a date.") -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=DateInput(attrs={"min": dates.EARLIEST.isoformat()}),
        error_messages={"invalid": BAD_DATE, "required": missing},
    )


def planned_day(form: forms.BaseForm, name: str) -> Any:
    """The day in `name`, held to the journal's range for planned days (1900 to a year or so ahead)."""
    day = form.cleaned_data[name]
    try:
        return day if day is None else dates.check_planned(day, timezone.localdate())
    except dates.DayOutOfRange as exc:
        raise forms.ValidationError(str(exc)) from None


def limit_planned(field: forms.Field) -> None:
    field.widget.attrs["max"] = dates.latest_planned(timezone.localdate()).isoformat()


def scale_field(label: str, low: int, high: int, *, required: bool) -> forms.TypedChoiceField:
    """A 1–10 style question answered by tapping one of a row of numbers."""
    return forms.TypedChoiceField(
        label=label,
        choices=[(n, str(n)) for n in range(low, high + 1)],
        coerce=int,
        empty_value=None,
        required=required,
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": f"{label} is a number from {low} to {high}. Please tap one of them.",
            "required": f"Please pick a number for {label.lower()}, from {low} to {high}.",
        },
    )


class CourseForm(forms.ModelForm):
    start_date = date_field("When did (or will) the course start?", missing="Please give the day the course starts.")
    programme = forms.ChoiceField(
        label="Prompts to follow",
        choices=Programme.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Please pick one of the listed programmes, or none."},
    )

    class Meta:
        model = Course
        fields = ["title", "start_date", "clinic", "clinician", "programme"]
        labels = {"title": "A name for this course", "clinic": "Clinic", "clinician": "Clinician"}
        help_texts = {
            "title": "For example “Spring infusions”. Without one, the start date names it.",
            "clinician": "The person who looks after you during the course.",
        }
        error_messages = {"title": {"max_length": "Please keep the name under %(limit_value)d characters."}}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_planned(self.fields["start_date"])

    def clean_start_date(self) -> Any:
        return planned_day(self, "start_date")


class SessionForm(forms.ModelForm):
    """A session's date and time are two simple inputs; the model keeps one moment."""

    date = date_field("Date", missing="Please give the day of the session.")
    time = forms.TimeField(
        label="Time",
        widget=TimeInput(),
        error_messages={"invalid": BAD_TIME, "required": "Please give the time the session started."},
    )
    route = forms.ChoiceField(
        label="How the medicine was given",
        choices=[*Route.choices, ("", "Not recorded")],
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Please pick one of the listed ways, or “Not recorded”."},
    )

    class Meta:
        model = Session
        fields = ["route", "dose", "setting", "clinician", "notes"]
        labels = {"dose": "Dose", "setting": "Setting", "clinician": "Clinician", "notes": "Notes"}
        help_texts = {
            "dose": "As your clinic wrote it, for example “0.5 mg/kg over 40 min”.",
            "setting": "Where you were and what was around you: room, music, eye mask, who was there.",
        }
        widgets = {"notes": forms.Textarea(attrs={"rows": 4}), "setting": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            local = timezone.localtime(self.instance.started_at)
            self.initial.setdefault("date", local.date())
            self.initial.setdefault("time", local.time().replace(second=0, microsecond=0))
        else:
            self.initial.setdefault("date", timezone.localdate())
            self.initial.setdefault("time", time(10, 0))
        limit_planned(self.fields["date"])

    def clean_date(self) -> Any:
        return planned_day(self, "date")

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        if data.get("date") and data.get("time"):
            self.instance.started_at = timezone.make_aware(datetime.combine(data["date"], data["time"]))
        return data


class CheckInForm(forms.Form):
    day = date_field("Which day is this about?", missing="Please say which day this check-in is about.")
    time = forms.TimeField(
        label="At what time?",
        required=False,
        widget=TimeInput(),
        help_text="Left empty: now for today, midday for an earlier day.",
        error_messages={"invalid": BAD_TIME},
    )
    mood = scale_field("Mood", 1, 10, required=True)
    anxiety = scale_field("Anxiety", 0, 10, required=False)
    sleep_hours = forms.DecimalField(
        label="Sleep last night (hours)",
        required=False,
        min_value=0,
        max_value=24,
        widget=forms.NumberInput(attrs={"step": "0.5", "min": "0", "max": "24", "inputmode": "decimal"}),
        error_messages={
            "invalid": "Please write the hours of sleep as a number, for example 6.5.",
            "min_value": "Hours of sleep cannot be below 0.",
            "max_value": "A day has 24 hours, so sleep can be at most 24.",
        },
    )
    energy = scale_field("Energy", 1, 10, required=False)
    pain = scale_field("Pain", 0, 10, required=False)
    note = forms.CharField(
        label="Body and behaviour",
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Anything you noticed: aches, appetite, what you did, how you were with people.",
        error_messages={"max_length": "This note is long for a check-in; please keep it under %(limit_value)d characters."},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        now = timezone.localtime()
        self.fields["day"].widget.attrs["max"] = now.date().isoformat()
        self.initial.setdefault("day", now.date())
        if self.initial["day"] == now.date():
            self.initial.setdefault("time", now.time().replace(second=0, microsecond=0))
        else:
            self.initial.setdefault("time", time(12, 0))

    @classmethod
    def for_checkin(cls, checkin: CheckIn, data: Any = None) -> CheckInForm:
        local = timezone.localtime(checkin.at)
        values = {name: getattr(checkin, name) for name in ("mood", "anxiety", "sleep_hours", "energy", "pain", "note")}
        return cls(data, initial={**values, "day": local.date(), "time": local.time().replace(second=0, microsecond=0)})

    def clean_day(self) -> Any:
        return check_day(self.cleaned_data["day"])

    def clean_sleep_hours(self) -> Decimal | None:
        hours = self.cleaned_data["sleep_hours"]
        # The model keeps one decimal; rounding 7.25 is kinder than refusing it.
        return None if hours is None else hours.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        day, clock = data.get("day"), data.get("time")
        if day is None or "time" in self.errors:
            return data
        data["at"] = checkin_moment(day, clock)
        try:
            check_moment(data["at"])
        except forms.ValidationError as exc:
            self.add_error("time", exc)
        return data


def reading_input(label: str, kind: str) -> forms.IntegerField:
    low, high = readings.BOUNDS[kind]
    return forms.IntegerField(
        label=label,
        required=False,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": str(low), "max": str(high), "class": "input-short"}),
        error_messages={"invalid": "Please write a whole number, for example 120."},
    )


class ReadingsForm(forms.ModelForm):
    """Blood pressure and heart rate, before the dose and before leaving; any of them may stay empty."""

    systolic_before = reading_input("Blood pressure, top number (systolic, mmHg)", "systolic")
    diastolic_before = reading_input("Blood pressure, bottom number (diastolic, mmHg)", "diastolic")
    heart_rate_before = reading_input("Heart rate (beats a minute)", "heart_rate")
    systolic_leaving = reading_input("Blood pressure, top number (systolic, mmHg)", "systolic")
    diastolic_leaving = reading_input("Blood pressure, bottom number (diastolic, mmHg)", "diastolic")
    heart_rate_leaving = reading_input("Heart rate (beats a minute)", "heart_rate")

    class Meta:
        model = Session
        fields = list(readings.FIELDS)

    def moments(self) -> list[tuple[str, list[forms.BoundField]]]:
        """(legend, its three fields) for each moment, in the order the clinic takes them."""
        kinds = ("systolic", "diastolic", "heart_rate")
        return [(label, [self[f"{kind}_{moment}"] for kind in kinds]) for moment, label, _ in readings.MOMENTS]

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for name in readings.FIELDS:
            kind = name.rsplit("_", 1)[0]
            try:
                readings.check_value(kind, data.get(name))
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        for moment, _, _ in readings.MOMENTS:
            systolic, diastolic = f"systolic_{moment}", f"diastolic_{moment}"
            if systolic in self.errors or diastolic in self.errors:
                continue
            try:
                readings.check_pair(data.get(systolic), data.get(diastolic))
            except forms.ValidationError as exc:
                self.add_error(systolic if data.get(systolic) is None else diastolic, exc)
        return data
