import re

from django.test import Client

from crossroads.tips import formtoken

REPORT = {"text": "A workshop near the bus station keeps young workers locked in at night; "
                  "one of them, Arben, said they are not paid.",
          "municipality": "AL:Tiranë", "language": "sq"}
RECEIPT = re.compile(r'id="receipt">([0-9A-Z-]+)<')


def post_json(client: Client, path: str, body: dict, **headers):
    return client.post(path, body, content_type="application/json", headers=headers)


def file_report(client=None, **changes) -> str:
    """A report through the public API; its receipt."""
    response = post_json(client or Client(), "/api/v1/public/reports", {**REPORT, **changes})
    assert response.status_code == 201, response.content
    return response.json()["receipt"]


def form_post(client: Client, path: str, data: dict):
    return client.post(path, {"form_token": formtoken.issue(), **data})
