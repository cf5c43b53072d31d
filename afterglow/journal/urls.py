from django.urls import path, register_converter

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

register_converter(calendar.TwoDigits, "two")

urlpatterns = [
    path("course", course.course, name="course"),
    path("course/edit", course.course_edit, name="course_edit"),
    path("course/new", course.course_new, name="course_new"),
    path("sessions/new", course.session_new, name="session_new"),
    path("sessions/<int:pk>", course.session, name="session"),
    path("sessions/<int:pk>/edit", course.session_edit, name="session_edit"),
    path("sessions/<int:pk>/readings", course.session_readings, name="session_readings"),
    path("sessions/<int:session_id>/intention", intention.intention, name="intention"),
    path("sessions/<int:session_id>/revisit", intention.revisit, name="revisit"),
    path("sessions/<int:session_id>/capture", capture.capture, name="capture"),
    path("sessions/<int:session_id>/capture/now", capture.capture_now, name="capture_now"),
    path("sessions/<int:session_id>/capture/more", capture.capture_more, name="capture_more"),
    path("sessions/<int:session_id>/capture/summary", capture.capture_summary, name="capture_summary"),
    path("sessions/<int:session_id>/capture/<int:number>", capture.capture_step, name="capture_step"),
    path("sessions/<int:session_id>/reflect", reflect.reflect, name="reflect"),
    path("sessions/<int:session_id>/reflect/action", reflect.make_action, name="reflect_action"),
    path("sessions/<int:session_id>/reflect/autosave", reflect.autosave, name="reflect_autosave"),
    path("write", write.write, name="write"),
    path("write/autosave", write.autosave, name="autosave"),
    path("entries/<int:entry_id>", write.entry, name="entry"),
    path("entries/<int:entry_id>/edit", write.entry_edit, name="entry_edit"),
    path("checkin", checkin.checkin, name="checkin"),
    path("checkin/draft", checkin.checkin_draft, name="checkin_draft"),
    path("checkin/draft/discard", checkin.checkin_draft_discard, name="checkin_draft_discard"),
    path("checkin/<int:pk>", checkin.checkin_edit, name="checkin_edit"),
    path("actions", actions.actions, name="actions"),
    path("actions/practice", actions.add_practice, name="action_practice"),
    path("actions/<int:action_id>/done", actions.done, name="action_done"),
    path("actions/<int:action_id>/undo", actions.undo, name="action_undo"),
    path("calendar", calendar.this_month, name="calendar"),
    path("calendar/<int:year>/<two:month>", calendar.month, name="calendar_month"),
    path("calendar/<int:year>/<two:month>/<two:day>", calendar.day, name="calendar_day"),
]
