"""Today: where the patient is in their course and what would help now."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "journal/home.html", {})


urlpatterns = [path("", home, name="home")]
