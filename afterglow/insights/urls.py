from django.urls import path

from afterglow.insights import views

urlpatterns = [
    path("course/review", views.course_review, name="course_review"),
    path("course/review/mood.svg", views.mood_chart, name="review_mood_chart"),
    path("course/review/curve.svg", views.curve_chart, name="review_curve_chart"),
    path("course/compare", views.compare_sessions, name="compare_sessions"),
]
