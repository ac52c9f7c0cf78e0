from __future__ import annotations

import os
from pathlib import Path

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


def write_image(path: Path, size: int) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(os.urandom(size))
    return path


def test_cid_images_count_as_the_mime_message_carries_them_base64_encoded(
    tmp_path: Path,
) -> None:
    # 800 KB of image is under the limit as a file, but over it base64-encoded in the message
    write_image(tmp_path / "images" / "hero.png", 800 * 1024)
    html = '<img alt="Spring" src="cid:hero">'
    (problem,) = problems("total-size", html, folder=tmp_path)
    assert "the message is 109" in problem.message  # 1066.7 KB of base64 and its line ends
    assert "as sent with its inline images (hero.png 1066.7 KB)" in problem.message
    assert problem.needles == ("cid:hero",)
    assert problem.element is not None and problem.element.tag == "img"
    assert problems("total-size", html.replace("cid:hero", "cid:other")) == []


def test_small_cid_images_and_their_mime_overhead_pass(tmp_path: Path) -> None:
    write_image(tmp_path / "logo.png", 600 * 1024)
    html = (
        '<img alt="Shop" src="cid:logo@shop.example">'
        '<p style="background:url(cid:logo@shop.example)">x</p>'
    )
    assert problems("total-size", html, folder=tmp_path) == []
    assert problems("inline-image-file", html, folder=tmp_path) == []


def test_each_inline_image_is_counted_once_however_often_it_is_shown(tmp_path: Path) -> None:
    write_image(tmp_path / "icon.gif", 400 * 1024)
    shown_twice = '<img alt="" src="cid:icon"><img alt="" src="cid:icon">'
    assert problems("total-size", shown_twice, folder=tmp_path) == []
    write_image(tmp_path / "badge.gif", 400 * 1024)
    two_images = '<img alt="" src="cid:icon"><img alt="" src="cid:badge.gif">'
    (problem,) = problems("total-size", two_images, folder=tmp_path)
    assert "icon.gif 533.3 KB, badge.gif 533.3 KB" in problem.message


def test_a_cid_image_without_its_file_is_reported_instead_of_left_uncounted(
    tmp_path: Path,
) -> None:
    (missing,) = problems("inline-image-file", '<img alt="" src="cid:logo">', folder=tmp_path)
    assert "image cid:logo has no file in the templates folder" in missing.message
    write_image(tmp_path / "a" / "logo.png", 10)
    write_image(tmp_path / "b" / "logo.jpg", 10)
    (ambiguous,) = problems("inline-image-file", '<img alt="" src="cid:logo">', folder=tmp_path)
    assert "several files match (logo.png, logo.jpg)" in ambiguous.message
    assert problems("inline-image-file", '<img alt="" src="cid:a/logo.png">', folder=tmp_path) == []


def test_a_content_id_cannot_name_a_file_outside_the_templates_folder(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    write_image(tmp_path / "secret.png", 10)
    templates.mkdir()
    html = '<img alt="" src="cid:../secret.png">'
    assert len(problems("inline-image-file", html, folder=templates)) == 1
