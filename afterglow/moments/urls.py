from afterglow.moments import views

urlpatterns = [*views.urlpatterns]
