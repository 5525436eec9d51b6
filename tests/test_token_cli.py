"""`ogkg token` as a user runs it: a token the API accepts, from a key kept 0600 in OGKG_HOME."""

import stat
from pathlib import Path

from ogkg.signing_key import KEY_FILE
from tests.auth_for_tests import ask, offline_settings, refusal, serving, viewer
from tests.test_cli import environment, ogkg


def token(home: Path, *arguments: str) -> str:
    result = ogkg("token", *arguments, env=environment(OGKG_HOME=str(home)), timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1 and result.stdout.count(".") == 2
    return result.stdout.strip()


def test_token_creates_a_private_key_reuses_it_and_the_api_accepts_its_tokens(
    tmp_path: Path,
) -> None:
    key_file = tmp_path / KEY_FILE
    first = token(tmp_path, "--role", "coordinator", "--subject", "alice", "--name", "Alice A")
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert stat.S_IMODE(key_file.parent.stat().st_mode) == 0o700
    pem = key_file.read_bytes()
    assert pem.startswith(b"-----BEGIN PRIVATE KEY-----")

    second = token(
        tmp_path, "--role", "admin", "--role", "contributor", "--subject", "bob", "--ttl", "2h"
    )
    assert key_file.read_bytes() == pem  # the same key, not a new one

    with serving(offline_settings(tmp_path)) as url:
        assert viewer(url, first) == {
            "subject": "alice",
            "name": "Alice A",
            "roles": ["COORDINATOR"],
        }
        assert viewer(url, second) == {
            "subject": "bob",
            "name": None,
            "roles": ["CONTRIBUTOR", "ADMIN"],
        }
    assert key_file.read_bytes() == pem  # the API used it too


def test_a_token_from_another_install_is_refused(tmp_path: Path) -> None:
    stranger = token(tmp_path / "other", "--role", "admin", "--subject", "mallory")
    with serving(offline_settings(tmp_path / "ours")) as url:
        assert refusal(ask(url, stranger)) == "UNAUTHENTICATED"


def test_the_key_may_be_given_and_must_be_private(tmp_path: Path) -> None:
    given = tmp_path / "elsewhere" / "key.pem"
    token(tmp_path, "--role", "contributor", "--subject", "carol")
    given.parent.mkdir()
    given.write_bytes((tmp_path / KEY_FILE).read_bytes())
    given.chmod(0o644)
    env = environment(OGKG_HOME=str(tmp_path / "unused"), OGKG_SIGNING_KEY=str(given))
    refused = ogkg("token", "--role", "admin", "--subject", "carol", env=env, timeout=60)
    assert refused.returncode == 1
    assert refused.stderr == (
        f"ogkg: error: {given}: the signing key is open to other users; chmod 600 it\n"
    )
    given.chmod(0o600)
    accepted = ogkg("token", "--role", "admin", "--subject", "carol", env=env, timeout=60)
    assert accepted.returncode == 0, accepted.stderr
    assert not (tmp_path / "unused").exists()
    with serving(offline_settings(tmp_path)) as url:  # the same key, from OGKG_HOME
        assert viewer(url, accepted.stdout.strip()) is not None


def test_token_refuses_emails_bad_durations_and_a_configured_provider(tmp_path: Path) -> None:
    env = environment(OGKG_HOME=str(tmp_path))
    email = ogkg("token", "--role", "admin", "--subject", "alice@example.org", env=env)
    assert email.returncode == 1 and "never an email address" in email.stderr
    ttl = ogkg("token", "--role", "admin", "--subject", "alice", "--ttl", "soon", env=env)
    assert ttl.returncode == 1 and ttl.stderr.startswith("ogkg: error: --ttl:")
    provider = ogkg(
        "token", "--role", "admin", "--subject", "alice",
        env=environment(OGKG_HOME=str(tmp_path), OGKG_JWKS_URL="https://id.example/jwks"),
    )  # fmt: skip
    assert provider.returncode == 1 and "OGKG_JWKS_URL is set" in provider.stderr
    assert not (tmp_path / KEY_FILE).exists()
