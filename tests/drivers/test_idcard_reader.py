"""The production IdCardReader against the virtual reader over a real pseudo-terminal."""

from __future__ import annotations

import os

import pytest

from drivers.idcard import (
    IdCardChecksumError,
    IdCardPortError,
    IdCardReader,
    IdCardTimeout,
    ReadFailed,
    SamSelfTestFailed,
    SelectFailed,
)
from drivers.idcard.codes import SW3_ERRORS, NoSuchItem, Sw3Error, error_for


def test_card_read_end_to_end(id_sim):
    with IdCardReader(id_sim.port) as reader:
        assert reader.sam_status() is True
        assert reader.sam_id() == "05.01-20098709-0016192052-1234567890"
        assert reader.find() is False  # no card yet
        id_sim.present(1)
        assert reader.find() is True
        reader.select()
        card = reader.read_card()
    assert card.card_type == "resident"
    assert card.id_number == "120103198806018241" and card.name == "马丽" and card.check_digit_ok
    assert len(card.photo) == 1024
    # The real command frames went over the pty: SAM status, SAM id, find ×2, select, read.
    assert id_sim.commands == [
        (0x11, 0xFF),
        (0x12, 0xFF),
        (0x20, 0x01),
        (0x20, 0x01),
        (0x20, 0x02),
        (0x30, 0x01),
    ]


def test_same_card_is_found_once_per_presentation(id_sim):
    with IdCardReader(id_sim.port) as reader:
        id_sim.present(0)
        assert reader.read_once() is not None
        assert reader.read_once() is None  # still on the reader, already read
        id_sim.remove()
        id_sim.present(0)
        assert reader.read_once() is not None


@pytest.mark.parametrize("index", range(6))
def test_every_example_card_reads(id_sim, index):
    with IdCardReader(id_sim.port) as reader:
        id_sim.present(index)
        card = reader.read_once()
    assert card is not None and card.check_digit_ok and card.id_number == id_sim.cards[index]["id_number"]


def test_garbage_before_every_reply_is_skipped(id_sim):
    id_sim.set_fault("garbage")
    with IdCardReader(id_sim.port) as reader:
        assert reader.sam_status()
        id_sim.present(2)
        card = reader.read_once()
    assert card is not None and card.id_number == "360426199101010071"


def test_bad_checksum_frames_are_skipped_and_the_reader_resynchronises(id_sim):
    id_sim.set_fault("bad_checksum")  # each reply comes first corrupted, then intact
    with IdCardReader(id_sim.port) as reader:
        id_sim.present(0)
        card = reader.read_once()
        assert card is not None and card.name == "李秀英"
        id_sim.set_fault(None)
        assert reader.sam_status()


def test_only_bad_checksums_is_a_named_error(id_sim, monkeypatch):
    id_sim.set_fault("bad_checksum")
    original = id_sim.send
    # Keep only the corrupted copy of each reply.
    monkeypatch.setattr(id_sim, "send", lambda data, timeout=2.0: original(data[: len(data) // 2]))
    with IdCardReader(id_sim.port) as reader, pytest.raises(IdCardChecksumError):
        reader.sam_status()


def test_silence_is_a_timeout_and_the_next_command_works(id_sim):
    with IdCardReader(id_sim.port) as reader:
        id_sim.set_fault("silence")
        with pytest.raises(IdCardTimeout) as exc:
            reader.find()
        assert "115200" in str(exc.value)
        id_sim.set_fault(None)
        assert reader.find() is False


def test_sam_failure_is_a_named_error(id_sim):
    id_sim.set_fault("sam_failure")
    with IdCardReader(id_sim.port) as reader, pytest.raises(SamSelfTestFailed) as exc:
        reader.sam_status()
    assert exc.value.sw3 == 0x60


def test_select_and_read_without_card_are_named_errors(id_sim):
    with IdCardReader(id_sim.port) as reader:
        with pytest.raises(SelectFailed):
            reader.select()
        with pytest.raises(ReadFailed):
            reader.read_card()


def test_every_sw3_code_has_its_own_error_class():
    classes = {error_for(code).__class__ for code in SW3_ERRORS}
    assert len(classes) == len(SW3_ERRORS)
    assert all(issubclass(c, Sw3Error) for c in classes)
    assert isinstance(error_for(0x91), NoSuchItem)
    assert type(error_for(0x55)) is Sw3Error


def test_unplug_raises_port_error_and_replug_recovers(id_sim_linked):
    sim = id_sim_linked
    reader = IdCardReader(sim.port)
    reader.open()
    assert reader.sam_status()
    sim.unplug()
    with pytest.raises(IdCardPortError):
        reader.sam_status()
    assert not reader.is_open
    with pytest.raises(IdCardPortError) as exc:
        reader.open()
    assert exc.value.kind == "not_found"
    sim.replug()
    reader.open()
    assert reader.sam_status()
    reader.close()


def test_missing_port_message(tmp_path):
    with pytest.raises(IdCardPortError) as exc:
        IdCardReader(str(tmp_path / "ttyUSB9")).open()
    assert exc.value.kind == "not_found" and "ttyUSB9" in str(exc.value)


def test_busy_port_is_reported(id_sim):
    with IdCardReader(id_sim.port), pytest.raises(IdCardPortError) as exc:
        IdCardReader(id_sim.port).open()
    assert exc.value.kind == "busy"


def test_permission_message_has_the_udev_hint():
    from drivers.errors import describe_open_error

    err = describe_open_error("/dev/ttyUSB0", PermissionError(13, "Permission denied"))
    assert err.kind == "permission" and "dialout" in str(err) and "udev" in str(err)
    assert os.path.exists("/dev/null")
