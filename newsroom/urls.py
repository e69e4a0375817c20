"""Top-level routes. Each area of the app brings its own urls module."""

from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Newsroom administration"
admin.site.site_title = "Newsroom"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include("events.api.urls")),
    path("", include("events.urls")),
]
