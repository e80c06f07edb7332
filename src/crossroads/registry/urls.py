"""Pages of the registry app (included by the web shell's urls)."""

from django.urls import path

from .views import break_glass, cases, persons, purpose

urlpatterns = [
    path("cases/", cases.case_list, name="case-list"),
    path("cases/<int:case_id>/", cases.case_page, name="case-page"),
    path("cases/<int:case_id>/status/", cases.case_status, name="case-status"),
    path("register/", cases.register_victim, name="register-victim"),
    path("persons/", persons.person_search, name="person-search"),
    path("persons/<int:person_id>/", persons.person_page, name="person-page"),
    path("persons/<int:person_id>/edit/", persons.person_edit, name="person-edit"),
    path("persons/<int:person_id>/vulnerable-groups/", persons.person_vulnerability,
         name="person-vulnerability"),
    path("purpose/", purpose.purpose_page, name="purpose"),
    path("break-glass/", break_glass.break_glass_page, name="break-glass"),
    path("break-glass/<int:grant_id>/end/", break_glass.break_glass_end, name="break-glass-end"),
]
