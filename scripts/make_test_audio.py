#!/usr/bin/env python3
"""Make the audio fixtures in tests/data/audio/: a few seconds of real sound in every format
stationcast probes, plus broken files. The fixtures are committed; tests never regenerate them.

Made with (Debian 12, from the repository root):

    apt-get install -y espeak-ng sox lame ffmpeg
    uv run python scripts/make_test_audio.py            # writes tests/data/audio/

Tool versions used for the committed files: espeak-ng 1.51, SoX 14.4.2, LAME 3.100,
FFmpeg 5.1 (libmp3lame, aac, libvorbis, libopus, flac, libx264), mutagen 1.48.

Every fixture is named by its properties. The sound is espeak-ng saying one sentence, padded
to 3 s. How each one is made:

    cbr-64k-44100-stereo.mp3      lame -b 64 --resample 44.1 (CBR, LAME "Info" header), stereo
    cbr-32k-22050-mono.mp3        lame -b 32 (CBR; the frame is too small for an Info header)
    vbr-xing-22050-mono.mp3       lame -V 5 (VBR with Xing + LAME header)
    vbr-noheader-22050-mono.mp3   lame -V 5 -t (VBR, no Xing frame written)
    vbr-vbri-22050-mono.mp3       HAND-BUILT: Debian has no Fraunhofer encoder and neither lame
                                  nor ffmpeg writes VBRI, so this script prepends one MPEG frame
                                  holding a VBRI header (layout: version 1, delay, quality,
                                  bytes, frames, TOC) to the headerless VBR file above.
    chapters-cover-22050-mono.mp3 the 32k CBR file + ID3v2.4 CTOC/CHAP (3 chapters, one with a
                                  WXXX link) + APIC front cover, written with mutagen
    aac-44100-stereo.m4a          ffmpeg -c:a aac -b:a 48k, 2 chapters from an ffmetadata file
                                  (ffmpeg writes both a QuickTime chapter track and the Nero
                                  'chpl' box; mutagen reads the latter) + covr via mutagen
    vorbis-22050-mono.ogg         ffmpeg -c:a libvorbis -q:a 0
    opus-48000-mono.opus          ffmpeg -c:a libopus -b:a 16k, + METADATA_BLOCK_PICTURE
    flac-22050-mono.flac          ffmpeg -c:a flac, + a FLAC PICTURE block via mutagen
    pcm-8000-mono.wav             sox -r 8000 -b 16 (RIFF/WAVE PCM)
    video-h264-aac.mp4            ffmpeg testsrc 64x64 5 fps libx264 + aac, brand mp42
    video-h264-aac.m4v            the same muxed with -f ipod (brand "M4V ")

Broken files (tests expect an AudioError for each, except m4a-named.mp3 which probes as M4A):

    bad-empty.mp3                 0 bytes
    bad-truncated.mp3             the first 1000 bytes of cbr-64k-44100-stereo.mp3
    bad-html-named.mp3            an HTML 404 page
    bad-text-named.mp3            plain text
    bad-corrupt-id3.mp3           ID3v2 header claiming 0x0fffffff bytes, then garbage
    bad-implausible-xing.mp3      vbr-xing with its Xing frame count set to 0xFFFFFFFF
    m4a-named.mp3                 aac-44100-stereo.m4a under a lying extension

ffmpeg runs with -bitexact and without global metadata so no encoder version or creation time
is embedded; mutagen's ID3/MP4/FLAC writers add no timestamps.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

from mutagen.flac import FLAC, Picture
from mutagen.id3 import APIC, CHAP, CTOC, ID3, TIT2, WXXX, CTOCFlags
from mutagen.mp4 import MP4, MP4Cover
from mutagen.oggopus import OggOpus

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "data" / "audio"
SENTENCE = "Station cast test fixture. One, two, three."
SECONDS = "3"
BITEXACT = ["-fflags", "+bitexact", "-flags", "+bitexact", "-map_metadata", "-1"]


def run(*argv: str | Path) -> None:
    subprocess.run([str(a) for a in argv], check=True, stdout=subprocess.DEVNULL)


def ffmpeg(*argv: str | Path) -> None:
    run("ffmpeg", "-nostdin", "-loglevel", "error", "-y", *argv)


def cover_png(tmp: Path) -> bytes:
    """A tiny real PNG (16x16, two colours) to embed as cover art."""
    from PIL import Image

    img = Image.new("RGB", (16, 16), (16, 37, 66))
    img.paste((242, 183, 5), (4, 4, 12, 12))
    path = tmp / "cover.png"
    img.save(path, "PNG", optimize=True)
    return path.read_bytes()


def make_sources(tmp: Path) -> tuple[Path, Path]:
    """Speech padded to exactly 3 s: a mono 22.05 kHz WAV and a stereo 44.1 kHz WAV."""
    speech = tmp / "speech.wav"
    run("espeak-ng", "-v", "en-us", "-s", "200", "-w", speech, SENTENCE)
    mono = tmp / "mono.wav"
    run(
        "sox",
        "-V1",
        "-R",
        "-D",
        speech,
        "-r",
        "22050",
        mono,
        "pad",
        "0.2",
        "3",
        "trim",
        "0",
        SECONDS,
    )
    stereo = tmp / "stereo.wav"
    run("sox", "-R", "-D", mono, "-r", "44100", "-c", "2", stereo)
    return mono, stereo


def make_mp3s(mono: Path, stereo: Path) -> None:
    lame = ("lame", "--quiet", "--noreplaygain")
    run(*lame, "-b", "64", "--cbr", "--resample", "44.1", stereo, OUT / "cbr-64k-44100-stereo.mp3")
    run(*lame, "-m", "m", "-b", "32", "--cbr", mono, OUT / "cbr-32k-22050-mono.mp3")
    run(*lame, "-m", "m", "-V", "5", mono, OUT / "vbr-xing-22050-mono.mp3")
    run(*lame, "-m", "m", "-V", "5", "-t", mono, OUT / "vbr-noheader-22050-mono.mp3")
    make_vbri(OUT / "vbr-noheader-22050-mono.mp3", OUT / "vbr-vbri-22050-mono.mp3")


def _mpeg_frames(data: bytes) -> list[tuple[int, int]]:
    """(offset, length) of every MPEG-2 layer III frame in a headerless lame stream."""
    rates = [0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160]
    frames, pos = [], 0
    while pos + 4 <= len(data) and data[pos] == 0xFF and data[pos + 1] & 0xE0 == 0xE0:
        kbps = rates[data[pos + 2] >> 4]
        length = 72 * kbps * 1000 // 22050 + ((data[pos + 2] >> 1) & 1)
        frames.append((pos, length))
        pos += length
    return frames


def make_vbri(source: Path, out: Path) -> None:
    """Prepend a Fraunhofer VBRI header frame to a headerless MPEG-2 layer III VBR stream.

    The frame header is copied from the first audio frame with bitrate index 4 (32 kbps:
    104 bytes at 22.05 kHz, room for the 26-byte VBRI header and a 10-entry TOC at offset 36).
    """
    data = source.read_bytes()
    frames = _mpeg_frames(data)
    header = bytes([data[0], data[1], (4 << 4) | (data[2] & 0x0D), data[3]])
    frame_len = 72 * 32000 // 22050
    entries = 10
    per_entry = len(frames) // entries
    toc = [
        sum(length for _, length in frames[i * per_entry : (i + 1) * per_entry])
        for i in range(entries)
    ]
    # VBRI: version 1, delay (a float16 nobody reads), quality, total bytes, audio frames,
    # TOC entries, TOC scale factor, bytes per TOC entry, frames per TOC entry; then the TOC.
    vbri = b"VBRI" + struct.pack(
        ">HHHIIHHHH", 1, 1105, 75, len(data) + frame_len, len(frames), entries, 1, 2, per_entry
    )
    vbri += b"".join(struct.pack(">H", min(t, 0xFFFF)) for t in toc)
    frame = header + bytes(32) + vbri
    out.write_bytes(frame + bytes(frame_len - len(frame)) + data)


def make_chapters_mp3(cover: bytes) -> None:
    out = OUT / "chapters-cover-22050-mono.mp3"
    shutil.copyfile(OUT / "cbr-32k-22050-mono.mp3", out)
    tags = ID3()
    titles = [
        ("ch0", 0, 1000, "Opening"),
        ("ch1", 1000, 2000, "Interview"),
        ("ch2", 2000, 3000, "Credits"),
    ]
    tags.add(
        CTOC(
            element_id="toc",
            flags=CTOCFlags.TOP_LEVEL | CTOCFlags.ORDERED,
            child_element_ids=[c[0] for c in titles],
            sub_frames=[TIT2(encoding=3, text=["Contents"])],
        )
    )
    for element_id, start, end, title in titles:
        sub = [TIT2(encoding=3, text=[title])]
        if element_id == "ch1":
            sub.append(WXXX(encoding=3, desc="", url="https://example.org/interview"))
        tags.add(
            CHAP(
                element_id=element_id,
                start_time=start,
                end_time=end,
                start_offset=0xFFFFFFFF,
                end_offset=0xFFFFFFFF,
                sub_frames=sub,
            )
        )
    tags.add(APIC(encoding=3, mime="image/png", type=3, desc="Cover", data=cover))
    tags.save(out, v2_version=4, padding=lambda info: 0)


def make_mp4s(tmp: Path, mono: Path, stereo: Path, cover: bytes) -> None:
    meta = tmp / "chapters.txt"
    meta.write_text(
        ";FFMETADATA1\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=1500\ntitle=Part one\n"
        "[CHAPTER]\nTIMEBASE=1/1000\nSTART=1500\nEND=3000\ntitle=Part two\n",
        encoding="utf-8",
    )
    m4a = OUT / "aac-44100-stereo.m4a"
    # -map_metadata 1 (not -1): the ffmetadata input carries the chapter titles.
    ffmpeg(
        "-i",
        stereo,
        "-i",
        meta,
        "-map",
        "0:a",
        "-map_chapters",
        "1",
        "-map_metadata",
        "1",
        "-fflags",
        "+bitexact",
        "-flags",
        "+bitexact",
        "-c:a",
        "aac",
        "-b:a",
        "48k",
        "-f",
        "ipod",
        m4a,
    )
    tagged = MP4(m4a)
    tagged["covr"] = [MP4Cover(cover, imageformat=MP4Cover.FORMAT_PNG)]
    tagged.save()
    video = [
        "-f",
        "lavfi",
        "-i",
        f"testsrc=size=64x64:rate=5:duration={SECONDS}",
        "-i",
        mono,
        *BITEXACT,
        "-c:v",
        "libx264",
        "-preset",
        "veryfast",
        "-crf",
        "40",
        "-g",
        "15",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "aac",
        "-b:a",
        "24k",
        "-shortest",
    ]
    ffmpeg(*video, "-brand", "mp42", OUT / "video-h264-aac.mp4")
    ffmpeg(*video, "-f", "ipod", OUT / "video-h264-aac.m4v")


def make_xiph(mono: Path, cover: bytes) -> None:
    ffmpeg("-i", mono, *BITEXACT, "-c:a", "libvorbis", "-q:a", "0", OUT / "vorbis-22050-mono.ogg")
    opus = OUT / "opus-48000-mono.opus"
    ffmpeg("-i", mono, *BITEXACT, "-c:a", "libopus", "-b:a", "16k", opus)
    flac = OUT / "flac-22050-mono.flac"
    ffmpeg("-i", mono, *BITEXACT, "-c:a", "flac", flac)
    picture = Picture()
    picture.type, picture.mime, picture.desc = 3, "image/png", "Cover"
    picture.width = picture.height = 16
    picture.depth = 24
    picture.data = cover
    tagged_flac = FLAC(flac)
    tagged_flac.add_picture(picture)
    tagged_flac.save()
    import base64

    tagged_opus = OggOpus(opus)
    tagged_opus["metadata_block_picture"] = [base64.b64encode(picture.write()).decode("ascii")]
    tagged_opus.save()
    run("sox", "-R", "-D", mono, "-r", "8000", "-b", "16", OUT / "pcm-8000-mono.wav")


def make_bad() -> None:
    (OUT / "bad-empty.mp3").write_bytes(b"")
    (OUT / "bad-truncated.mp3").write_bytes((OUT / "cbr-64k-44100-stereo.mp3").read_bytes()[:1000])
    (OUT / "bad-html-named.mp3").write_bytes(
        b"<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>\n"
        b"<body><h1>Not Found</h1><p>The requested URL was not found.</p></body></html>\n"
    )
    (OUT / "bad-text-named.mp3").write_bytes(b"hello, this is not audio\n" * 10)
    (OUT / "bad-corrupt-id3.mp3").write_bytes(b"ID3\x04\x00\x00\x7f\x7f\x7f\x7fTIT2" + bytes(20))
    xing = bytearray((OUT / "vbr-xing-22050-mono.mp3").read_bytes())
    at = xing.index(b"Xing")
    flags = struct.unpack(">I", xing[at + 4 : at + 8])[0]
    assert flags & 1, "lame wrote no frame count"
    xing[at + 8 : at + 12] = b"\xff\xff\xff\xff"
    (OUT / "bad-implausible-xing.mp3").write_bytes(bytes(xing))
    shutil.copyfile(OUT / "aac-44100-stereo.m4a", OUT / "m4a-named.mp3")


def main() -> None:
    for tool in ("espeak-ng", "sox", "lame", "ffmpeg"):
        if shutil.which(tool) is None:
            sys.exit(f"{tool} not found; install it with apt-get (see this script's docstring)")
    OUT.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        mono, stereo = make_sources(tmp)
        cover = cover_png(tmp)
        make_mp3s(mono, stereo)
        make_chapters_mp3(cover)
        make_mp4s(tmp, mono, stereo, cover)
        make_xiph(mono, cover)
        make_bad()
    total = 0
    for path in sorted(OUT.iterdir()):
        total += path.stat().st_size
        print(f"{path.stat().st_size:>8}  {path.relative_to(ROOT)}")
    print(f"{total:>8}  total")


if __name__ == "__main__":
    main()
