"""Bank statements through a column mapping (the path call records take): each good row
becomes an FtM Payment between the holders of two BankAccounts (one per IBAN, found again by
its IBAN selector); a bad row is named by row and column and nothing of it is stored; the
same statement twice adds nothing; only the case's investigators and prosecutors reach it.
All names and IBANs are synthetic (valid check digits, no real account)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from crossroads.access.choices import Role
from crossroads.audit.models import AuditEntry
from crossroads.networks.models import Entity, Link, Selector

from .test_pages import _second_case


def iban(country: str, bban: str) -> str:
    """A synthetic IBAN with valid check digits."""
    number = int("".join(str(int(ch, 36)) for ch in bban + country + "00"))
    return f"{country}{98 - number % 97:02d}{bban}"


OWN = iban("AL", "202111090000000001234567")
OTHER_OWN = iban("AL", "202111090000000007654321")
SHARED = iban("AL", "212110090000000009999001")
SERBIAN = iban("RS", "160005380000012345")
BAD = OWN[:-1] + ("8" if OWN[-1] != "8" else "9")  # one digit off: the checksum fails

STATEMENT = ("Booking date,Amount,Currency,IBAN,Account holder,Counterparty,Counterparty IBAN,"
             "Purpose\n"
             f"2026-01-04,-450.00,EUR,{OWN},Fatos Drini,Bar Liqeni shpk,{SHARED},rent January\n"
             f"05.01.2026,\"1.200,50\",ALL,{OWN},Fatos Drini,Agim Sula,{SERBIAN},loan back\n"
             f"2026-01-06,-80,EUR,{OWN},Fatos Drini,Taxi Vlora,,fare\n")
SECOND = ("date,amount,currency,iban,holder,counterparty,counterparty iban,purpose\n"
          f"2026-02-01,-300,EUR,{OTHER_OWN},Mira Kodra,Bar Liqeni,{SHARED},rent February\n")
BAD_ROWS = ("date,amount,currency,iban,counterparty,counterparty_iban,purpose\n"
            f"2026-01-04,-10,EUR,{BAD},Someone,,x\n"                      # 2: account checksum
            f"2026-02-31,-10,EUR,{OWN},Someone,,x\n"                      # 3: no such day
            f"2026-01-04,-10,XYZ,{OWN},Someone,,x\n"                      # 4: no such currency
            f"2026-01-04,-10,EUR,{OWN},Some\x00one,,x\n"                  # 5: NUL
            f"2026-01-04,-10,EUR,{OWN},Someone,,=HYPERLINK(\"x\")\n"       # 6: a formula
            f"2026-01-04,ten,EUR,{OWN},Someone,,x\n"                      # 7: not a number
            f"2026-01-04,-10,EUR,{OWN},Someone,{SERBIAN[:-2]}00,x\n"      # 8: counterparty IBAN
            f"2026-01-04,-10,EUR,{OWN},Someone,,fine\n")                  # 9: good


def upload(client, case, text=STATEMENT, preview=True, **mapping):
    return client.post(f"/api/v1/cases/{case.pk}/network/bank-statements", {
        **mapping, "preview": "true" if preview else "false", "source": "bank production order",
        "file": SimpleUploadedFile("statement.csv", text.encode(), content_type="text/csv")})


def holding(case, schema, prop, value):
    """The case's entity whose property holds the value (properties are stored encrypted)."""
    return next(e for e in Entity.objects.filter(case=case, schema=schema)
                if value in e.properties.get(prop, []))


def names(entities) -> set[str]:
    return {e.properties["name"][0] for e in entities}


def test_a_statement_makes_payments_between_accounts_and_their_holders(world):
    investigator, case = world.api(Role.INVESTIGATOR), world.cases["AL-police"]
    preview = upload(investigator, case)
    assert preview.status_code == 200, preview.content
    body = preview.json()
    assert body["mapping"]["date"] == "Booking date" and body["mapping"]["counterparty_iban"] \
        == "Counterparty IBAN"  # guessed from the header
    assert body["accepted"] == 3 and body["errors"] == [] and body["payments"] == 0
    assert [r["amount"] for r in body["rows"]] == ["-450", "1200.5", "-80"]
    assert body["rows"][1]["date"] == "2026-01-05"
    assert not Entity.objects.exists()

    body = upload(investigator, case, preview=False).json()
    assert body["payments"] == 3 and body["already_held"] == 0
    accounts = Entity.objects.filter(case=case, schema="BankAccount")
    assert sorted(a.properties["iban"][0] for a in accounts) == sorted([OWN, SHARED, SERBIAN])
    assert Selector.objects.filter(entity__in=accounts, kind="iban").count() == 3
    assert names(Entity.objects.filter(case=case, schema="LegalEntity")) == {
        "Fatos Drini", "Bar Liqeni shpk", "Agim Sula", "Taxi Vlora"}
    owners = {link.target_entity.properties["iban"][0]: link.source_entity.properties["name"][0]
              for link in Link.objects.filter(case=case, schema="Ownership")}
    assert owners == {OWN: "Fatos Drini", SHARED: "Bar Liqeni shpk", SERBIAN: "Agim Sula"}
    payments = {p.properties["purpose"][0]: p for p in Link.objects.filter(case=case,
                                                                           schema="Payment")}
    rent, loan = payments["rent January"], payments["loan back"]
    account_of = {a.ftm_id: a.properties["iban"][0] for a in accounts}
    # Paid out: the holder pays; paid in: the counterparty pays.
    assert rent.source_entity.properties["name"] == ["Fatos Drini"]
    assert account_of[rent.properties["payerAccount"][0]] == OWN
    assert account_of[rent.properties["beneficiaryAccount"][0]] == SHARED
    assert rent.properties["amount"] == ["450"] and rent.properties["currency"] == ["EUR"]
    assert rent.start_date == "2026-01-04"
    assert loan.source_entity.properties["name"] == ["Agim Sula"]
    assert "beneficiaryAccount" not in payments["fare"].properties  # no IBAN given
    entry = AuditEntry.objects.filter(object_type="networks.import").latest("pk")
    assert entry.details["format"] == "bank statement" and entry.details["payments"] == 3


def test_the_same_statement_twice_adds_nothing(world):
    investigator, case = world.api(Role.INVESTIGATOR), world.cases["AL-police"]
    assert upload(investigator, case, preview=False).json()["payments"] == 3
    counts = Entity.objects.count(), Link.objects.count()
    again = upload(investigator, case, preview=False).json()
    assert again["payments"] == 0 and again["already_held"] == 3 and again["new_entities"] == 0
    assert (Entity.objects.count(), Link.objects.count()) == counts


def test_two_statements_paying_one_account_join_their_holders(world):
    investigator, case = world.api(Role.INVESTIGATOR), world.cases["AL-police"]
    upload(investigator, case, preview=False)
    second = upload(investigator, case, SECOND, preview=False).json()
    assert second["payments"] == 1
    shared = holding(case, "BankAccount", "iban", SHARED)
    paid = [p for p in Link.objects.filter(case=case, schema="Payment")
            if p.properties.get("beneficiaryAccount") == [shared.ftm_id]]
    assert names(p.source_entity for p in paid) == {"Fatos Drini", "Mira Kodra"}
    assert names(p.target_entity for p in paid) == {"Bar Liqeni shpk"}  # the account's holder
    fatos, mira = (holding(case, "LegalEntity", "name", n) for n in ("Fatos Drini", "Mira Kodra"))
    path = investigator.get(f"/api/v1/network/path?start={fatos.pk}&end={mira.pk}").json()
    assert len(path["entities"]) == 3


def test_a_shared_iban_joins_two_cases(world):
    investigator = world.api(Role.INVESTIGATOR)
    case_a, case_b = world.cases["AL-police"], _second_case(world)
    upload(investigator, case_a, preview=False)
    upload(investigator, case_b, SECOND, preview=False)
    account_a = holding(case_a, "BankAccount", "iban", SHARED)
    account_b = holding(case_b, "BankAccount", "iban", SHARED)
    around = investigator.get(f"/api/v1/network/entities/{account_b.pk}/neighbours").json()
    assert [(s["entity"]["id"], s["kind"]) for s in around["shared"]] == [(account_a.pk, "iban")]


def test_every_bad_row_is_named_by_row_and_column_and_not_stored(world):
    investigator, case = world.api(Role.INVESTIGATOR), world.cases["AL-police"]
    body = upload(investigator, case, BAD_ROWS, preview=False).json()
    assert {(e["row"], e["column"]) for e in body["errors"]} == {
        (2, "iban"), (3, "date"), (4, "currency"), (5, "counterparty"), (6, "purpose"),
        (7, "amount"), (8, "counterparty_iban")}
    assert body["payments"] == 1
    assert names(Entity.objects.filter(case=case, schema="LegalEntity")) == {OWN, "Someone"}
    stored = " ".join(e.properties_json for e in Entity.objects.all()) + " ".join(
        link.properties_json for link in Link.objects.all())
    assert "HYPERLINK" not in stored and "\\u0000" not in stored and "XYZ" not in stored


def test_debit_and_credit_columns_and_mapping_errors(world):
    investigator, case = world.api(Role.INVESTIGATOR), world.cases["AL-police"]
    text = ("datum,duguje,potražuje,valuta,račun,primalac\n"
            f"14.03.2026,25.00,,EUR,{OWN},Kafana Most\n"
            f"15.03.2026,,100,EUR,{OWN},Kafana Most\n"
            f"16.03.2026,5,5,EUR,{OWN},Kafana Most\n")
    body = upload(investigator, case, text).json()
    assert [r["amount"] for r in body["rows"]] == ["-25", "100"]
    assert [(e["row"], e["column"]) for e in body["errors"]] == [(4, "duguje")]
    missing = upload(investigator, case, "when,what\n2026-01-01,1\n")
    assert missing.status_code == 422
    assert {d["loc"][-1] for d in missing.json()["detail"]} == {
        "date", "currency", "account", "counterparty"}
    wrong = upload(investigator, case, account="konto")
    assert wrong.status_code == 422 and [d["loc"] for d in wrong.json()["detail"]] == [
        ["body", "account"]]


@pytest.mark.parametrize(("role", "jurisdiction", "case"), [
    (Role.CASE_WORKER, "AL", "AL-police"), (Role.FOCAL_POINT, "AL", "AL-police"),
    (Role.COORDINATOR, "AL", "AL-police"), (Role.INVESTIGATOR, "RS", "AL-police"),
    (Role.INVESTIGATOR, "AL", "RS-police"), (Role.INVESTIGATOR, "AL", "AL-h3")])
def test_who_may_not_upload_a_statement(world, role, jurisdiction, case):
    response = upload(world.api(role, jurisdiction), world.cases[case], preview=False)
    assert response.status_code in {403, 404}
    assert not Entity.objects.exists() and not Link.objects.exists()


def statement_page(client, case, text=STATEMENT, **mapping):
    return client.post(f"/cases/{case.pk}/network/statements/", {
        "file": SimpleUploadedFile("statement.csv", text.encode()),
        "source": "bank production order", **mapping})


def test_the_page_previews_with_guessed_columns_and_imports_the_previewed_file(world):
    client, case = world.client(Role.INVESTIGATOR), world.cases["AL-police"]
    form = client.get(f"/cases/{case.pk}/network/statements/")
    assert form.status_code == 200
    html = form.content.decode()
    assert f'href="/cases/{case.pk}/network/calls/"' in html and 'aria-current="page"' in html
    response = statement_page(client, case, BAD_ROWS)
    assert response.status_code == 200, response.content
    html = response.content.decode()
    assert 'id="bank-status"' in html and "1 row can be imported; 7 rows are rejected." in html
    errors = html[html.index('id="bank-errors"'):html.index("</table>", html.index(
        'id="bank-errors"'))]
    assert "counterparty_iban" in errors and "HYPERLINK" not in errors
    assert not Entity.objects.exists()
    assert client.post(f"/cases/{case.pk}/network/statements/import/").status_code == 302
    assert Link.objects.filter(case=case, schema="Payment").count() == 1
    # The previewed file is gone once imported: a second import is refused.
    again = client.post(f"/cases/{case.pk}/network/statements/import/")
    assert again.status_code == 302 and Link.objects.filter(schema="Payment").count() == 1
    assert statement_page(client, case, account="konto").status_code == 422


@pytest.mark.parametrize(("role", "case"), [(Role.CASE_WORKER, "AL-police"),
                                            (Role.INVESTIGATOR, "AL-h3"),
                                            (Role.INVESTIGATOR, "RS-police")])
def test_who_may_not_reach_the_statement_page(world, role, case):
    client = world.client(role)
    assert client.get(f"/cases/{world.cases[case].pk}/network/statements/").status_code in {
        403, 404}
    assert statement_page(client, world.cases[case]).status_code in {403, 404}
    assert client.post(f"/cases/{world.cases[case].pk}/network/statements/import/"
                       ).status_code in {403, 404}
