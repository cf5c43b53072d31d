"""Each view module owns its routes; this file only gathers them."""

from afterglow.journal.views import (
    actions,
    calendar,
    capture,
    checkin,
    course,
    home,
    intention,
    reflect,
    search,
    timeline,
    write,
)

urlpatterns = [
    *home.urlpatterns,
    *course.urlpatterns,
    *intention.urlpatterns,
    *capture.urlpatterns,
    *reflect.urlpatterns,
    *write.urlpatterns,
    *checkin.urlpatterns,
    *actions.urlpatterns,
    *timeline.urlpatterns,
    *calendar.urlpatterns,
    *search.urlpatterns,
]
