from __future__ import annotations

from lint_subjects import problems


def test_image_without_alt_is_reported_with_its_source() -> None:
    (problem,) = problems("img-alt", '<img src="https://cdn.example/logo.png">')
    assert "image https://cdn.example/logo.png has no alt text" in problem.message
    assert problem.needles == ("https://cdn.example/logo.png",)


def test_images_with_alt_or_decorative_empty_alt_pass() -> None:
    html = '<img src="a.png" alt="Glasswork"><img src="spacer.gif" alt="">'
    assert problems("img-alt", html) == []


def test_root_without_lang_fails_and_with_lang_passes() -> None:
    assert len(problems("html-lang", "<html><body>x</body></html>")) == 1
    assert len(problems("html-lang", '<html lang=""><body>x</body></html>')) == 1
    assert problems("html-lang", '<html lang="en"><body>x</body></html>') == []


def test_layout_table_needs_role_presentation() -> None:
    (problem,) = problems("table-role", "<table><tr><td>layout</td></tr></table>")
    assert 'role="presentation"' in problem.message
    assert problems("table-role", '<table role="presentation"><tr><td>x</td></tr></table>') == []


def test_data_tables_with_header_cells_are_left_alone() -> None:
    html = "<table><tr><th>Item</th><th>Price</th></tr><tr><td>Mouse</td><td>$1</td></tr></table>"
    assert problems("table-role", html) == []
