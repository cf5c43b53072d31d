from django.urls import path

from afterglow.media.visual import views as visual
from afterglow.media.voice import views as voice

urlpatterns = [
    path("voice/new", voice.new, name="voice_new"),
    path("voice/upload", voice.upload, name="voice_upload"),
    path("voice/<int:note_id>", voice.note_page, name="voice_note"),
    path("voice/<int:note_id>/audio", voice.audio_file, name="voice_audio"),
    path("voice/<int:note_id>/status", voice.status, name="voice_status"),
    path("voice/<int:note_id>/transcript", voice.transcript, name="voice_transcript"),
    path("voice/<int:note_id>/retry", voice.retry, name="voice_retry"),
    path("voice/<int:note_id>/delete", voice.delete, name="voice_delete"),
    path("draw", visual.draw, name="draw"),
    path("draw/save", visual.draw_save, name="draw_save"),
    path("drawings/<int:picture_id>", visual.drawing, name="drawing"),
    path("photos/new", visual.photo_new, name="photo_new"),
    path("pictures/<int:picture_id>", visual.picture, name="picture"),
    path("pictures/<int:picture_id>/image", visual.picture_image, name="picture_image"),
    path("pictures/<int:picture_id>/thumb", visual.picture_thumb, name="picture_thumb"),
    path("pictures/<int:picture_id>/delete", visual.picture_delete, name="picture_delete"),
]
