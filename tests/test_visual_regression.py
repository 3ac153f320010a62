"""Issue 14, point 7: each document type of the sample meeting, rendered to PNG with pdftoppm, looks as the
reference pages in tests/visual/ do, within a tolerance; a layout change nobody meant shows here as a failure
with the differing page saved beside the reference.

After an intended change, update the references with one command (and look at them before committing):

    make update-visual   # = NAMNDTOOL_UPDATE_VISUAL=1 pytest tests/test_visual_regression.py

The pages are rendered small and grey (30 dpi, 8-bit), a few kilobytes each, so they can live in the repository.
"""

import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageStat

from nämndtool.documents.branding import load_branding
from nämndtool.documents.render_pdf import render_pdf
from test_issue14_accessible_pdf import documents

REFERENCES = Path(__file__).parent / "visual"
UPDATE = os.environ.get("NAMNDTOOL_UPDATE_VISUAL") == "1"
DPI = 30
# Mean difference per pixel (0–255) and share of pixels that differ clearly: antialiasing of another poppler
# version stays well under these, a moved line or a lost block does not.
MEAN_TOLERANCE = 1.5
CHANGED_TOLERANCE = 0.01
# The document types compared (names as in test_issue14_accessible_pdf.documents); at most this many pages each.
TYPES = ("kallelse offentlig", "kallelse intern", "tjänsteskrivelse", "protokoll offentligt", "protokoll internt", "utdrag",
         "försättsblad", "diarieutdrag offentligt", "meddelanden", "delegationsbeslut intern", "bilaga saknas")
MAX_PAGES = 3

pytestmark = pytest.mark.skipif(shutil.which("pdftoppm") is None,
                                reason="pdftoppm (poppler-utils) saknas: sidorna kan inte jämföras med referensbilderna")


def pages(pdf: bytes) -> list[Image.Image]:
    result = subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-l", str(MAX_PAGES), "-"], input=pdf,
                            capture_output=True, check=True).stdout
    images, rest = [], result
    while rest:   # pdftoppm writes one PGM after another to stdout
        image = Image.open(io.BytesIO(rest))
        image.load()
        images.append(image.convert("L"))
        rest = rest[_pgm_length(rest):]
    return images


def _pgm_length(data: bytes) -> int:
    """The length of the first binary PGM (P5) in ``data``: header of four tokens, then width × height bytes."""
    tokens, position = [], 0
    while len(tokens) < 4:
        while data[position:position + 1].isspace():
            position += 1
        if data[position:position + 1] == b"#":
            position = data.index(b"\n", position)
            continue
        end = position
        while not data[end:end + 1].isspace():
            end += 1
        tokens.append(data[position:end])
        position = end
    width, height = int(tokens[1]), int(tokens[2])
    return position + 1 + width * height


def difference(a: Image.Image, b: Image.Image) -> tuple[float, float]:
    if a.size != b.size:
        return 255.0, 1.0
    diff = ImageChops.difference(a, b)
    changed = sum(diff.point(lambda v: 255 if v > 64 else 0).histogram()[255:]) / (a.size[0] * a.size[1])
    return ImageStat.Stat(diff).mean[0], changed


@pytest.fixture(scope="module")
def rendered(justerat):
    store, meeting_id = justerat
    docs = documents(store, meeting_id)
    branding = load_branding(Path("/nonexistent/profil.toml"))   # the shipped look, not a kansli's own
    return {name: pages(render_pdf(docs[name], branding)) for name in TYPES}


@pytest.mark.parametrize("name", TYPES)
def test_each_document_type_looks_as_its_reference(rendered, name, tmp_path):
    stem = name.replace(" ", "-").replace("ä", "a").replace("ö", "o")
    images = rendered[name]
    if UPDATE:
        for old in REFERENCES.glob(f"{stem}-*.png"):
            old.unlink()
        REFERENCES.mkdir(exist_ok=True)
        for number, image in enumerate(images, start=1):
            image.save(REFERENCES / f"{stem}-{number}.png", optimize=True)
    references = sorted(REFERENCES.glob(f"{stem}-*.png"))
    assert references, f"Inga referensbilder för {name}: kör make update-visual och granska bilderna."
    assert len(images) == len(references), f"{name}: {len(images)} sidor, referensen har {len(references)}"
    for number, (image, reference) in enumerate(zip(images, references), start=1):
        mean, changed = difference(image, Image.open(reference).convert("L"))
        if mean > MEAN_TOLERANCE or changed > CHANGED_TOLERANCE:
            image.save(tmp_path / reference.name)
            pytest.fail(f"{name}, sida {number} skiljer sig från {reference.name} (medel {mean:.2f}, "
                        f"{changed:.1%} av punkterna): se {tmp_path / reference.name}")


def test_the_comparison_sees_a_moved_line(rendered):
    """The tolerance is not so wide that a real layout change passes."""
    image = rendered["kallelse intern"][0]
    moved = Image.new("L", image.size, 255)
    moved.paste(image.crop((0, 0, image.size[0], image.size[1] - 6)), (0, 6))
    mean, changed = difference(image, moved)
    assert mean > MEAN_TOLERANCE or changed > CHANGED_TOLERANCE
    assert difference(image, image.copy()) == (0.0, 0.0)

