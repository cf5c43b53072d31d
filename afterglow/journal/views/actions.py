"""The Actions page: small steps to take, ticked off when done."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from afterglow.access import PatientRequest, owned_or_404
from afterglow.journal import actions as rules
from afterglow.journal.models import IntegrationAction
from afterglow.prompts.library import Prompt
from afterglow.prompts.selection import practices


class ActionForm(forms.Form):
    what = forms.CharField(
        max_length=2000,  # the rule's own limit gives the kinder message
        strip=False,
        error_messages={"required": "Say in a few words what you would like to do."},
    )
    due = forms.DateField(
        required=False,
        error_messages={"invalid": "That date does not exist on the calendar. Check the day and month, or leave it empty."},
    )

    def clean_what(self) -> str:
        return rules.clean_what(self.cleaned_data["what"])

    def clean_due(self) -> date | None:
        return rules.check_due(self.cleaned_data["due"], timezone.localdate())


def first_error(form: forms.Form) -> str:
    return str(next(iter(form.errors.values()))[0])


def practice_what(practice: Prompt) -> str:
    what = f"{practice.title}: {practice.text}" if practice.title else practice.text
    return what if len(what) <= rules.MAX_WHAT else what[: rules.MAX_WHAT - 1].rsplit(" ", 1)[0] + "…"


def actions(request: PatientRequest) -> HttpResponse:
    form = ActionForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            rules.create_action(request.patient, form.cleaned_data["what"], form.cleaned_data["due"])
            messages.success(request, "Added to your actions.")
            return redirect("actions")
        return _render(request, form, status=422)
    return _render(request, form)


# A list this long reads at a glance; the rest is one tap away (a journal of years can hold thousands).
OPEN_SHOWN = 50
DONE_SHOWN = 20


def _render(request: PatientRequest, form: ActionForm, status: int = 200) -> HttpResponse:
    today = timezone.localdate()
    owner = request.patient
    open_list, open_count = _some(rules.open_actions(owner), OPEN_SHOWN, request.GET.get("open") == "all")
    done_list, done_count = _some(rules.done_actions(owner), DONE_SHOWN, request.GET.get("done") == "all")
    context: dict[str, Any] = {
        "form": form,
        "error": first_error(form) if form.errors else "",
        "open_rows": [(a, rules.is_overdue(a, today)) for a in open_list],
        "open_count": open_count,
        "done": done_list,
        "done_count": done_count,
        "practices": practices(),
        "today": today,
    }
    return render(request, "journal/actions/list.html", context, status=status)


def _some(rows: Any, shown: int, everything: bool) -> tuple[list[IntegrationAction], int]:
    """The first `shown` rows (or all of them), and how many there are in all."""
    if everything:
        found = list(rows)
        return found, len(found)
    found = list(rows[: shown + 1])
    if len(found) <= shown:
        return found, len(found)
    return found[:shown], rows.count()


@require_POST
def add_practice(request: PatientRequest) -> HttpResponse:
    practice = next((p for p in practices() if p.key == request.POST.get("practice")), None)
    if practice is None:
        return _render(request, ActionForm(), status=400)
    rules.create_action(request.patient, practice_what(practice))
    messages.success(request, f"“{practice.title or 'Practice'}” is on your list now.")
    return redirect("actions")


def _owned(request: PatientRequest, action_id: int) -> IntegrationAction:
    return owned_or_404(IntegrationAction, request, pk=action_id)


@require_POST
def done(request: PatientRequest, action_id: int) -> HttpResponse:
    action = _owned(request, action_id)
    rules.mark_done(action)
    messages.success(request, f"Well done — “{action.what}” is ticked off.")
    return redirect("actions")


@require_POST
def undo(request: PatientRequest, action_id: int) -> HttpResponse:
    rules.undo(_owned(request, action_id))
    return redirect("actions")
