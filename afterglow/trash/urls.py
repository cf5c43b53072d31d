from afterglow.trash import views

urlpatterns = [*views.urlpatterns]
