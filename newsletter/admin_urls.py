from django.urls import path

from . import admin_views

app_name = "newsletter_admin"

urlpatterns = [
    path("<int:page_id>/send/", admin_views.send, name="send"),
    path("<int:page_id>/status/", admin_views.status, name="status"),
    path("<int:page_id>/test/", admin_views.send_test, name="send_test"),
]
