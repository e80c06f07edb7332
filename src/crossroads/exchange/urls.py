from django.urls import path

from . import views

urlpatterns = [
    path("exchange/hits/", views.hit_list, name="exchange-hits"),
    path("exchange/hits/<int:hit_id>/request/", views.request_new, name="exchange-request-new"),
    path("exchange/requests/", views.request_list, name="exchange-requests"),
    path("exchange/requests/<int:request_id>/", views.request_page, name="exchange-request"),
    path("exchange/requests/<int:request_id>/answer/", views.answer_page, name="exchange-answer"),
]
