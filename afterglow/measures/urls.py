from afterglow.measures import views

urlpatterns = views.urlpatterns
