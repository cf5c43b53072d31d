from afterglow.trash import corrections, views

urlpatterns = [*views.urlpatterns, *corrections.urlpatterns]
