"""Notifiers: the log one, and Slack against the fake webhook (retries, failures never raise)."""

from __future__ import annotations

import logging

import pytest

from facturas_assets.resources.notifications import LogNotifier, SlackNotifier, slack_payload
from facturas_assets.settings import ConfigError
from facturas_assets_tests.fakes.slack_server import SlackServer
from facturas_assets_tests.resources.conftest import put_secret, unique
from facturas_assets_tests.services import free_port


def slack(server: SlackServer, **kwargs: object) -> SlackNotifier:
    return SlackNotifier(webhook_url=server.webhook_url, backoff_seconds=0.05, **kwargs)


def test_log_notifier_logs_everything(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO):
        assert LogNotifier().notify("3 invoices quarantined", title="lote 42", fields={"n": "3"})
    assert "[lote 42] 3 invoices quarantined n=3" in caplog.text


def test_slack_receives_title_text_and_fields(slack_server: SlackServer) -> None:
    fields = {f"k{i}": f"v{i}" for i in range(12)}
    assert slack(slack_server).notify("Drift detected", title="Monitoring", fields=fields)
    [message] = slack_server.messages
    assert message["text"] == "Monitoring: Drift detected"
    header, body, *field_sections = message["blocks"]
    assert header == {"type": "header", "text": {"type": "plain_text", "text": "Monitoring"}}
    assert body["text"]["text"] == "Drift detected"
    assert [len(s["fields"]) for s in field_sections] == [10, 2]  # Slack allows 10 per section
    assert field_sections[1]["fields"][1]["text"] == "*k11*\nv11"


def test_slack_payload_respects_slack_limits() -> None:
    payload = slack_payload("x" * 5000, title="t" * 400)
    assert len(payload["blocks"][0]["text"]["text"]) == 150
    assert len(payload["blocks"][1]["text"]["text"]) == 3000
    assert len(payload["text"]) == 3000


@pytest.mark.parametrize("status", [500, 503, 429])
def test_slack_retries_transient_errors(slack_server: SlackServer, status: int) -> None:
    slack_server.fail_next(2, status)
    assert slack(slack_server).notify("hola")
    assert [r.status for r in slack_server.requests] == [status, status, 200]
    assert [m["text"] for m in slack_server.messages] == ["hola"]


def test_slack_failure_is_a_warning_not_an_exception(
    slack_server: SlackServer, caplog: pytest.LogCaptureFixture
) -> None:
    slack_server.fail_next(10, 500)
    with caplog.at_level(logging.WARNING):
        assert slack(slack_server, max_retries=2).notify("lost") is False
    assert len(slack_server.requests) == 3  # first try + 2 retries
    assert "Slack notification not sent: HTTP 500" in caplog.text


def test_slack_permanent_error_is_not_retried(slack_server: SlackServer) -> None:
    notifier = SlackNotifier(webhook_url=slack_server.url + "/services/wrong")
    assert notifier.notify("x") is False
    assert [r.status for r in slack_server.requests] == [404]


def test_slack_unreachable_never_raises_nor_leaks_the_url(caplog: pytest.LogCaptureFixture) -> None:
    url = f"http://127.0.0.1:{free_port()}/services/T1/B1/secret-token"
    with caplog.at_level(logging.WARNING):
        assert (
            SlackNotifier(webhook_url=url, max_retries=1, backoff_seconds=0.01).notify("x") is False
        )
    assert "Slack notification not sent" in caplog.text
    assert "secret-token" not in caplog.text


def test_slack_webhook_from_secret(aws_env: str, slack_server: SlackServer) -> None:
    name = unique("textil/slack/webhook")
    put_secret(name, {"webhook_url": slack_server.webhook_url})
    assert SlackNotifier(secret_name=name).notify("desde el secreto")
    assert slack_server.messages[0]["text"] == "desde el secreto"


def test_slack_missing_secret(aws_env: str, caplog: pytest.LogCaptureFixture) -> None:
    name = unique("textil/slack/webhook")
    notifier = SlackNotifier(secret_name=name)
    with pytest.raises(ConfigError, match=f"secret '{name}' does not exist"):
        notifier.resolved_url()  # what run start-up calls
    with caplog.at_level(logging.WARNING):
        assert notifier.notify("x") is False  # mid-run, it only warns
    assert name in caplog.text


def test_slack_secret_without_url(aws_env: str) -> None:
    name = unique("textil/slack/webhook")
    put_secret(name, {"url": "https://hooks.slack.com/x"})
    with pytest.raises(ConfigError, match="lacks key 'webhook_url'"):
        SlackNotifier(secret_name=name).resolved_url()
