from afterglow.rhythm.views import urlpatterns

__all__ = ["urlpatterns"]
