from afterglow.tags.views import urlpatterns

__all__ = ["urlpatterns"]
