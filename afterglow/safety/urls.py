from afterglow.safety import views

urlpatterns = views.urlpatterns
