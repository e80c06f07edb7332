"""Production settings: taking part in the exchange requires its keys; nothing is invented."""

import importlib
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from tests.test_production_settings import production_environment

NODE = {"CROSSROADS_HUB_URL": "https://hub.example.org", "CROSSROADS_NODE_ID": "AL",
        "CROSSROADS_HUB_SIGNING_KEY": "A" * 43 + "=",
        "CROSSROADS_NODE_KEY_FILE": "/etc/crossroads/node.json",
        "CROSSROADS_EXCHANGE_SECRET_FILE": "/etc/crossroads/exchange-secret"}


def load(monkeypatch, tmp_path, extra: dict):
    for name, value in (production_environment(tmp_path) | extra).items():
        monkeypatch.setenv(name, value)
    for module in ("crossroads.settings.production", "crossroads.settings.base"):
        sys.modules.pop(module, None)
    try:
        return importlib.import_module("crossroads.settings.production")
    finally:
        for module in ("crossroads.settings.production", "crossroads.settings.base"):
            sys.modules.pop(module, None)


@pytest.mark.parametrize("missing", sorted(NODE))
def test_a_node_with_a_hub_needs_every_exchange_variable(monkeypatch, tmp_path, missing):
    if missing == "CROSSROADS_HUB_URL":
        settings = load(monkeypatch, tmp_path, {k: v for k, v in NODE.items() if k != missing})
        assert settings.CROSSROADS_HUB_URL == ""  # not in the exchange: nothing more required
        return
    with pytest.raises(ImproperlyConfigured, match=missing):
        load(monkeypatch, tmp_path, {k: v for k, v in NODE.items() if k != missing})


def test_a_hub_needs_its_key_file_and_never_the_encoding_secret(monkeypatch, tmp_path):
    with pytest.raises(ImproperlyConfigured, match="CROSSROADS_NODE_KEY_FILE"):
        load(monkeypatch, tmp_path, {"CROSSROADS_MODE": "hub"})
    settings = load(monkeypatch, tmp_path, {"CROSSROADS_MODE": "hub",
                                            "CROSSROADS_NODE_KEY_FILE": "/etc/crossroads/hub.json"})
    assert settings.CROSSROADS_NODE_KEY_FILE == "/etc/crossroads/hub.json"
    assert settings.CROSSROADS_CREATE_KEYRING is False
