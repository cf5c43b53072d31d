from afterglow.preferences.views import urlpatterns

__all__ = ["urlpatterns"]
