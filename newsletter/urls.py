from django.urls import path

from . import views

app_name = "newsletter"

urlpatterns = [
    path("pamelding/<int:page_id>/", views.signup_start, name="signup_start"),
    path("bekreft/<str:token>/", views.confirm, name="confirm"),
    path("avmeld/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("abonnement/<str:token>/", views.manage, name="manage"),
    path("abonnement/<str:token>/slett/", views.erase, name="erase"),
]
