"""Plain text from HTML at compile time: readable, links kept, no CSS or Outlook leftovers."""

from __future__ import annotations

import re

from glasswork_email.compiler.text import html_to_text

NO_PLACEHOLDER = re.compile("(?!x)x")


def convert(html: str) -> str:
    return html_to_text(
        html,
        placeholder=NO_PLACEHOLDER,
        is_block_placeholder=lambda _: False,
        is_closing_placeholder=lambda _: False,
    ).text


def test_links_keep_text_and_url() -> None:
    text = convert('<p>Read <a href="https://x.example/a?b=1&amp;c=2">the guide</a> now</p>')
    assert text == "Read the guide (https://x.example/a?b=1&c=2) now"


def test_link_whose_text_is_its_url_is_written_once() -> None:
    assert convert('<a href="https://x.example">https://x.example</a>') == "https://x.example"


def test_head_styles_comments_and_outlook_conditionals_are_left_out() -> None:
    html = (
        "<html><head><title>T</title><style>p { color: red }</style>"
        "<!--[if mso]><xml><o:PixelsPerInch>96</o:PixelsPerInch></xml><![endif]--></head>"
        "<body><!--[if mso | IE]><table><tr><td><![endif]--><div>Hello</div>"
        "<!-- a comment --><p>World</p></body></html>"
    )
    assert convert(html) == "Hello\n\nWorld"


def test_subject_and_hidden_preheader_are_read_apart_from_the_body() -> None:
    converted = html_to_text(
        "<title> Your  order </title><body><div style='display:none'>Preview</div><p>Body</p>",
        placeholder=NO_PLACEHOLDER,
        is_block_placeholder=lambda _: False,
        is_closing_placeholder=lambda _: False,
    )
    assert (converted.subject, converted.preheader, converted.text) == (
        "Your order",
        "Preview",
        "Body",
    )


def test_list_items_and_line_breaks() -> None:
    assert convert("<ul><li>one</li><li>two</li></ul>a<br>b") == "- one\n- two\n\na\nb"
