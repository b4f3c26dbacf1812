"""Root URLs."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from a2i_portal.health import health
from a2i_portal.metrics import metrics
from reviews.dashboard import dashboard
from reviews.metrics import DatabaseCollector

admin.site.site_header = "A2I portal"
admin.site.site_title = "A2I portal"
admin.site.index_title = "Operator console"

urlpatterns = [
    path("", include("reviews.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/dashboard/", dashboard, name="admin-dashboard"),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("metrics", metrics, {"collectors": [DatabaseCollector()]}, name="metrics"),
    path("api/v1/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/v1/", include("workflows.api.urls")),
    path("api/v1/", include("reviews.api.urls")),
    path("", include("workflows.urls")),
    path("", include("a2i_portal.aws.urls")),
]
