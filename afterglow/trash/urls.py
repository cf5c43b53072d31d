from afterglow.trash import corrections, versions, views

urlpatterns = [*views.urlpatterns, *corrections.urlpatterns, *versions.urlpatterns]
