"""Pages of the assistance app (included by the web shell's urls)."""

from django.urls import path

from .views import files, referrals, screening, shelters

urlpatterns = [
    path("cases/<int:case_id>/assistance/", files.case_assistance, name="assistance-case"),
    path("cases/<int:case_id>/assistance/persons/<int:person_id>/", files.file_open,
         name="assistance-file-open"),
    path("cases/<int:case_id>/referrals/", files.referral_create, name="referral-create"),
    path("assistance/files/<int:file_id>/", files.file_page, name="assistance-file"),
    path("assistance/files/<int:file_id>/screening/", screening.screening,
         name="assistance-screening"),
    path("assistance/files/<int:file_id>/decision/", files.file_decide,
         name="assistance-decide"),
    path("assistance/files/<int:file_id>/consent/", files.file_consent,
         name="assistance-consent"),
    path("assistance/files/<int:file_id>/services/", files.service_plan,
         name="assistance-service-plan"),
    path("assistance/files/<int:file_id>/milestones/", files.milestone_add,
         name="assistance-milestone"),
    path("assistance/files/<int:file_id>/admission/", files.admission,
         name="assistance-admit"),
    path("assistance/services/<int:service_id>/", files.service_update,
         name="assistance-service"),
    path("assistance/timers/<int:timer_id>/done/", files.timer_complete,
         name="assistance-timer"),
    path("assistance/stays/<int:stay_id>/discharge/", files.discharge,
         name="assistance-discharge"),
    path("referrals/", referrals.referral_list, name="referral-list"),
    path("referrals/<int:referral_id>/", referrals.referral_page, name="referral-page"),
    path("referrals/<int:referral_id>/<str:action>/", referrals.referral_act,
         name="referral-act"),
    path("shelters/", referrals.shelter_capacity, name="shelter-capacity"),
    path("shelters/ours/", shelters.our_shelters, name="our-shelters"),
    path("shelters/<int:shelter_id>/change/", shelters.shelter_change, name="shelter-change"),
    path("timers/", referrals.timers_overview, name="timers-overview"),
    path("manage/protection/", referrals.protection_settings,
         name="protection-settings"),
]
