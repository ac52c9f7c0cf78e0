from __future__ import annotations

from lint_subjects import problems


def test_empty_text_part_fails_and_some_text_passes() -> None:
    assert len(problems("no-text-part", "<p></p>", text="  \n")) == 1
    assert problems("no-text-part", "<p>Hi</p>", text="Hi\n") == []


def test_subject_over_78_characters_fails() -> None:
    long_subject = "Your order " + "x" * 70
    (problem,) = problems("subject-length", "<p>x</p>", subject=long_subject)
    assert f"the subject is {len(long_subject)} characters, over 78" in problem.message
    assert problems("subject-length", "<p>x</p>", subject="x" * 78) == []


def test_empty_subject_fails() -> None:
    assert len(problems("subject-empty", "<p>x</p>", subject=" ")) == 1
    assert problems("subject-empty", "<p>x</p>", subject="Your order") == []
