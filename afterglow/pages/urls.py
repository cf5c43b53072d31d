"""Each view module owns its routes; this file only gathers them."""

from afterglow.pages import corrections
from afterglow.pages.views import home, search, timeline

urlpatterns = [
    *home.urlpatterns,
    *timeline.urlpatterns,
    *search.urlpatterns,
    *corrections.urlpatterns,
]
