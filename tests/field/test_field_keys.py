"""The node's field key pairs live in the keyring: a rotation of the data keys keeps them, a new
field pair keeps the old one opening what was sealed to it, and a sealed body opens only with
its own associated data."""

import pytest

from crossroads.keys import field_keys, keyring


def test_field_keys_survive_rotation_and_old_pairs_keep_opening(settings, tmp_path):
    settings.CROSSROADS_KEY_FILE = str(tmp_path / "keyring.json")
    settings.CROSSROADS_CREATE_KEYRING = True
    first = field_keys.public_key()
    sealed = field_keys.seal(b"capture", b"aad-1")
    keyring.add_current_key()  # a rotation of the data keys
    assert field_keys.public_key() == first
    new_kid = field_keys.rotate()
    assert field_keys.public_key()["kid"] == new_kid != first["kid"]
    assert field_keys.open_sealed(sealed, b"aad-1") == b"capture"
    with pytest.raises(field_keys.SealError):
        field_keys.open_sealed(sealed, b"aad-2")
    assert keyring.read_file(tmp_path / "keyring.json").field["current"] == new_kid
