"""Property-based tests: random and mutated byte streams and documents never make the frame parser,
the card parser, the renderer or the ESC/POS interpreter raise anything but the driver's own errors,
and never hang (every input is finite and every loop consumes input)."""

from __future__ import annotations

import contextlib
from datetime import datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drivers.idcard import IdCardReader
from drivers.idcard.codes import IdCardError
from drivers.idcard.frames import PREAMBLE, FrameDecoder, build_reply, parse_reply
from drivers.idcard.reader import parse_read_reply
from drivers.idcard.record import parse_text_block
from drivers.printer import (
    AppointmentSlip,
    Material,
    NoticeSlip,
    QueueTicket,
    example_notice_slip,
    example_ticket,
    render,
)
from drivers.sim.cards import encode_card, load_cards
from drivers.sim.escpos_interp import CutMark, EscPosInterpreter, Line
from drivers.sim.pngrender import page_image
from drivers.sim.ptydev import PtyDevice

# "Never a hang" is enforced: each of these tests fails if it runs longer than this.
pytestmark = pytest.mark.timeout(120)

REPLIES = [build_reply(0x90), build_reply(0x60), build_reply(0x90, bytes(16))]
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CARDS = [encode_card(c) for c in load_cards()]


def mutate(data: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    """Applies (kind, position, value) edits: 0 flip a byte, 1 insert, 2 delete, 3 truncate."""
    out = bytearray(data)
    for kind, pos, value in edits:
        if not out:
            break
        i = pos % len(out)
        if kind == 0:
            out[i] ^= value or 1
        elif kind == 1:
            out.insert(i, value)
        elif kind == 2:
            del out[i]
        else:
            del out[i:]
    return bytes(out)


edits = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 10_000), st.integers(0, 255)), max_size=6)
chunk_sizes = st.lists(st.integers(1, 64), min_size=1, max_size=8)


def feed_in_chunks(decoder: FrameDecoder, data: bytes, sizes: list[int]) -> list[bytes]:
    out, i, k = [], 0, 0
    while i < len(data):
        n = sizes[k % len(sizes)]
        out += decoder.feed(data[i : i + n])
        i += n
        k += 1
    while decoder.pending:  # the reader's stall rule: give up on what never completes
        out += decoder.skip_pending()
    return out


@FUZZ
@given(st.binary(max_size=3000), chunk_sizes)
def test_frame_decoder_survives_random_bytes(data, sizes):
    decoder = FrameDecoder()
    for body in feed_in_chunks(decoder, data, sizes):
        assert len(body) >= 3
        parse_reply(body)


@FUZZ
@given(
    st.lists(
        st.sampled_from([b"\xaa", b"\x96", b"\x69", b"\x00", b"\xaa\xaa\xaa\x96", b"\x05\x08"]), max_size=20
    )
    .map(b"".join)
    .filter(lambda g: PREAMBLE not in g),
    st.binary(max_size=300),
    chunk_sizes,
)
def test_frame_after_garbage_is_always_found(garbage, payload, sizes):
    # Garbage made of preamble pieces (but no whole preamble) never hides the frame that follows.
    frame = build_reply(0x90, payload)
    bodies = feed_in_chunks(FrameDecoder(), garbage + frame, sizes)
    assert [parse_reply(b).data for b in bodies] == [payload]


@FUZZ
@given(st.binary(max_size=60), st.binary(max_size=200), edits, chunk_sizes)
def test_mutated_frames_followed_by_a_good_one(garbage, payload, mutations, sizes):
    frame = build_reply(0x90, payload)
    stream = garbage + mutate(frame, mutations) + frame
    bodies = feed_in_chunks(FrameDecoder(), stream, sizes)
    # Whatever came before, a frame is delivered: the intact one, or a mutated copy that is itself a
    # well-formed frame (the checksum cannot tell those apart; SW3 and lengths are checked later).
    assert bodies and all(len(b) >= 3 for b in bodies)


@FUZZ
@given(st.integers(0, len(CARDS) - 1), edits, st.binary(min_size=0, max_size=300))
def test_card_parsing_raises_only_driver_errors(index, mutations, tail):
    text, photo = CARDS[index]
    block = mutate(text, mutations)
    reply = (len(block)).to_bytes(2, "big") + (len(photo)).to_bytes(2, "big") + block + photo + tail
    attempts = (lambda: parse_text_block(block, photo), lambda: parse_read_reply(mutate(reply, mutations)))
    for attempt in attempts:
        try:
            card = attempt()
        except IdCardError:
            continue
        assert card.card_type in ("resident", "hk_mo_tw", "foreign")
        repr(card)
        card.masked()


any_text = st.text(max_size=60)
opt_int = st.one_of(st.none(), st.integers(-5, 10_000))
moment = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31))
tickets = st.builds(
    QueueTicket,
    any_text,
    st.text(max_size=12),
    any_text,
    st.integers(-5, 10_000),
    opt_int,
    opt_int,
    moment,
    any_text,
    st.text(max_size=300),
    any_text,
    st.one_of(st.none(), any_text),
    st.one_of(st.none(), any_text),
)
materials = st.builds(
    Material,
    any_text,
    st.integers(-1, 99),
    st.sampled_from(["original", "copy", "original_and_copy", "electronic"]),
    st.sampled_from(["required", "optional", "later"]),
    any_text,
)
slips = st.builds(
    NoticeSlip, any_text, any_text, any_text, st.lists(materials, max_size=8), st.text(max_size=200), moment
)
appointments = st.builds(
    AppointmentSlip, any_text, any_text, moment, moment, st.text(max_size=20), st.text(max_size=200), moment
)
native_profiles = st.sampled_from(["80mm", "58mm", "58mm-nocut", "80mm-gbk", "80mm-big5", "80mm-utf8"])


@FUZZ
@given(st.one_of(tickets, slips, appointments), native_profiles)
def test_renderer_never_fails_and_emits_exactly_one_cut(doc, profile):
    data = render(doc, profile)
    interp = EscPosInterpreter(
        encoding={"80mm-gbk": "gbk", "80mm-big5": "big5", "80mm-utf8": "utf-8"}.get(profile, "gb18030")
    )
    interp.feed(data)
    interp.finish()
    # Whatever the text holds, it cannot smuggle in a command: one cut, no status query.
    assert sum(isinstance(i, CutMark) for i in interp.items) == (0 if profile == "58mm-nocut" else 1)
    assert b"\x10\x04" not in data
    for item in interp.items:
        if isinstance(item, Line):
            assert all(r.width <= 5 and r.height <= 5 for r in item.runs)


@settings(max_examples=5, deadline=None)
@given(tickets)
def test_raster_renderer_on_random_tickets(doc):
    data = render(doc, "58mm-raster")
    assert data.startswith(b"\x1b@") and b"\x1dv0" in data


seeds = [
    render(example_ticket(), "80mm"),
    render(example_notice_slip(), "58mm"),
    render(example_ticket(), "80mm-imageqr"),
]


@FUZZ
@given(st.one_of(st.binary(max_size=2000), st.builds(mutate, st.sampled_from(seeds), edits)), chunk_sizes)
def test_escpos_interpreter_and_png_survive_any_stream(data, sizes):
    replies: list[int] = []
    interp = EscPosInterpreter(on_status=replies.append)
    i = 0
    k = 0
    while i < len(data):
        n = sizes[k % len(sizes)] * 8
        interp.feed(data[i : i + n])
        i += n
        k += 1
    interp.finish()
    assert len(interp.printable) <= len(data)
    assert sum(map(len, interp.jobs())) == len(interp.printable)
    page_image(data, 384)


class ScriptedDevice(PtyDevice):
    """Answers every command frame with the next scripted byte string, whatever it holds."""

    def __init__(self) -> None:
        super().__init__()
        self.script: list[bytes] = []

    def on_data(self, data: bytes) -> None:
        if self.script:
            self.send(self.script.pop(0))


@pytest.fixture(scope="module")
def scripted():
    device = ScriptedDevice().start()
    yield device
    device.stop()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.one_of(
        st.binary(max_size=200),
        st.builds(mutate, st.sampled_from(REPLIES), edits),
        st.builds(
            lambda g, m: g + m, st.binary(max_size=30), st.builds(mutate, st.just(build_reply(0x90)), edits)
        ),
    )
)
def test_reader_over_a_real_pty_survives_any_reply(scripted, reply):
    """Whatever comes back over the serial line, the production reader returns or raises its own
    errors, within its timeout."""
    scripted.script = [reply]
    # The driver's own errors are allowed, nothing else.
    with IdCardReader(scripted.port, timeout_scale=0.2) as reader, contextlib.suppress(IdCardError):
        assert reader.sam_status() is True
