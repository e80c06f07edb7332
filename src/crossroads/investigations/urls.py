"""Pages of investigations (included by the web shell's urls)."""

from django.urls import path

from .views import handling, log, markers, offences, persons, proceedings, team

urlpatterns = [
    path("cases/<int:case_id>/team/", team.team_page, name="investigations-team"),
    path("cases/<int:case_id>/team/add/", team.team_add, name="investigations-team-add"),
    path("cases/<int:case_id>/team/<str:username>/remove/", team.team_remove,
         name="investigations-team-remove"),
    path("cases/<int:case_id>/persons/new/", persons.person_add, name="investigations-person-add"),
    path("cases/<int:case_id>/persons/existing/", persons.person_existing,
         name="investigations-person-existing"),
    path("cases/<int:case_id>/handling/", handling.handling_page, name="investigations-handling"),
    path("cases/<int:case_id>/handling/request/", handling.handling_request,
         name="investigations-handling-request"),
    path("handling-changes/<int:change_id>/<str:decision>/", handling.handling_decide,
         name="investigations-handling-decide"),
    path("cases/<int:case_id>/owner/", handling.owner_transfer, name="investigations-owner"),
    path("cases/<int:case_id>/markers/", markers.markers_page, name="investigations-markers"),
    path("cases/<int:case_id>/markers/<int:person_id>/", markers.marker_set,
         name="investigations-marker-set"),
    path("cases/<int:case_id>/crime-groups/", markers.group_add, name="investigations-group-add"),
    path("cases/<int:case_id>/log/", log.log_page, name="investigations-log"),
    path("cases/<int:case_id>/log/add/", log.event_add, name="investigations-event-add"),
    path("events/<int:event_id>/evidence/", log.evidence_add, name="investigations-evidence-add"),
    path("evidence/<int:evidence_id>/", log.evidence_download,
         name="investigations-evidence"),
    path("cases/<int:case_id>/proceedings/", proceedings.proceedings_page,
         name="investigations-proceedings"),
    path("cases/<int:case_id>/proceedings/open/", proceedings.proceeding_open,
         name="investigations-proceeding-open"),
    path("proceedings/<int:proceeding_id>/stage/", proceedings.stage_move,
         name="investigations-stage"),
    path("offences/", offences.offences_page, name="investigations-offences"),
    path("offences/<int:offence_id>/", offences.offence_page, name="investigations-offence"),
]
