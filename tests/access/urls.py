"""URLs for the access tests: one view that says who the request authenticated as."""

from django.urls import path

from tests.access.test_authentication import WhoAmI

urlpatterns = [path("whoami/", WhoAmI.as_view())]
