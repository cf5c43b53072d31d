"""Each kind of media owns its routes; this file only gathers them."""

from afterglow.media import visual_views
from afterglow.media.voice import views as voice

urlpatterns: list = [*voice.urlpatterns, *visual_views.urlpatterns]
