"""The drawing page and its autosave, the photo form, and each picture's page, bytes and deletion."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from afterglow.access import NotYours, PatientRequest, owned_or_404
from afterglow.journal import private
from afterglow.media.visual import drawings, pictures, sealing
from afterglow.media.visual.models import Picture
from afterglow.media.visual.photos import KINDS_WE_TAKE, PhotoError, check_size, process_photo
from afterglow.web.background import refused

NO_PLACE = "That session or entry is not in your journal, so nothing could be linked to it."
# What an <img> of a locked private picture shows (with status 409): a quiet panel, never the sealed bytes.
LOCKED_PICTURE = (
    b'<svg xmlns="http://www.w3.org/2000/svg" width="160" height="120" viewBox="0 0 160 120">'
    b'<rect width="160" height="120" fill="#e9e6ef"/>'
    b'<text x="80" y="65" font-family="sans-serif" font-size="14" text-anchor="middle" fill="#4a4a55">Locked</text></svg>'
)


def _place_or_404(request: PatientRequest, data: Any) -> pictures.Place:
    try:
        return pictures.find_place(request.patient, data.get("session"), data.get("entry"))
    except pictures.NoSuchPlace:
        raise Http404("no such session or entry") from None


def _picture_or_404(request: PatientRequest, picture_id: int, *, with_bytes: bool = False) -> Picture:
    return owned_or_404(pictures.shown(with_bytes=with_bytes), request, pk=picture_id)


def _back(place: pictures.Place) -> tuple[str, str]:
    """Where 'Done' leads: the entry or session the picture belongs to, else the timeline."""
    if place.entry is not None:
        return reverse("entry", args=[place.entry.pk]), "Back to the entry"
    if place.session is not None:
        return reverse("session", args=[place.session.pk]), f"Back to session {place.session.number}"
    return reverse("timeline"), "Back to the timeline"


# --- Drawing ---------------------------------------------------------------------------------------


@require_GET
def draw(request: PatientRequest) -> HttpResponse:
    return _draw_page(request, _place_or_404(request, request.GET), None)


@require_GET
def drawing(request: PatientRequest, picture_id: int) -> HttpResponse:
    picture = _picture_or_404(request, picture_id, with_bytes=True)
    if picture.kind != Picture.Kind.DRAWING or picture.locked:  # the picture's page says why a locked one cannot open
        return redirect("picture", picture_id=picture.pk)
    return _draw_page(request, pictures.Place(entry=picture.entry), picture)


def _draw_page(request: HttpRequest, place: pictures.Place, picture: Picture | None) -> HttpResponse:
    pal = drawings.palette()
    back_url, back_label = _back(_home_of(place))
    context = {
        "palette": pal,
        "picture": picture,
        "uid": picture.uid if picture else uuid.uuid4(),
        "strokes": bytes(picture.strokes).decode() if picture and picture.strokes else '{"v":1,"strokes":[]}',
        "stroke_count": drawings.stroke_count(picture.strokes) if picture else 0,
        "session": place.about,
        "entry_id": place.entry.pk if place.entry and not picture else "",
        "session_id": place.session.pk if place.session and not picture else "",
        "back_url": back_url,
        "back_label": back_label,
    }
    return render(request, "media/draw.html", context)


def _home_of(place: pictures.Place) -> pictures.Place:
    """An entry made only to hold a picture is not a page to go back to: its session (or the timeline) is."""
    if place.entry is not None and place.entry.mode in pictures.OWN_MODES.values():
        return pictures.Place(session=place.entry.session)
    return place


@require_POST
def draw_save(request: PatientRequest) -> JsonResponse:
    """Create-or-update a drawing by uid; JSON so the page can say 'Saved 12:03' or why not."""
    owner = request.patient
    try:
        uid = uuid.UUID(request.POST.get("uid", ""))
    except ValueError:
        return _refuse("This page lost track of its drawing. Reload it — your drawing is kept on this device.")
    png, strokes = request.FILES.get("png"), request.FILES.get("strokes")
    if png is None or strokes is None:
        return _refuse(drawings.GARBLED)
    try:
        place = pictures.find_place(owner, request.POST.get("session"), request.POST.get("entry"))
        png_bytes, strokes_bytes = _read(png, drawings.MAX_PNG_BYTES), _read(strokes, drawings.MAX_STROKES_BYTES)
        saved = pictures.save_drawing(owner, uid, png_bytes, strokes_bytes, place)
    except pictures.NoSuchPlace:
        return _refuse(NO_PLACE)
    except NotYours:
        return _refuse("There is no such drawing.", status=404)
    except drawings.DrawingError as error:
        return _refuse(str(error), status=413 if str(error) == drawings.TOO_BIG else 400)
    except private.Locked as error:  # a sealed drawing this request cannot open: the page keeps what was drawn
        return refused(error)
    picture = saved.picture
    return JsonResponse({
        "ok": True, "id": picture.pk, "uid": str(picture.uid), "created": saved.created,
        "strokes": drawings.stroke_count(picture.strokes),
        "saved_label": f"Saved {timezone.localtime(picture.updated_at):%H:%M}",
        "url": reverse("drawing", args=[picture.pk]), "picture_url": reverse("picture", args=[picture.pk]),
        "delete_url": reverse("picture_delete", args=[picture.pk]),
    })  # fmt: skip


def _read(upload: UploadedFile, limit: int) -> bytes:
    if (upload.size or 0) > limit:
        raise drawings.DrawingError(drawings.TOO_BIG)
    return upload.read()


def _refuse(message: str, status: int = 400) -> JsonResponse:
    return refused(message, status)


# --- Photos ----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def photo_new(request: PatientRequest) -> HttpResponse:
    if request.method == "GET":
        return _photo_form(request, _place_or_404(request, request.GET))
    place = _place_or_404(request, request.POST)
    caption = request.POST.get("caption", "")
    upload = request.FILES.get("photo")
    try:
        data = _photo_bytes(request, upload)
        caption = pictures.clean_caption(caption)
        photo = process_photo(data)
    except (PhotoError, pictures.CaptionError) as error:
        return _photo_form(request, place, caption=caption, error=str(error), status=error.status)
    try:
        picture = pictures.add_photo(request.patient, photo, place, caption)
    except private.Locked as error:  # a private entry's photo cannot be sealed yet (no key pair): nothing is stored
        return _photo_form(request, place, caption=caption, error=str(error), status=error.status)
    messages.success(request, "Photo added. Its location and camera details were removed.")
    return redirect("picture", picture_id=picture.pk)


def _photo_bytes(request: HttpRequest, upload: UploadedFile | None) -> bytes:
    if upload is None:
        # Past the upload limit the file is dropped on arrival (never held in memory or on disk).
        sent = int(request.META.get("CONTENT_LENGTH") or 0)
        if sent > settings.MEDIA_MAX_UPLOAD_BYTES:
            check_size(sent, settings.MEDIA_MAX_UPLOAD_BYTES)
        raise PhotoError("No photo came with the form. Please choose one.")
    check_size(upload.size or 0, settings.MEDIA_MAX_UPLOAD_BYTES)
    return upload.read()


def _photo_form(
    request: HttpRequest, place: pictures.Place, *, caption: str = "", error: str = "", status: int = 200
) -> HttpResponse:
    back_url, back_label = _back(place)
    context = {
        "place": place, "session": place.about, "caption": caption, "error": error, "kinds": KINDS_WE_TAKE,
        "max_mb": settings.MEDIA_MAX_UPLOAD_BYTES // 1024 // 1024, "back_url": back_url, "back_label": back_label,
        "caption_max": pictures.CAPTION_MAX,
    }  # fmt: skip
    return render(request, "media/photo_new.html", context, status=status)


# --- One picture -----------------------------------------------------------------------------------


@require_GET
def picture(request: PatientRequest, picture_id: int) -> HttpResponse:
    found = _picture_or_404(request, picture_id)
    others = found.entry.pictures.exclude(pk=found.pk).count()
    return render(request, "media/picture.html", {"picture": found, "entry": found.entry, "others": others})


def _bytes_response(data: bytes, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = "inline"
    # Decrypted pictures never go to the browser's disk cache (the no-store middleware agrees).
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def picture_image(request: PatientRequest, picture_id: int) -> HttpResponse:
    found = _picture_or_404(request, picture_id, with_bytes=True)
    if found.locked:
        return _locked_response()
    return _bytes_response(bytes(found.image), found.content_type)


@require_GET
def picture_thumb(request: PatientRequest, picture_id: int) -> HttpResponse:
    found = _picture_or_404(request, picture_id)
    thumb = Picture.objects.filter(pk=found.pk).values_list("thumb", flat=True).get()
    data = sealing.open_value(found.uid, found.owner_id, "thumb", thumb, found.sealed)
    if data is None:
        return _locked_response()
    return _bytes_response(data, "image/png" if data.startswith(b"\x89PNG") else "image/jpeg")


def _locked_response() -> HttpResponse:
    response = _bytes_response(LOCKED_PICTURE, "image/svg+xml")
    response.status_code = 409
    return response


@require_http_methods(["GET", "POST"])
def picture_delete(request: PatientRequest, picture_id: int) -> HttpResponse:
    found = _picture_or_404(request, picture_id)
    if request.method == "GET":
        return render(request, "media/picture_delete.html", {"picture": found})
    session = found.entry.session
    kept = pictures.delete_picture(found)
    messages.success(request, f"The {found.get_kind_display().lower()} was deleted.")
    if kept is not None:
        return redirect("entry", entry_id=kept.pk)
    return redirect("session", pk=session.pk) if session else redirect("timeline")
