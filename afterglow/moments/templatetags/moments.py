"""Star buttons, the moment Today brings back, and the Settings switch for it."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from afterglow.moments import stars
from afterglow.moments.models import Star
from afterglow.preferences.store import for_request

register = template.Library()


@register.inclusion_tag("moments/_star_entry.html", takes_context=True)
def star_entry(context: dict[str, Any], entry: Any) -> dict[str, Any]:
    request = context["request"]
    return {"entry": entry, "starred": Star.objects.filter(entry=entry).exists(), "next": request.get_full_path(),
            "csrf_token": context.get("csrf_token")}  # fmt: skip


@register.inclusion_tag("moments/_star_answer.html", takes_context=True)
def star_answer(context: dict[str, Any], capture: Any, step: Any) -> dict[str, Any]:
    request = context["request"]
    starred = capture is not None and Star.objects.filter(capture=capture, answer=step.key).exists()
    return {"capture": capture, "step": step, "starred": starred, "next": request.get_full_path(),
            "csrf_token": context.get("csrf_token"), "can": capture is not None and step.key in stars.answer_steps()}  # fmt: skip


@register.inclusion_tag("moments/_today.html", takes_context=True)
def moment_today(context: dict[str, Any]) -> dict[str, Any]:
    if not stars.bring_back(for_request(context["request"])):
        return {"moment": None}
    day = timezone.localdate()
    moment = stars.moment_for(context["request"].patient, day)
    if moment is None:
        return {"moment": None}
    return {"moment": moment, "ago": stars.ago(timezone.localdate(moment.when), day)}


@register.inclusion_tag("moments/_preference.html", takes_context=True)
def moments_preference(context: dict[str, Any]) -> dict[str, Any]:
    return {"bring_back": stars.bring_back(for_request(context["request"])), "csrf_token": context.get("csrf_token")}
