"""The virtual printer itself: jobs, status bytes, PNG rendering."""

from __future__ import annotations

from PIL import Image

from drivers.printer import commands as c
from drivers.printer import example_notice_slip, example_ticket, open_printer, render
from drivers.sim import VirtualPrinter
from drivers.sim.pngrender import page_image
from tests.support import wait_until


def test_status_bytes_follow_the_escpos_bit_layout():
    vp = VirtualPrinter(transport="tcp")
    assert [vp.status_byte(n) for n in (1, 2, 4)] == [0x12, 0x12, 0x12]
    vp.set_paper("near_end")
    assert vp.status_byte(4) == 0x1E
    vp.set_paper("out")
    assert (vp.status_byte(1), vp.status_byte(2), vp.status_byte(4)) == (0x1A, 0x32, 0x72)
    vp.set_paper("ok")
    vp.set_cover_open(True)
    assert (vp.status_byte(1), vp.status_byte(2)) == (0x1A, 0x16)


def test_jobs_split_at_cuts_and_exclude_status_queries(tcp_printer):
    with open_printer(tcp_printer.url) as printer:
        printer.print_document(example_ticket())
        printer.print_document(example_notice_slip())
    assert wait_until(lambda: len(tcp_printer.jobs) == 2)
    received = tcp_printer.received
    assert received.count(c.STATUS_PRINTER) >= 2  # queries are in what arrived…
    assert all(c.STATUS_PRINTER not in job for job in tcp_printer.jobs)  # …but not in the jobs


def test_render_png_of_received_ticket(tcp_printer, tmp_path):
    with open_printer(tcp_printer.url) as printer:
        printer.print_document(example_ticket())
    assert wait_until(lambda: len(tcp_printer.jobs) == 1)
    out = tcp_printer.render_png(tmp_path / "t.png")
    im = Image.open(out)
    assert im.width == 576 + 34 and 600 < im.height < 1400
    # The big number puts black ink at the top of the ticket.
    grey = im.convert("L")
    top = grey.crop((17, 40, 593, 200))
    assert top.getextrema()[0] == 0


def test_png_shows_qr_as_a_real_qr_image():
    items_image = page_image(render(example_ticket(), "80mm"))
    blank = page_image(c.INIT + c.CHINESE_ON + "示例\n".encode("gb18030"))
    assert items_image.height > blank.height + 300


def test_png_dir_gets_one_file_per_job(tmp_path):
    vp = VirtualPrinter(transport="tcp", png_dir=str(tmp_path)).start()
    try:
        with open_printer(vp.url) as printer:
            printer.print_document(example_ticket())
            printer.print_document(example_ticket())
        assert wait_until(lambda: len(list(tmp_path.glob("job-*.png"))) == 2)
    finally:
        vp.stop()


def test_missing_chinese_mode_shows_as_mojibake():
    # A printer left out of Chinese mode prints GB18030 bytes as single-byte code page characters.
    from drivers.sim.escpos_interp import EscPosInterpreter, Line

    it = EscPosInterpreter()
    it.feed(c.INIT + "中心\n".encode("gb18030"))
    it.finish()
    text = "".join(r.text for item in it.items if isinstance(item, Line) for r in item.runs)
    assert "中心" not in text and len(text) == 4
