"""The README's first screen says what the portal is, how to run it, how to log in and where
to read next; the guides it points to, and the links between them, lead somewhere."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from members.demo import DEMO_LOGINS

ROOT = Path(settings.BASE_DIR)
README = ROOT / "README.md"
DOCS = [README, *sorted((ROOT / "docs").glob("*.md"))]
# What a terminal shows at once.
FIRST_SCREEN = 50
GUIDES = ["docs/secretariat.md", "docs/deployment.md", "docs/caching.md"]
LINK = re.compile(r"\]\(([^)\s]+)\)")


def anchors(path):
    """The anchors of a page's headings, spelled as GitHub spells them."""
    headings = re.findall(r"^#+ (.+)$", path.read_text(), flags=re.M)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


def test_the_readme_opens_with_the_two_commands():
    lines = README.read_text().splitlines()

    assert [line.split("#")[0].strip() for line in lines[3:5]] == ["make run", "make test"]


def test_the_readmes_first_screen_gives_the_demo_logins_and_the_guides():
    first_screen = "\n".join(README.read_text().splitlines()[:FIRST_SCREEN])

    assert all(f"`{email}`" in first_screen for email in DEMO_LOGINS.values())
    assert all(f"]({guide})" in first_screen for guide in GUIDES)


@pytest.mark.parametrize("page", DOCS, ids=[str(p.relative_to(ROOT)) for p in DOCS])
def test_every_link_of_the_docs_leads_to_a_page_and_heading_that_exist(page):
    broken = []
    for target in LINK.findall(page.read_text()):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        file, _, anchor = target.partition("#")
        linked = (page.parent / file).resolve() if file else page
        if not linked.exists() or (anchor and anchor not in anchors(linked)):
            broken.append(target)
    assert broken == []
