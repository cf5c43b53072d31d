from afterglow.insights import views

urlpatterns = views.urlpatterns
