from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "congdoan.demo"
    label = "demo"
    verbose_name = "Demo data"
