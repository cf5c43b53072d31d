"""Each view module owns its routes; this file only gathers them."""

from afterglow.journal.views import (
    actions,
    calendar,
    capture,
    checkin,
    course,
    intention,
    reflect,
    write,
)

urlpatterns = [
    *course.urlpatterns,
    *intention.urlpatterns,
    *capture.urlpatterns,
    *reflect.urlpatterns,
    *write.urlpatterns,
    *checkin.urlpatterns,
    *actions.urlpatterns,
    *calendar.urlpatterns,
]
