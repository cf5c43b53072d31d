from django.apps import AppConfig


class Config(AppConfig):
    name = "afterglow.pages"
    label = "pages"
