"""scripts/make_example_media.py: what the synthetic example audio speaks, and the artwork."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[2]
TRANSCRIPT = ROOT / "episodes" / "islamic-state-defectors" / "transcript.txt"


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_example_media", ROOT / "scripts" / "make_example_media.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while being defined
    spec.loader.exec_module(module)
    return module


def test_speaker_labels_are_not_spoken(script: ModuleType) -> None:
    """No paragraph handed to espeak-ng starts with a speaker label."""
    paragraphs = list(script.paragraphs(TRANSCRIPT.read_text(encoding="utf-8")))
    assert paragraphs
    for para in paragraphs:
        assert not para.text.startswith(("MCEVERS:", "NEUMANN:", "PETER NEUMANN:"))


def test_host_and_guest_have_different_voices(script: ModuleType) -> None:
    """The introduction and MCEVERS's turns use the host voice, NEUMANN's the guest voice,
    and continuation paragraphs keep the current speaker's voice."""
    sample = (
        "Intro by the host.\n\nPETER NEUMANN: Guest answer.\n\nMore from the guest.\n\n"
        "MCEVERS: Host question.\n\nNEUMANN: Thank you. Transcript provided by NPR, "
        "Copyright NPR."
    )
    voices = [(p.voice, p.text) for p in script.paragraphs(sample)]
    host, guest = script.HOST_VOICE, script.GUEST_VOICE
    assert host != guest
    assert voices == [
        (host, "Intro by the host."),
        (guest, "Guest answer."),
        (guest, "More from the guest."),
        (host, "Host question."),
        (guest, "Thank you."),
    ]


def test_example_artwork_meets_apple_rules() -> None:
    """The show artwork is a square RGB JPEG of 1400-3000 px under 512 KB, without EXIF."""
    from PIL import Image

    path = ROOT / "episodes" / "artwork.jpg"
    with Image.open(path) as img:
        assert img.format == "JPEG"
        assert img.mode == "RGB"
        assert img.width == img.height and 1400 <= img.width <= 3000
        assert "exif" not in img.info
    assert path.stat().st_size < 512 * 1024


def test_artwork_is_deterministic(script: ModuleType, tmp_path: Path) -> None:
    """Drawing the artwork twice gives the same bytes (no timestamps, no randomness)."""
    script.make_artwork(tmp_path / "a.jpg")
    script.make_artwork(tmp_path / "b.jpg")
    assert (tmp_path / "a.jpg").read_bytes() == (tmp_path / "b.jpg").read_bytes()


@pytest.mark.skipif(
    not Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf").is_file(),
    reason="the committed artwork uses DejaVu (Debian: apt-get install fonts-dejavu-core)",
)
def test_committed_artwork_is_what_the_script_draws(script: ModuleType, tmp_path: Path) -> None:
    """The committed artwork is exactly what the script draws today (it can be remade)."""
    script.make_artwork(tmp_path / "a.jpg")
    assert (tmp_path / "a.jpg").read_bytes() == (ROOT / "episodes" / "artwork.jpg").read_bytes()
