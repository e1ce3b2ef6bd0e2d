from django.apps import AppConfig


class MediaConfig(AppConfig):
    name = "baraza.media"
    label = "media"
    verbose_name = "Media"

    def ready(self) -> None:
        import baraza.media.receivers  # noqa: F401  (connects to matching's signal)
        from baraza.intake import attachments
        from baraza.media import handler

        attachments.register(handler.UploadHandler())
