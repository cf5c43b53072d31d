"""Each kind of media owns its routes; this file only gathers them."""

from afterglow.media import visual_views

urlpatterns: list = [*visual_views.urlpatterns]
