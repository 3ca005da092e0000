"""Share cards (issue 19): drawn with Pillow in a font that has every character, or a located error; cards
for the home page and posts; the font in the cache key; the same bytes every time."""

from __future__ import annotations

import shutil
import struct
from urllib.parse import quote
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import REPO

from generator.charts.cache import preview_key
from generator.charts.cards import HEIGHT, MARGIN, WIDTH, card_text, draw_card
from generator.charts.fonts import CardFonts, FontFinder, bundled_font, drawn_characters, load_font
from generator.cli import main
from generator.dashboard.previews import Preview

CHINESE = Preview("og/2025/01/x.png", "2025/01/x/", "开放数据", "第一年的账本", "", "2025年1月6日 · 财务", (),
                  language="zh-CN")
TOFU = replace(CHINESE, heading="\uffff" * len(CHINESE.heading))
"""The same card with the heading drawn as missing glyphs: what a font without Chinese draws."""


def _pixels(png: bytes, box: tuple[int, int, int, int]) -> bytes:
    import io

    from PIL import Image

    return Image.open(io.BytesIO(png)).convert("RGB").crop(box).tobytes()


def _chinese_fonts() -> CardFonts:
    found = FontFinder(language="zh-CN").fonts_for(card_text(CHINESE))
    if not isinstance(found, CardFonts):
        pytest.fail("no CJK font on this machine: apt-get install fonts-noto-cjk (as .ci/run and CI do)")
    return found


HEADING = (MARGIN, 120, WIDTH - MARGIN, 330)


def test_a_chinese_card_draws_the_characters_not_the_missing_glyph_box() -> None:
    fonts = _chinese_fonts()
    assert "CJK" in fonts.regular.name or "Han" in fonts.regular.name or "Hei" in fonts.regular.name
    drawn, tofu = draw_card(CHINESE, fonts), draw_card(TOFU, fonts)
    assert _pixels(drawn, HEADING) != _pixels(tofu, HEADING)
    font = load_font(fonts.bold, 72)
    notdef = font.getmask("\uffff")
    for char in drawn_characters(CHINESE.heading):  # each glyph, not only the whole heading, is a real one
        assert (font.getmask(char).size, bytes(font.getmask(char))) != (notdef.size, bytes(notdef)), char


def test_the_missing_glyph_check_sees_tofu() -> None:
    """Guard against a blind test: drawn in DejaVu Sans (no Chinese), the heading is the .notdef boxes."""
    dejavu = FontFinder(dirs=()).faces()[0]
    assert dejavu.name.startswith("DejaVu Sans")
    fonts = CardFonts(dejavu, dejavu)
    missing = FontFinder(dirs=()).fonts_for(card_text(CHINESE))
    assert missing == {c for c in drawn_characters(card_text(CHINESE)) if c > "\u2e80"}  # the digits and · it has
    assert _pixels(draw_card(CHINESE, fonts), HEADING) == _pixels(draw_card(TOFU, fonts), HEADING)


def test_building_the_chinese_example_without_a_chinese_font_fails_at_its_line(tmp_path: Path, runner,
                                                                               monkeypatch) -> None:
    site = tmp_path / "zh"
    shutil.copytree(REPO / "examples" / "zh", site, ignore=shutil.ignore_patterns("output", ".opensite-cache"))
    (tmp_path / "fonts").mkdir()
    monkeypatch.setenv("OPENSITE_FONT_DIRS", str(tmp_path / "fonts"))  # a machine with no fonts but matplotlib's
    result = runner.invoke(main, ["build", "-s", str(site), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert any(line.startswith(f"{site / 'site.yaml'}:5: error: no font on this machine has the characters '")
               and "of the share image(s) og/metrics.png" in line and "apt-get install fonts-noto-cjk" in line
               for line in lines), result.stderr
    assert any("content/posts/2025-02-03-why-open.md:2: error: no font" in line for line in lines)
    assert not (tmp_path / "out").exists()


def test_a_font_named_in_site_yaml_is_tried_first(make_site, tmp_path: Path) -> None:
    from generator.build import render_site_in_memory
    from generator.config import load_config
    from generator.errors import ConfigError

    mono = bundled_font().with_name("DejaVuSansMono.ttf")
    root = make_site({"fonts/Mono.ttf": mono.read_bytes(), "content/posts/2025-01-02-hi.md": "# Hello\n\nText.\n"},
                     config="title: T\nbase_url: https://t.example/\nshare_images:\n  font: fonts/Mono.ttf\n")
    config = load_config(root)
    assert config.share_images.font == (root / "fonts/Mono.ttf").resolve()
    assert FontFinder(config.share_images.font).fonts_for("Hello").regular.name.startswith("DejaVu Sans Mono")
    assert render_site_in_memory(root, use_cache=False).site.renders
    (root / "site.yaml").write_text("title: T\nshare_images:\n  font: fonts/Missing.ttf\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="names 'fonts/Missing.ttf', which is not a file"):
        load_config(root)


def test_the_font_is_part_of_the_cache_key() -> None:
    """A card drawn in the wrong font (before a CJK font was installed) is not served from the cache after."""
    chinese = _chinese_fonts()
    dejavu = FontFinder(dirs=()).faces()[0]
    assert preview_key(CHINESE, chinese) != preview_key(CHINESE, CardFonts(dejavu, dejavu))
    assert preview_key(CHINESE, chinese) == preview_key(replace(CHINESE, source=Path("elsewhere.md")), chinese)


def test_cards_are_the_same_bytes_every_time_and_small() -> None:
    fonts = _chinese_fonts()
    data = draw_card(CHINESE, fonts)
    assert data == draw_card(CHINESE, fonts)
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", data[16:24]) == (WIDTH, HEIGHT)
    assert b"tEXt" not in data and len(data) < 40_000


def test_the_home_page_and_every_post_without_a_cover_have_a_card(golden_build) -> None:
    built = golden_build("full")
    site = built.result.site
    for post in site.posts:
        html = (built.output / post.path / "index.html").read_text(encoding="utf-8")
        if post.image:
            assert "og/" not in html.split('property="og:image"')[1][:80]  # the cover is shared instead
            continue
        card = built.output / "og" / (post.path.strip("/") + ".png")
        assert card.is_file(), post.path
        assert f'og/{quote(post.path.strip("/"))}.png">' in html
    assert 'content="https://ledgerly.example/open/og/index.png">' in (built.output / "index.html").read_text()
