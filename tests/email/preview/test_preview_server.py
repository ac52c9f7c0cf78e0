"""The preview server over HTTP: views, safety, and "send a test" through real transports."""

from __future__ import annotations

import email
import email.policy
import http.client
import re
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from preview_support import RecordingSMTPHandler, write_sample_templates

from glasswork.testing import LocalAWS
from glasswork_email.preview import PreviewServer
from glasswork_email.transports.ses import SESTransport
from glasswork_email.transports.smtp import SMTPTransport

SENDER = "Shop <hello@shop.example>"


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    return write_sample_templates(tmp_path / "templates")


@pytest.fixture
def smtp_server() -> Iterator[tuple[RecordingSMTPHandler, int]]:
    handler = RecordingSMTPHandler()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def server(templates: Path) -> Iterator[PreviewServer]:
    with PreviewServer(templates, port=0) as running:
        yield running


def get(
    server: PreviewServer, path: str, host: str | None = None
) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    headers = {"Host": host} if host else {}
    connection.request("GET", path, headers=headers)  # the path as written, not normalised
    response = connection.getresponse()
    body = response.read().decode("utf-8", errors="replace")
    connection.close()
    return response.status, {k.lower(): v for k, v in response.getheaders()}, body


def post(server: PreviewServer, path: str, fields: dict[str, str]) -> tuple[int, str]:
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(f"{server.url}{path}", data=data, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def token_of(page: str) -> str:
    match = re.search(r'name="token" value="([^"]+)"', page)
    assert match, "the email page carries the send token"
    return match.group(1)


def test_it_binds_to_loopback_by_default(server: PreviewServer) -> None:
    assert server.socket.getsockname()[0] == "127.0.0.1"
    assert server.url.startswith("http://127.0.0.1:")


def test_the_list_page_shows_each_email_and_its_fixtures_marking_invalid_ones(
    server: PreviewServer,
) -> None:
    status, _headers, page = get(server, "/")
    assert status == 200
    assert 'href="/emails/order/default"' in page
    assert 'href="/emails/order/long-name"' in page
    assert '<a class="fixture invalid" href="/emails/order/broken">broken (invalid)</a>' in page


def test_an_invalid_fixture_shows_pydantic_errors_field_by_field(server: PreviewServer) -> None:
    status, _headers, page = get(server, "/emails/order/broken")
    assert status == 200
    assert "order.broken.json does not fit the context of order" in page
    assert "<code>name</code>: Input should be a valid string" in page
    assert "<code>number</code>: Field required" in page


def test_the_email_page_shows_subject_preheader_size_and_a_sandboxed_iframe(
    server: PreviewServer,
) -> None:
    _status, _headers, page = get(server, "/emails/order/default")
    assert '<dd id="subject">Order A-1</dd>' in page
    assert '<dd id="preheader">Thanks, Ada!</dd>' in page
    assert re.search(r"\d+\.\d KB of Gmail&#39;s 102 KB clipping limit", page)
    (iframe,) = re.findall(r"<iframe [^>]*>", page)
    assert 'sandbox="allow-popups allow-popups-to-escape-sandbox"' in iframe
    assert "allow-scripts" not in iframe and "allow-same-origin" not in iframe
    assert 'src="/render/order/default/html"' in iframe


@pytest.mark.parametrize(("view", "css_class"), [("mobile", "mobile"), ("dark", "dark")])
def test_mobile_and_dark_views_frame_the_same_email(
    server: PreviewServer, view: str, css_class: str
) -> None:
    _status, _headers, page = get(server, f"/emails/order/default?view={view}")
    assert f'<iframe class="email {css_class}"' in page


def test_the_text_and_mime_views_show_the_plain_part_and_the_source(server: PreviewServer) -> None:
    _status, _headers, text_page = get(server, "/emails/order/default?view=text")
    assert "Hello Ada, order A-1 is on its way." in text_page
    assert "Track it (https://shop.example/t/A-1)" in text_page
    _status, _headers, mime_page = get(server, "/emails/order/default?view=mime")
    assert "Subject: Order A-1" in mime_page
    assert "Content-Type: multipart/alternative" in mime_page
    assert "To: recipient@example.com" in mime_page


def test_the_email_html_is_served_sandboxed_without_scripts(server: PreviewServer) -> None:
    status, headers, html = get(server, "/render/order/default/html")
    assert status == 200
    policy = headers["content-security-policy"]
    assert policy.startswith("sandbox ")
    assert "allow-scripts" not in policy and "script-src" not in policy
    assert "default-src 'none'" in policy
    assert "Hello Ada" in html


@pytest.mark.parametrize(
    "path",
    [
        "/files/../pyproject.toml",
        "/files/%2e%2e/%2e%2e/etc/passwd",
        "/files/..%2F..%2Fetc%2Fpasswd",
        "/files//etc/passwd",
        "/files/layouts/../../outside.txt",
        "/files/escape/outside.txt",
        "/emails/..%2F..%2Fetc/passwd",
        "/render/order/..%2F..%2Fsecret/html",
    ],
)
def test_nothing_outside_the_templates_folder_is_served(
    server: PreviewServer, templates: Path, path: str
) -> None:
    (templates.parent / "outside.txt").write_text("secret")
    (templates / "escape").symlink_to(templates.parent, target_is_directory=True)
    status, _headers, body = get(server, path)
    assert status == 404
    assert "secret" not in body and "root:" not in body


def test_files_inside_the_templates_folder_are_served(server: PreviewServer) -> None:
    status, _headers, body = get(server, "/files/logo.txt")
    assert (status, body) == (200, "inside the templates folder\n")


def test_requests_for_another_host_name_are_refused(server: PreviewServer) -> None:
    status, _headers, _body = get(server, "/", host="attacker.example")
    assert status == 400
    assert get(server, "/", host=f"localhost:{server.port}")[0] == 200


def test_sending_needs_the_token_of_the_previews_own_page(templates: Path) -> None:
    transport = SMTPTransport("127.0.0.1", 9, starttls=False)
    with PreviewServer(templates, port=0, transport=transport, sender=SENDER) as server:
        status, body = post(server, "/send/order/default", {"recipient": "a@b.example"})
    assert status == 403
    assert "only from the preview's own page" in body


def test_send_a_test_through_ses_reaches_the_mailbox_simulator(
    templates: Path, local_aws: LocalAWS
) -> None:
    local_aws.client("sesv2").create_email_identity(EmailIdentity="hello@shop.example")
    transport = SESTransport(region="us-east-1", endpoint_url=local_aws.endpoint_url)
    with PreviewServer(templates, port=0, transport=transport, sender=SENDER) as server:
        _status, _headers, page = get(server, "/emails/order/default")
        assert '<option value="success@simulator.amazonses.com">' in page
        fields = {"token": token_of(page), "recipient": "success@simulator.amazonses.com"}
        status, result = post(server, "/send/order/default", fields)
    assert status == 200, result
    assert "Sent order (default) to success@simulator.amazonses.com through SESTransport" in result
    (raw,) = local_aws.data()["ses"]["RawMessage"]
    message: Any = email.message_from_string(raw["raw_data"], policy=email.policy.default)
    assert message["Subject"] == "Order A-1"
    assert message["To"] == "success@simulator.amazonses.com"
    assert "Hello Ada" in message.get_body(("html",)).get_content()


def test_send_a_test_through_smtp_with_the_recipient_typed_in(
    templates: Path,
    smtp_server: tuple[RecordingSMTPHandler, int],
) -> None:
    handler, port = smtp_server
    transport = SMTPTransport("127.0.0.1", port, starttls=False, timeout=5)
    with PreviewServer(templates, port=0, transport=transport, sender=SENDER) as server:
        _status, _headers, page = get(server, "/emails/order/long-name")
        fields = {"token": token_of(page), "recipient": "designer@shop.example"}
        status, result = post(server, "/send/order/long-name", fields)
    assert status == 200, result
    (received,) = handler.received
    assert received.rcpt_tos == ["designer@shop.example"]
    assert b"Subject: Order A-2" in received.content


def test_a_bad_recipient_is_shown_not_sent(
    templates: Path,
    smtp_server: tuple[RecordingSMTPHandler, int],
) -> None:
    handler, port = smtp_server
    transport = SMTPTransport("127.0.0.1", port, starttls=False, timeout=5)
    with PreviewServer(templates, port=0, transport=transport, sender=SENDER) as server:
        _status, _headers, page = get(server, "/emails/order/default")
        status, result = post(
            server, "/send/order/default", {"token": token_of(page), "recipient": "not an address"}
        )
    assert status == 502
    assert "Not sent: InvalidEmailMessageError" in result
    assert handler.received == []


PNG_PIXEL = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def test_cid_images_go_into_the_mime_source_and_the_test_email_from_the_templates_folder(
    templates: Path,
    smtp_server: tuple[RecordingSMTPHandler, int],
) -> None:
    (templates / "images").mkdir()
    (templates / "images" / "logo.png").write_bytes(PNG_PIXEL)
    order = templates / "order.mjml"
    order.write_text(
        order.read_text().replace(
            "<mj-column>", '<mj-column>\n    <mj-image src="cid:logo" alt="Shop" width="80px" />'
        )
    )
    handler, port = smtp_server
    transport = SMTPTransport("127.0.0.1", port, starttls=False, timeout=5)
    with PreviewServer(templates, port=0, transport=transport, sender=SENDER) as server:
        _status, _headers, mime_page = get(server, "/emails/order/default?view=mime")
        _status, _headers, page = get(server, "/emails/order/default")
        fields = {"token": token_of(page), "recipient": "designer@shop.example"}
        status, result = post(server, "/send/order/default", fields)
    assert "Content-Type: multipart/related" in mime_page
    assert "Content-ID: &lt;logo&gt;" in mime_page
    assert status == 200, result
    (received,) = handler.received
    message = email.message_from_bytes(received.content, policy=email.policy.default)
    (image,) = [part for part in message.walk() if part.get_content_type() == "image/png"]
    assert image["Content-ID"] == "<logo>"
    assert image.get_content() == PNG_PIXEL


def test_a_server_that_does_not_watch_rebuilds_only_when_told(templates: Path) -> None:
    with PreviewServer(templates, port=0, watch=False) as server:
        first = server.state.version
        order = templates / "order.mjml"
        order.write_text(order.read_text().replace("is on its way", "has shipped"))
        time.sleep(0.5)  # ten times the watcher's step: a watching server would have rebuilt
        assert server.state.version == first
        _status, _headers, page = get(server, "/emails/order/default?view=text")
        assert "is on its way" in page
        server.state.rebuild()
        _status, _headers, page = get(server, "/emails/order/default?view=text")
    assert server.state.version == first + 1
    assert "has shipped" in page
