from __future__ import annotations

import pytest
from lint_subjects import problems

from glasswork_email.lint.colours import contrast_ratio, parse_colour


def test_contrast_ratio_matches_wcag_reference_values() -> None:
    assert contrast_ratio((0, 0, 0), (255, 255, 255)) == pytest.approx(21.0)
    assert contrast_ratio((0x21, 0x21, 0x21), (0x57, 0x53, 0xC6)) == pytest.approx(2.65, abs=0.01)
    assert contrast_ratio((255, 255, 255), (255, 255, 255)) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("#fff", (255, 255, 255)),
        ("#5753C6", (0x57, 0x53, 0xC6)),
        ("rgb(10, 20, 30)", (10, 20, 30)),
        ("url(x.png) #112233 no-repeat", (0x11, 0x22, 0x33)),
        ("White", (255, 255, 255)),
        ("transparent", None),
        ("var(--brand)", None),
    ],
)
def test_parse_colour_reads_css_colours(written: str, expected: object) -> None:
    assert parse_colour(written) == expected


def test_dark_text_on_the_old_demo_button_fails() -> None:
    html = (
        '<html lang="en"><body><table role="presentation"><tr>'
        '<td bgcolor="#5753c6" style="background:#5753c6">'
        '<a href="https://x.example" style="color:#212121">Track Your Order</a>'
        "</td></tr></table></body></html>"
    )
    (problem,) = problems("contrast", html)
    assert (
        "'Track Your Order' is #212121 on #5753c6: contrast 2.65:1, under 4.5:1" in problem.message
    )
    assert problem.needles == ("#212121", "#5753c6")


def test_white_text_on_the_brand_colour_passes() -> None:
    html = '<div style="background-color:#5753c6"><a style="color:#ffffff">Track</a></div>'
    assert problems("contrast", html) == []


def test_grey_footer_on_light_grey_fails_but_large_text_needs_only_3_to_1() -> None:
    small = '<div style="background:#f4f4f7"><p style="color:#888888">footer</p></div>'
    large = '<div style="background:#f4f4f7"><p style="color:#888888;font-size:24px">Big</p></div>'
    assert [p.message.split(":")[0] for p in problems("contrast", small)] == [
        "text 'footer' is #888888 on #f4f4f7"
    ]
    assert problems("contrast", large) == []  # 3.23:1 is enough for large text


def test_bold_text_is_large_from_18_66_px() -> None:
    bold = '<p style="color:#888888;font-size:19px;font-weight:bold">Bold</p>'
    regular = '<p style="color:#888888;font-size:19px">Regular</p>'
    assert problems("contrast", bold) == []
    assert len(problems("contrast", regular)) == 1


def test_colour_and_background_are_inherited_and_hidden_text_is_skipped() -> None:
    html = (
        '<body style="background-color:#ffffff"><div style="color:#bbbbbb">'
        "<span>inherits the light grey</span></div>"
        '<div style="display:none;color:#ffffff">preheader</div></body>'
    )
    (problem,) = problems("contrast", html)
    assert "'inherits the light grey' is #bbbbbb on #ffffff" in problem.message


def test_one_problem_per_colour_pair() -> None:
    html = '<p style="color:#cccccc">one</p><p style="color:#cccccc">two</p>'
    assert len(problems("contrast", html)) == 1
