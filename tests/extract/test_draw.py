"""extract.draw: labelled boxes over page images (for ``piao inspect --png``)."""

from __future__ import annotations

from pathlib import Path

from PIL import Image

from extract.draw import BOUNDARY_COLOUR, draw_boxes, label_colour

ROOT = Path(__file__).resolve().parents[2]
RULED = ROOT / "tests" / "fixtures" / "portomaggiore_ruled.pdf"
#: A4 landscape, in points.
WIDTH, HEIGHT = 842, 595


def test_one_png_per_page_with_boxes_at_the_page_size(tmp_path: Path) -> None:
    boxes = [
        (3, (30.0, 100.0, 96.0, 140.0), "mission"),
        (3, (100.0, 100.0, 170.0, 140.0), "strategic"),
        (2, (30.0, 60.0, 300.0, 90.0), "objective"),
        (99, (0.0, 0.0, 10.0, 10.0), "beyond the last page"),
    ]
    written = draw_boxes(RULED, boxes, tmp_path / "png", resolution=36)
    assert [path.name for path in written] == [
        "portomaggiore_ruled-p002.png",
        "portomaggiore_ruled-p003.png",
    ]
    for path in written:
        assert path.stat().st_size > 1000
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert image.size == (round(WIDTH / 2), round(HEIGHT / 2))
    with Image.open(written[1]) as image:
        # the mission box's outline is drawn in the mission colour
        red, green, blue = label_colour("mission")
        assert image.convert("RGB").getpixel((15, 65)) == (red, green, blue)
    assert not list((tmp_path / "png").glob("*.part"))


def test_a_label_always_gets_the_same_colour() -> None:
    assert label_colour("weight") == label_colour("weight")
    assert len({label_colour(name) for name in ("mission", "objective", "weight")}) > 1


def test_column_boundaries_are_drawn_between_the_grid_top_and_bottom(tmp_path: Path) -> None:
    """A page with only a grid is drawn; its inner boundaries are black lines from the
    grid's top to its bottom (the outer edges are not boundaries)."""
    grid = ((30.0, 200.0, 400.0, 800.0), 100.0, 300.0)
    written = draw_boxes(RULED, [], tmp_path, resolution=72, grids={4: [grid]})
    assert [path.name for path in written] == ["portomaggiore_ruled-p004.png"]
    with Image.open(written[0]) as image:
        rgb = image.convert("RGB")
        assert rgb.getpixel((200, 200)) == BOUNDARY_COLOUR
        assert rgb.getpixel((400, 250)) == BOUNDARY_COLOUR
        assert rgb.getpixel((200, 350)) != BOUNDARY_COLOUR  # below the grid
        assert rgb.getpixel((30, 200)) != BOUNDARY_COLOUR  # the left edge
