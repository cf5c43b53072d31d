from afterglow.phones.views import urlpatterns

__all__ = ["urlpatterns"]
