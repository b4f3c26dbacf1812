"""URLs of the workflows app's pages."""

from __future__ import annotations

from django.urls import path

from workflows.views import stored_object

app_name = "workflows"

urlpatterns = [
    path("objects/<str:bucket>/<path:key>", stored_object, name="stored-object"),
]
