"""Settings: defaults, and one clear line for each missing or malformed value."""

from __future__ import annotations

import pytest

from bot.settings import SettingsError, load_settings

HTTP = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_SIGNING_SECRET": "secret"}


def test_defaults_are_an_sqlite_file_slacks_api_and_port_3000() -> None:
    settings = load_settings({})
    assert settings.database_url == "sqlite:///rapport.db"
    assert settings.slack_api_url == "https://slack.com/api/"
    assert settings.port == 3000
    assert not settings.socket_mode


def test_an_app_token_selects_socket_mode_which_needs_no_signing_secret() -> None:
    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"})
    assert settings.socket_mode
    settings.require_slack()


def test_http_mode_is_ready_with_a_bot_token_and_a_signing_secret() -> None:
    load_settings(HTTP).require_slack()


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"SLACK_SIGNING_SECRET": "s"}, "SLACK_BOT_TOKEN is missing"),
        ({"SLACK_BOT_TOKEN": "xoxb-1"}, "SLACK_SIGNING_SECRET is missing"),
        ({**HTTP, "SLACK_BOT_TOKEN": "xoxp-user"}, "SLACK_BOT_TOKEN is malformed"),
        (
            {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xoxb-2"},
            "SLACK_APP_TOKEN is malformed",
        ),
    ],
)
def test_a_setting_the_mode_needs_is_named_when_missing_or_malformed(environ, named) -> None:
    with pytest.raises(SettingsError, match=named) as raised:
        load_settings(environ).require_slack()
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("environ", "named"),
    [
        ({"PORT": "eighty"}, "PORT is malformed"),
        ({"PORT": "70000"}, "PORT is malformed"),
        ({"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL is malformed"),
        ({"DATABASE_URL": "not a url"}, "DATABASE_URL is malformed"),
        ({"DATABASE_URL": "mysql://db/rapport"}, "Rapport runs on sqlite or postgresql"),
    ],
)
def test_malformed_values_are_named(environ, named) -> None:
    with pytest.raises(SettingsError, match=named):
        load_settings(environ)


def test_the_api_url_gets_its_trailing_slash_and_postgres_gets_psycopg() -> None:
    settings = load_settings(
        {"SLACK_API_URL": "http://127.0.0.1:9/api", "DATABASE_URL": "postgresql://u:p@h/db"}
    )
    assert settings.slack_api_url == "http://127.0.0.1:9/api/"
    assert settings.database_url == "postgresql+psycopg://u:p@h/db"


def test_blank_values_count_as_unset() -> None:
    assert load_settings({"PORT": "  ", "SLACK_APP_TOKEN": ""}).port == 3000
    assert not load_settings({"SLACK_APP_TOKEN": ""}).socket_mode


def test_the_nudge_pace_is_a_positive_rate_or_unset() -> None:
    assert load_settings({}, dotenv=False).dm_per_second is None
    assert load_settings({"RAPPORT_DM_PER_SECOND": "9.5"}, dotenv=False).dm_per_second == 9.5
    for bad in ("0", "-3", "fast"):
        with pytest.raises(SettingsError, match="RAPPORT_DM_PER_SECOND is malformed"):
            load_settings({"RAPPORT_DM_PER_SECOND": bad}, dotenv=False)
