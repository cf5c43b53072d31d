from afterglow.vault.views import urlpatterns

__all__ = ["urlpatterns"]
