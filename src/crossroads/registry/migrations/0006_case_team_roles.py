"""The case team gets a through model with each member's team role, on the table the plain
many-to-many had, so that every member stays. The earliest member of the owner agency who may
edit cases becomes the lead; the others take the part their account's role plays."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

ROLE_PARTS = {"prosecutor": "prosecutor", "case_worker": "ngo_contact"}
LEAD_ROLES = {"case_worker", "investigator", "prosecutor"}


def assign_team_roles(apps, schema_editor):
    Member = apps.get_model("registry", "CaseTeamMember")
    leads = set()
    for member in Member.objects.select_related("case", "user").order_by("id"):
        user, case = member.user, member.case
        if (case.pk not in leads and user.agency_id == case.owner_agency_id
                and user.role in LEAD_ROLES):
            leads.add(case.pk)
            member.team_role = "lead"
        else:
            member.team_role = ROLE_PARTS.get(user.role, "investigator")
        member.save(update_fields=["team_role"])


class Migration(migrations.Migration):

    dependencies = [
        ("registry", "0005_row_keys_and_encrypted_status_reasons"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="CaseTeamMember",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("case", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE,
                                                   related_name="memberships",
                                                   to="registry.case")),
                        ("user", models.ForeignKey(on_delete=django.db.models.deletion.PROTECT,
                                                   related_name="+",
                                                   to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"db_table": "registry_case_team", "ordering": ["id"]},
                ),
                migrations.AlterField(
                    model_name="case", name="team",
                    field=models.ManyToManyField(blank=True, related_name="case_teams",
                                                 through="registry.CaseTeamMember",
                                                 to=settings.AUTH_USER_MODEL,
                                                 verbose_name="team"),
                ),
                # The many-to-many table's own unique index already holds it.
                migrations.AddConstraint(
                    model_name="caseteammember",
                    constraint=models.UniqueConstraint(fields=("case", "user"),
                                                       name="registry_case_team_once"),
                ),
            ],
        ),
        migrations.AddField(
            model_name="caseteammember", name="team_role",
            field=models.CharField(choices=[("lead", "Lead"), ("investigator", "Investigator"),
                                            ("prosecutor", "Prosecutor"),
                                            ("ngo_contact", "NGO contact")],
                                   default="investigator", max_length=16,
                                   verbose_name="team role"),
        ),
        migrations.AddField(
            model_name="caseteammember", name="added_at",
            field=models.DateTimeField(default=django.utils.timezone.now,
                                       verbose_name="added on"),
        ),
        migrations.RunPython(assign_team_roles, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="caseteammember",
            constraint=models.UniqueConstraint(condition=models.Q(("team_role", "lead")),
                                               fields=("case",),
                                               name="registry_case_team_one_lead"),
        ),
    ]
