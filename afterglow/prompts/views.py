"""The patient's own prompts, and which prompt packs are installed."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from afterglow.access import PatientRequest, owned_or_404
from afterglow.prompts.forms import OwnPromptForm
from afterglow.prompts.library import library, pack_dirs
from afterglow.prompts.models import OwnPrompt


def prompts(request: PatientRequest) -> HttpResponse:
    form = OwnPromptForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            OwnPrompt.objects.create(owner=request.patient, **form.cleaned_data)
            messages.success(request, "Your prompt is added. It will appear with the others.")
            return redirect("prompts")
        return _render(request, form, status=422)
    return _render(request, form)


def _render(request: PatientRequest, form: OwnPromptForm, status: int = 200) -> HttpResponse:
    own = OwnPrompt.objects.filter(owner=request.patient)
    stages = [(label, [p for p in own if p.stage == value]) for value, label in OwnPrompt.Stage.choices]
    lib = library()
    context = {
        "form": form,
        "error": next(iter(form.errors.values()))[0] if form.errors else "",
        "stages": stages,
        "has_own": bool(own),
        "packs": sorted(lib.packs.values(), key=lambda p: p.title),
        "problems": lib.problems,
        "user_dir": pack_dirs()[-1],
    }
    return render(request, "prompts/own.html", context, status=status)


@require_POST
def delete(request: PatientRequest, prompt_id: int) -> HttpResponse:
    # Answers already written keep their copy of the prompt's text, so nothing is lost.
    owned_or_404(OwnPrompt, request, pk=prompt_id).delete()
    messages.success(request, "Prompt removed. Anything you wrote in answer to it is still in your journal.")
    return redirect("prompts")
