"""The README documents what the code does: its keyword tables are the parser's own."""

from __future__ import annotations

import re
from pathlib import Path

from bot.parsing.keywords import keyword_table_markdown

README = (Path(__file__).resolve().parents[1] / "README.md").read_text()


def test_the_readme_lists_exactly_the_keywords_the_parser_knows() -> None:
    section = re.search(
        r"<!-- keyword tables:.*?-->\n(.*?)\n<!-- end of keyword tables -->", README, re.S
    )
    assert section, "the README lost its keyword-table markers"
    assert section.group(1).strip() == keyword_table_markdown().strip(), (
        "README keyword tables are stale: paste bot.parsing.keywords.keyword_table_markdown() in"
    )


def test_the_readme_names_the_test_command_that_ci_runs() -> None:
    ci = (Path(__file__).resolve().parents[1] / ".ci" / "run").read_text()
    assert "bash tests/run.sh" in README
    assert "bash tests/run.sh" in ci
