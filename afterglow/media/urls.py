"""Each kind of media owns its routes; this file only gathers them."""

urlpatterns: list = []
