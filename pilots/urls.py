"""The app's public URLs, included under /soknad/ by config/urls.py: the applicant
portal. The admin's URLs come from the viewsets registered in wagtail_hooks.py."""

from django.urls import include, path

urlpatterns = [path("", include("pilots.portal.urls"))]
