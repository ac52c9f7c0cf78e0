from __future__ import annotations

from lint_subjects import problems

from glasswork_email.lint.size import GMAIL_CLIP_BYTES, TOTAL_SIZE_LIMIT_BYTES


def test_html_over_gmails_clipping_limit_fails() -> None:
    html = "<p>" + "x" * GMAIL_CLIP_BYTES + "</p>"
    (problem,) = problems("gmail-clipping", html)
    assert "over Gmail's clipping limit of 102.0 KB" in problem.message


def test_html_under_the_limit_passes_even_when_multibyte_characters_count_double() -> None:
    assert problems("gmail-clipping", "<p>" + "x" * (GMAIL_CLIP_BYTES - 10) + "</p>") == []
    near = "<p>" + "é" * (GMAIL_CLIP_BYTES // 2 + 10) + "</p>"  # two bytes each in UTF-8
    assert len(problems("gmail-clipping", near)) == 1


def test_inline_images_count_towards_the_total_size() -> None:
    image = "data:image/png;base64," + "A" * TOTAL_SIZE_LIMIT_BYTES
    (problem,) = problems("total-size", f'<img alt="" src="{image}">')
    assert "with its inline images" in problem.message
    assert problems("total-size", '<img alt="" src="data:image/png;base64,AAAA">') == []
