"""Frames of the SAM protocol against the byte strings in the protocol reference."""

from __future__ import annotations

import pytest

from drivers.idcard.frames import FrameDecoder, build_command, build_reply, parse_reply

REFERENCE_COMMANDS = {
    (0x10, 0xFF, b""): "AA AA AA 96 69 00 03 10 FF EC",
    (0x11, 0xFF, b""): "AA AA AA 96 69 00 03 11 FF ED",
    (0x12, 0xFF, b""): "AA AA AA 96 69 00 03 12 FF EE",
    (0x20, 0x01, b""): "AA AA AA 96 69 00 03 20 01 22",
    (0x20, 0x02, b""): "AA AA AA 96 69 00 03 20 02 21",
    (0x30, 0x01, b""): "AA AA AA 96 69 00 03 30 01 32",
    (0x30, 0x03, b""): "AA AA AA 96 69 00 03 30 03 30",
    (0x30, 0x10, b""): "AA AA AA 96 69 00 03 30 10 23",
    (0x61, 0xFF, b"\x50"): "AA AA AA 96 69 00 04 61 FF 50 CA",
}


@pytest.mark.parametrize(("cmd", "expected"), REFERENCE_COMMANDS.items())
def test_command_frames_match_reference(cmd, expected):
    assert build_command(*cmd) == bytes.fromhex(expected)


def test_reference_replies_decode():
    find_ok = bytes.fromhex("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97")
    no_card = bytes.fromhex("AA AA AA 96 69 00 04 00 00 80 84")
    sam_ok = bytes.fromhex("AA AA AA 96 69 00 04 00 00 90 94")
    decoder = FrameDecoder()
    bodies = decoder.feed(find_ok + no_card + sam_ok)
    replies = [parse_reply(b) for b in bodies]
    assert [r.sw3 for r in replies] == [0x9F, 0x80, 0x90]
    assert replies[0].data == bytes(4)
    assert build_reply(0x80) == no_card and build_reply(0x90) == sam_ok


def test_stray_bytes_and_false_preamble_are_skipped():
    frame = build_reply(0x90, b"\x01\x02")
    decoder = FrameDecoder()
    # The reference's example of stray bytes: AA 00 AA AA 96 69… before the real frame.
    bodies = decoder.feed(b"\xaa\x00\xaa\xaa\x96\x13" + frame)
    assert [parse_reply(b).data for b in bodies] == [b"\x01\x02"]


def test_bad_checksum_is_dropped_and_next_frame_found():
    good = build_reply(0x90, b"ok")
    bad = good[:-1] + bytes([good[-1] ^ 0xFF])
    decoder = FrameDecoder()
    assert decoder.feed(bad) == []
    assert decoder.bad_checksums == 1
    assert [parse_reply(b).data for b in decoder.feed(good)] == [b"ok"]


def test_frame_split_across_reads_and_preamble_split():
    frame = build_reply(0x90, bytes(range(50)))
    decoder = FrameDecoder()
    out = []
    for i in range(len(frame)):
        out += decoder.feed(frame[i : i + 1])
    assert len(out) == 1 and parse_reply(out[0]).data == bytes(range(50))


def test_impossible_length_is_treated_as_garbage():
    frame = build_reply(0x90)
    decoder = FrameDecoder()
    bodies = decoder.feed(b"\xaa\xaa\xaa\x96\x69\xff\xff" + frame)
    assert [parse_reply(b).sw3 for b in bodies] == [0x90]


def test_false_header_stalling_is_given_up_by_skip_pending():
    # A false preamble with a plausible length swallows the real frame until the reader gives up on it.
    frame = build_reply(0x90)
    decoder = FrameDecoder()
    assert decoder.feed(b"\xaa\xaa\xaa\x96\x69\x01\x00" + frame) == []
    assert decoder.pending
    assert [parse_reply(b).sw3 for b in decoder.skip_pending()] == [0x90]
