from afterglow.trash import versions, views

urlpatterns = [*views.urlpatterns, *versions.urlpatterns]
