"""The hall's web pages in a real Chromium against a real queue server.

What each test shows is in its name; screenshots of every page land in artifacts/web/.
"""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import Any

from playwright.sync_api import expect

from .conftest import COMPANY, FOOD, HALL, PASSWORD, PENSION, Server, both_databases, shot, spoken

T = 10_000  # ms: generous upper bound for anything that should happen "at once"


def wait_spoken(page: Any, n: int, timeout: float = 15) -> list[str]:
    """What the display has said, once it has said at least `n` things."""
    page.wait_for_function("n => window.__spoken.length >= n", arg=n, timeout=timeout * 1000)
    return spoken(page)


def settled(display: Any, server: Server) -> None:
    """Everything sent to the display so far has been handled: a marker event sent now has reached it,
    and its announcer has nothing queued or being said. What it has said by then is all it will say."""
    seq = server.marker()
    display.wait_for_function(
        """seq => window.__hq.live.seq >= seq
                  && !window.__hq.announcer.busy && window.__hq.announcer.queue.length === 0""",
        arg=seq,
        timeout=T,
    )


def live(page: Any) -> None:
    """Wait until the page's live connection is up."""
    expect(page.locator("html")).to_have_attribute("data-live", "live", timeout=T)


def sound_on(display: Any) -> None:
    """Headless Chromium blocks sound until the page is touched, like a real TV: touch "enable sound"."""
    expect(display.locator("html")).to_have_attribute("data-sound", re.compile("on|blocked"), timeout=T)
    if display.locator("html").get_attribute("data-sound") == "blocked":
        display.get_by_test_id("enable-sound").click()
    expect(display.locator("html")).to_have_attribute("data-sound", "on", timeout=T)


@both_databases
def test_ticket_called_from_clerk_page_is_shown_and_announced_once(server: Server, new_page: Any) -> None:
    ticket = server.issue(COMPANY)
    display = new_page(f"/ui/display/{HALL}/business", width=1920, height=1080, device="tv-web")
    counter = new_page(f"/ui/counter/{HALL}/01", width=1280, height=720, device="tv-web")
    clerk = new_page(f"/ui/clerk?hall={HALL}&window=01", width=1024, height=600, role="clerk")
    for p in (display, counter, clerk):
        live(p)
    sound_on(display)
    expect(clerk.get_by_test_id("queue-ticket").first).to_have_attribute("data-number", ticket["number"])
    expect(clerk.get_by_test_id("current-number")).to_have_text("—")

    clerk.get_by_test_id("btn-call").click()
    expect(clerk.get_by_test_id("current-number")).to_have_text(ticket["number"], timeout=T)
    expect(clerk.get_by_test_id("result")).to_contain_text(ticket["number"])
    expect(clerk.get_by_test_id("notice")).to_contain_text("公司章程")  # the item's one-time notice

    call = display.locator(f'[data-testid="call"][data-number="{ticket["number"]}"]')
    expect(call).to_have_attribute("data-window", "01", timeout=T)
    expect(counter.get_by_test_id("current-number")).to_have_text(ticket["number"], timeout=T)
    want = f"请{ticket['number']}号到1号窗口办理"
    assert wait_spoken(display, 1) == [want]
    settled(display, server)
    assert spoken(display) == [want]  # once
    shot(display, "display-zone")
    shot(counter, "counter")
    shot(clerk, "clerk")

    # A recall is announced again (keyboard shortcut R).
    clerk.keyboard.press("r")
    expect(clerk.get_by_test_id("result")).to_contain_text("重呼", timeout=T)
    assert wait_spoken(display, 2) == [want, want]

    # Start, then finish; the queue is empty again.
    clerk.keyboard.press("s")
    expect(clerk.get_by_test_id("current-status")).to_have_attribute("data-status", "serving", timeout=T)
    clerk.keyboard.press("f")
    expect(clerk.get_by_test_id("current-number")).to_have_text("—", timeout=T)
    expect(counter.get_by_test_id("current-number")).to_have_text("—", timeout=T)
    settled(display, server)
    assert spoken(display) == [want, want]  # starting and finishing are not announced

    # Reloading the display does not repeat what was announced.
    display.reload()
    live(display)
    sound_on(display)
    settled(display, server)
    assert spoken(display) == []


def test_two_calls_in_the_same_second_are_both_announced_in_order(server: Server, new_page: Any) -> None:
    display = new_page(f"/ui/display/{HALL}/business", width=1920, height=1080, device="tv-web")
    waiting_area = new_page(f"/ui/display/{HALL}/waiting", width=1920, height=1080, device="tv-web")
    live(display)
    live(waiting_area)
    sound_on(display)
    a = server.issue(COMPANY, id_card={"id_number": "11010519491231002X", "name": "张三丰"})
    b = server.issue(FOOD)
    started = time.monotonic()
    first = server.call_next("01")
    second = server.call_next("02")
    assert first and second
    expect(display.locator(f'[data-testid="call"][data-number="{b["number"]}"]')).to_be_visible(timeout=T)
    print(f"two calls on the display {(time.monotonic() - started) * 1000:.0f} ms after the first call")
    assert (first["number"], second["number"]) == (a["number"], b["number"])
    gap = abs(
        time.mktime(time.strptime(second["called_at"][:19], "%Y-%m-%dT%H:%M:%S"))
        - time.mktime(time.strptime(first["called_at"][:19], "%Y-%m-%dT%H:%M:%S"))
    )
    assert gap <= 1
    said = wait_spoken(display, 2)
    assert said == [f"请{a['number']}号到1号窗口办理", f"请{b['number']}号到2号窗口办理"]
    expect(display.get_by_test_id("call")).to_have_count(2)
    settled(display, server)
    assert len(spoken(display)) == 2
    assert "张" not in display.content()  # names are never shown (not even masked)
    # The waiting area has no windows of its own: its TV shows every call of the hall.
    expect(waiting_area.get_by_test_id("call")).to_have_count(2)
    shot(waiting_area, "display-whole-hall")


def test_clerk_actions_show_results_and_readable_errors(server: Server, new_page: Any) -> None:
    t1 = server.issue(COMPANY)
    clerk = new_page("/ui/clerk")
    clerk.get_by_test_id("login-form").locator("input[name=username]").fill(server.users["clerk"])
    clerk.get_by_test_id("login-form").locator("input[name=password]").fill(PASSWORD)
    shot(clerk, "clerk-login")
    clerk.get_by_test_id("login-form").locator("button[type=submit]").click()
    clerk.get_by_test_id("choose-window-01").click()
    live(clerk)
    expect(clerk.get_by_test_id("window-clerk")).to_contain_text(server.users["clerk"], timeout=T)
    # The hall's view has come (its priority classes are offered); it lets no missed ticket rejoin.
    expect(clerk.get_by_test_id("give-priority").first).to_be_visible(timeout=T)
    expect(clerk.get_by_test_id("btn-rejoin")).to_be_hidden()
    clerk.keyboard.press("n")
    expect(clerk.get_by_test_id("current-number")).to_have_text(t1["number"], timeout=T)
    # Calling again while a ticket is open: the server's reason is shown.
    clerk.keyboard.press("n")
    expect(clerk.get_by_test_id("result")).to_have_attribute("data-kind", "error", timeout=T)
    expect(clerk.get_by_test_id("result")).to_contain_text(t1["number"])
    # In both languages: the server's `detail` (Chinese) and `detail_en`.
    expect(clerk.get_by_test_id("result")).to_contain_text("未办结", timeout=T)
    expect(clerk.get_by_test_id("result")).to_contain_text("finish it first", timeout=T)
    # Someone else ends the ticket meanwhile (e.g. the manager): the clerk's action is refused readably.
    snap = server.snapshot()
    ticket_id = next(w["current"]["id"] for w in snap["windows"] if w["code"] == "01")
    assert server.act(ticket_id, "no-show").status_code == 200
    assert server.issue(COMPANY)
    expect(clerk.get_by_test_id("current-number")).to_have_text("—", timeout=T)
    clerk.keyboard.press("r")
    expect(clerk.get_by_test_id("result")).to_have_attribute("data-kind", "error", timeout=T)

    # Transfer to another window with a reason.
    clerk.keyboard.press("n")
    expect(clerk.get_by_test_id("current-number")).not_to_have_text("—", timeout=T)
    number = clerk.get_by_test_id("current-number").inner_text()
    clerk.keyboard.press("t")
    clerk.get_by_test_id("transfer-window").select_option("02")
    clerk.get_by_test_id("transfer-submit").click()  # no reason yet: refused in Chinese, dialog stays
    dialog = clerk.get_by_test_id("transfer-dialog")
    expect(dialog.locator(".result")).to_contain_text("请选择转办原因", timeout=T)
    clerk.get_by_test_id("transfer-reason-other").check()  # "other" needs words
    clerk.get_by_test_id("transfer-submit").click()
    expect(dialog.locator(".result")).to_contain_text("请填写说明")
    clerk.get_by_test_id("transfer-reason-2").check()
    clerk.get_by_test_id("transfer-reason").fill("需核验原件")
    shot(clerk, "clerk-transfer")
    with clerk.expect_request(lambda r: r.url.endswith("/transfer")) as sent:
        clerk.get_by_test_id("transfer-submit").click()
    assert sent.value.post_data_json["reason"] == "材料需其他窗口核验：需核验原件"  # the pick + the words
    expect(clerk.get_by_test_id("result")).to_contain_text("已转办", timeout=T)
    expect(clerk.get_by_test_id("current-number")).to_have_text("—", timeout=T)
    w02 = next(w for w in server.snapshot()["windows"] if w["code"] == "02")
    assert next(t for t in w02["queue"] if t["number"] == number)["target_window"] == "02"

    # Pause hands the window to its backup post (the counter display says so); resume.
    counter = new_page(f"/ui/counter/{HALL}/01", width=1280, height=720, device="tv-web")
    live(counter)
    clerk.keyboard.press("p")
    expect(clerk.get_by_test_id("window-state")).to_have_attribute("data-state", "paused", timeout=T)
    expect(counter.get_by_test_id("window-state")).to_have_attribute("data-state", "paused", timeout=T)
    shot(counter, "counter-paused")
    expect(clerk.get_by_test_id("window-info")).to_contain_text("2号窗口")
    expect(clerk.get_by_test_id("btn-call")).to_be_disabled()
    clerk.keyboard.press("p")
    expect(clerk.get_by_test_id("window-state")).to_have_attribute("data-state", "open", timeout=T)


def test_evaluation_pad_records_one_rating_and_refuses_a_second(server: Server, new_page: Any) -> None:
    pad = new_page(f"/ui/pad/{HALL}/05?thanks=2", width=1280, height=800, device="pad-05")
    live(pad)
    expect(pad.get_by_test_id("idle")).to_be_visible()
    shot(pad, "pad-idle")
    t = server.issue(PENSION)
    called = server.call_next("05")
    assert called and called["number"] == t["number"]
    assert server.act(t["id"], "start").status_code == 200
    assert server.act(t["id"], "finish").status_code == 200

    expect(pad.get_by_test_id("level-5")).to_be_visible(timeout=T)
    expect(pad.get_by_test_id("stage")).to_contain_text(t["number"])
    shot(pad, "pad-levels")
    pad.get_by_test_id("level-2").click()  # a bad rating asks for reasons (optional)
    expect(pad.get_by_test_id("reasons")).to_be_visible()
    pad.get_by_test_id("reason-0").check()
    shot(pad, "pad-reasons")
    pad.get_by_test_id("submit-reasons").click()
    expect(pad.get_by_test_id("thanks")).to_be_visible(timeout=T)
    expect(pad.get_by_test_id("idle")).to_be_visible(timeout=T)  # back to idle by itself

    # A second rating of the same ticket is refused, with the reason.
    pad2 = new_page(f"/ui/pad/{HALL}/05?ticket={t['id']}", device="pad-05")
    pad2.get_by_test_id("level-5").click()
    expect(pad2.get_by_test_id("refused")).to_contain_text("已评价", timeout=T)
    r = server.act(t["id"], "evaluation", level=4)
    assert r.status_code == 409


def test_manager_moves_a_window_to_another_zone_and_that_zones_display_shows_it(
    server: Server, new_page: Any
) -> None:
    construction = new_page(f"/ui/display/{HALL}/construction", width=1920, height=1080, device="tv-web")
    business = new_page(f"/ui/display/{HALL}/business", width=1920, height=1080, device="tv-web")
    manager = new_page("/ui/manager", width=1600, height=1000)
    form = manager.get_by_test_id("login-form")  # sign in through the form
    form.locator("input[name=username]").fill(server.users["manager"])
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    for p in (construction, business, manager):
        live(p)
    sound_on(construction)
    expect(construction.locator('[data-testid="zone-window"][data-window="01"]')).to_have_count(0)
    server.issue(COMPANY)
    server.issue(COMPANY)
    expect(manager.get_by_test_id("svc-" + COMPANY)).to_contain_text("2", timeout=T)
    expect(manager.get_by_test_id("idle-flag")).to_have_count(2)  # windows 01 and 02 idle, items waiting
    shot(manager, "manager")

    manager.get_by_test_id("edit-01").click()
    manager.get_by_test_id("edit-zone").select_option("construction")
    manager.get_by_test_id("skill-510403-XK-SC-006").uncheck()  # items and precedence too
    manager.get_by_test_id("level-" + FOOD).select_option("3")
    shot(manager, "manager-reassign")
    started = time.monotonic()
    manager.get_by_test_id("window-save").click()
    expect(construction.locator('[data-testid="zone-window"][data-window="01"]')).to_have_count(1, timeout=T)
    seen_after = time.monotonic() - started
    expect(business.locator('[data-testid="zone-window"][data-window="01"]')).to_have_count(0, timeout=T)
    moved = manager.locator('[data-testid="zone-construction"] [data-testid="win-01"]')
    expect(moved).to_have_count(1, timeout=T)
    assert seen_after < 2.0, f"the other zone's display showed the change after {seen_after:.2f}s"
    w01 = next(w for w in server.snapshot()["windows"] if w["code"] == "01")
    skills = {s["service"]: s["level"] for s in w01["skills"]}
    assert w01["zone"] == "construction"
    assert "510403-XK-SC-006" not in skills
    assert skills[FOOD] == 3 and skills[COMPANY] == 1
    print(f"window move visible on the new zone's display after {seen_after * 1000:.0f} ms")

    # A call from the moved window is now announced in its new zone.
    called = server.call_next("01")
    assert called
    assert wait_spoken(construction, 1) == [f"请{called['number']}号到1号窗口办理"]
    shot(construction, "display-after-move")

    # Pause from the console: every screen hears of it.
    manager.get_by_test_id("set-02-paused").click()
    # 02 is now the only open window of the item unticked at 01 above: the console asks first
    expect(manager.get_by_test_id("confirm-items")).to_contain_text("食品经营许可（变更）", timeout=T)
    manager.get_by_test_id("confirm-ok").click()
    paused = business.locator('[data-testid="zone-window"][data-window="02"]')
    expect(paused).to_contain_text("暂停", timeout=T)
    expect(manager.get_by_test_id("idle-flag")).to_have_count(0)

    # The audit trail is searchable.
    manager.get_by_test_id("tab-audit").click()
    manager.get_by_test_id("audit-action").select_option("window.")
    manager.get_by_test_id("audit-search").click()
    expect(manager.get_by_test_id("audit-row").first).to_contain_text("调整 2号窗口（设为暂停）", timeout=T)
    manager.get_by_test_id("audit-q").fill(called["number"])
    manager.get_by_test_id("audit-action").select_option("")
    manager.get_by_test_id("audit-search").click()
    expect(manager.get_by_test_id("audit-row").first).to_contain_text(f"呼叫 {called['number']}", timeout=T)
    manager.get_by_test_id("tab-devices").click()
    # Device health: a heartbeat shows at once.
    r = server.http.post(
        "/api/v1/devices/heartbeat",
        json={"version": "1.0.0", "status": {"printer": "ok", "paper": "low", "reader": "ok"}},
        headers={"Authorization": f"Bearer {server.devices['tv-web']}"},
    )
    assert r.status_code == 204, r.text
    row = manager.locator('[data-testid="device-row"][data-device="tv-web"]')
    expect(row.get_by_test_id("device-health")).to_contain_text("paper: low", timeout=T)
    expect(manager.get_by_test_id("pair-link")).to_have_attribute("href", "/ui/pair")  # a new device: pair it
    shot(manager, "manager-devices")


def test_status_page_follows_the_ticket_from_waiting_to_called(server: Server, new_page: Any) -> None:
    server.issue(PENSION)
    t = server.issue(PENSION)
    path = "/t/" + t["token"]
    assert t["status_url"].endswith(path)
    phone = new_page(path, width=390, height=844, mobile=True)
    expect(phone.get_by_test_id("number")).to_have_text(t["number"], timeout=T)
    expect(phone.get_by_test_id("status")).to_have_attribute("data-status", "waiting")
    expect(phone.get_by_test_id("ahead")).to_contain_text("1")
    shot(phone, "status-phone-waiting")
    desktop = new_page(path, width=1280, height=800)
    expect(desktop.get_by_test_id("number")).to_have_text(t["number"], timeout=T)
    desktop.get_by_test_id("lang-toggle").click()
    expect(desktop.get_by_test_id("status")).to_contain_text("Waiting")
    shot(desktop, "status-desktop-en")

    first = server.call_next("05")
    assert first and first["number"] != t["number"]
    expect(phone.get_by_test_id("ahead")).to_contain_text("0", timeout=T)
    second = server.call_next("06")  # window 06 serves the item as backup post
    assert second and second["number"] == t["number"]
    expect(phone.get_by_test_id("status")).to_have_attribute("data-status", "called", timeout=T)
    expect(phone.get_by_test_id("called-box")).to_contain_text("6号窗口")
    shot(phone, "status-phone-called")
    # No personal data on the page.
    assert "id_masked" not in phone.content()


@both_databases
def test_display_whose_connection_drops_catches_up(server: Server, new_page: Any) -> None:
    display = new_page(f"/ui/display/{HALL}/social", width=1920, height=1080, device="tv-web")
    live(display)
    sound_on(display)
    expect(display.get_by_test_id("conn-sign")).to_be_hidden()

    # 1. The network goes away; calls happen meanwhile; the display catches up when it is back.
    display.context.set_offline(True)
    expect(display.get_by_test_id("conn-sign")).to_be_visible(timeout=T)
    a = server.issue(PENSION)
    assert server.call_next("05")
    display.context.set_offline(False)
    expect(display.get_by_test_id("conn-sign")).to_be_hidden(timeout=T)
    expect(display.locator(f'[data-testid="call"][data-number="{a["number"]}"]')).to_be_visible(timeout=T)
    assert wait_spoken(display, 1) == [f"请{a['number']}号到5号窗口办理"]
    shot(display, "display-after-drop")

    # 2. The server crashes and comes back (same port and database): the display reconnects, resumes.
    server.stop(crash=True)
    expect(display.get_by_test_id("conn-sign")).to_be_visible(timeout=T)
    server.start()
    b = server.issue(PENSION)
    assert server.call_next("06")
    expect(display.locator(f'[data-testid="call"][data-number="{b["number"]}"]')).to_be_visible(
        timeout=30_000
    )
    expect(display.get_by_test_id("conn-sign")).to_be_hidden(timeout=T)
    assert wait_spoken(display, 2) == [f"请{a['number']}号到5号窗口办理", f"请{b['number']}号到6号窗口办理"]
    expect(display.get_by_test_id("waiting-item").first).to_be_visible()

    # 3. The server comes back with an older database (restored from a backup): its event numbers
    #    went back, so the stream says "resync"; the display reloads the snapshot and goes on.
    server.stop(crash=True)
    server.restore_template()
    server.start()
    gone = display.locator(f'[data-testid="call"][data-number="{b["number"]}"]')
    expect(gone).to_have_count(0, timeout=30_000)
    c = server.issue(PENSION)
    assert server.call_next("05")
    expect(display.locator(f'[data-testid="call"][data-number="{c["number"]}"]')).to_be_visible(timeout=T)
    assert wait_spoken(display, 3)[2] == f"请{c['number']}号到5号窗口办理"
    assert display.evaluate("() => window.__hq.live.stats.resyncs") >= 1


FAKE_BLOCKED_AUDIO = """
(() => {
  // An AudioContext that stays suspended until resumed inside a user gesture (autoplay policy).
  class BlockedAudio {
    constructor() { this.state = "suspended"; this.currentTime = 0; this.destination = {}; }
    resume() {
      if (navigator.userActivation && navigator.userActivation.isActive) this.state = "running";
      return Promise.resolve();
    }
    createOscillator() {
      return { type: "", frequency: { value: 0 }, connect: (n) => n, start() {}, stop() {} };
    }
    createGain() {
      const g = { setValueAtTime() {}, exponentialRampToValueAtTime() {} };
      return { gain: g, connect: (n) => n };
    }
  }
  window.AudioContext = BlockedAudio;
})();
"""


def test_display_survives_an_autoplay_block_with_one_touch(server: Server, new_page: Any) -> None:
    display = new_page(
        f"/ui/display/{HALL}/social", width=1920, height=1080, device="tv-web", init_script=FAKE_BLOCKED_AUDIO
    )
    live(display)
    expect(display.get_by_test_id("enable-sound")).to_be_visible(timeout=T)
    shot(display, "display-sound-blocked")
    t = server.issue(PENSION)
    assert server.call_next("05")
    expect(display.locator(f'[data-testid="call"][data-number="{t["number"]}"]')).to_be_visible(timeout=T)
    # The call is shown, so its event was handled (the announcement is queued in the same handler):
    # held back while sound is blocked.
    assert spoken(display) == []
    assert display.evaluate("() => window.__hq.announcer.queue.map((q) => q.text)") == [
        f"请{t['number']}号到5号窗口办理"
    ]
    display.get_by_test_id("enable-sound").click()
    expect(display.get_by_test_id("sound-gate")).to_be_hidden(timeout=T)
    assert wait_spoken(display, 1) == [f"请{t['number']}号到5号窗口办理"]
    assert display.evaluate("() => localStorage.getItem('hq.sound')") == "on"

    # After a reload the browser blocks again; the hall said it wants sound: any touch unlocks.
    display.reload()
    live(display)
    expect(display.get_by_test_id("sound-gate")).to_be_visible(timeout=T)
    display.mouse.click(400, 400)
    expect(display.get_by_test_id("sound-gate")).to_be_hidden(timeout=T)


def test_a_browser_without_a_chinese_voice_plays_the_calls_as_the_server_speaks_them(
    server: Server, new_page: Any
) -> None:
    """Without the recorder: Chromium here has no voice at all, like many TVs. Every call is played
    from the server's voice (espeak-ng), in order, and nothing says "chime only"."""
    display = new_page(
        f"/ui/display/{HALL}/social", width=1280, height=720, device="tv-web", record_speech=False
    )
    fetched: list[tuple[str, int, str]] = []
    display.on(
        "response",
        lambda r: fetched.append((r.url, r.status, r.headers.get("content-type", "")))
        if "/voice" in r.url
        else None,
    )
    live(display)
    sound_on(display)
    assert not display.evaluate("() => speechSynthesis.getVoices().some((v) => /^(zh|cmn)/i.test(v.lang))")
    a = server.issue(PENSION)
    b = server.issue(PENSION)
    assert server.call_next("05") and server.call_next("06")
    said = "() => window.__hq.announcer.log.length >= 2 && window.__hq.announcer.log[1].voice"
    display.wait_for_function(said, timeout=40_000)
    log = display.evaluate("() => window.__hq.announcer.log")
    assert [e["text"] for e in log] == [f"请{a['number']}号到5号窗口办理", f"请{b['number']}号到6号窗口办理"]
    assert [e["voice"] for e in log] == ["server", "server"]
    assert [(u.split("/calls/")[1], status, kind) for u, status, kind in fetched] == [
        (f"{a['id']}/voice?lang=zh", 200, "audio/wav"),
        (f"{b['id']}/voice?lang=zh", 200, "audio/wav"),
    ]
    # The installer's hint is decided 3 s after loading; two calls (chime, speech, pause) took longer.
    assert display.evaluate("() => performance.now()") > 3000
    expect(display.get_by_test_id("no-voice")).to_be_hidden()


def test_manager_adds_and_removes_a_closure(server: Server, new_page: Any) -> None:
    """A zone's closure from the console: the catalogue says so at once; removing it reopens the zone."""
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    building = "510403-XK-ZJ-001"  # construction zone
    now = datetime.now(ZoneInfo("Asia/Shanghai")).replace(second=0, microsecond=0)
    manager = new_page("/ui/manager?tab=closures", width=1600, height=1000, role="manager")
    expect(manager.get_by_test_id("no-closures")).to_be_visible(timeout=T)
    manager.get_by_test_id("closure-scope").select_option("zone")
    manager.get_by_test_id("closure-zone").select_option("construction")
    manager.get_by_test_id("closure-from").fill((now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"))
    manager.get_by_test_id("closure-to").fill((now + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M"))
    manager.get_by_test_id("closure-reason").fill("设备检修")
    manager.get_by_test_id("closure-reason-en").fill("Equipment repairs")
    manager.get_by_test_id("closure-add").click()
    row = manager.get_by_test_id("closure-row")
    expect(row).to_have_count(1, timeout=T)
    expect(row).to_contain_text("工程建设项目区")
    expect(row).to_contain_text("设备检修")
    shot(manager, "manager-closures")

    def building_item() -> dict[str, Any]:
        items = server.http.get(f"/api/v1/halls/{HALL}/services").json()
        return next(s for s in items if s["code"] == building)

    sv = building_item()
    assert (sv["open_now"], sv["can_issue"]) == (False, False)
    company = next(
        s for s in server.http.get(f"/api/v1/halls/{HALL}/services").json() if s["code"] == COMPANY
    )
    assert company["can_issue"] is True  # another zone stays open
    # Bad input is refused in words, nothing is added.
    manager.get_by_test_id("closure-from").fill(now.strftime("%Y-%m-%dT%H:%M"))
    manager.get_by_test_id("closure-to").fill((now - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"))
    manager.get_by_test_id("closure-reason").fill("x")
    manager.get_by_test_id("closure-reason-en").fill("x")
    manager.get_by_test_id("closure-add").click()
    expect(manager.get_by_test_id("result")).to_contain_text("结束时间须晚于开始时间", timeout=T)
    expect(row).to_have_count(1)
    manager.get_by_test_id("closure-remove").click()
    expect(manager.get_by_test_id("no-closures")).to_be_visible(timeout=T)
    assert building_item()["can_issue"] is True
    # The whole hall: the live floor and the hall display say it is closed and when it opens.
    display = new_page(f"/ui/display/{HALL}/business", device="tv-web")
    expect(display.get_by_test_id("hall-state")).to_contain_text("请留意叫号", timeout=T)
    manager.get_by_test_id("closure-scope").select_option("hall")
    manager.get_by_test_id("closure-from").fill((now - timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M"))
    manager.get_by_test_id("closure-to").fill((now + timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"))
    manager.get_by_test_id("closure-reason").fill("停电")
    manager.get_by_test_id("closure-reason-en").fill("Power cut")
    manager.get_by_test_id("closure-add").click()
    expect(row).to_have_count(1, timeout=T)
    manager.get_by_test_id("tab-floor").click()
    reopens = (now + timedelta(hours=2)).strftime("%H:%M")
    expect(manager.get_by_test_id("hall-open")).to_contain_text("已停止办理", timeout=T)
    expect(manager.get_by_test_id("hall-open")).to_contain_text(reopens)
    expect(display.get_by_test_id("hall-state")).to_contain_text("已停止办理", timeout=T)
    expect(display.get_by_test_id("hall-state")).to_contain_text(reopens)
    shot(display, "display-closed")
    manager.get_by_test_id("tab-closures").click()
    manager.get_by_test_id("closure-remove").click()
    manager.get_by_test_id("tab-floor").click()
    expect(manager.get_by_test_id("hall-open")).to_contain_text("办理中", timeout=T)
    expect(display.get_by_test_id("hall-state")).to_contain_text("请留意叫号", timeout=T)


def can_call(page: Any, window: str | None = None) -> Any:
    """The "can call" count a page shows for a window (the clerk page: its own window)."""
    scope = page.get_by_test_id(f"win-{window}") if window else page
    return scope.get_by_test_id("can-call")


def test_transfer_to_a_named_window_every_page_counts_what_call_next_does(
    server: Server, new_page: Any
) -> None:
    first, second = server.issue(COMPANY), server.issue(COMPANY)
    clerk = new_page(f"/ui/clerk?hall={HALL}&window=01", width=1024, height=600, role="clerk")
    manager = new_page(f"/ui/manager?hall={HALL}", width=1920, height=1080, role="manager")
    for p in (clerk, manager):
        live(p)
    expect(can_call(clerk)).to_have_attribute("data-count", "2", timeout=T)
    expect(can_call(manager, "05")).to_have_attribute("data-count", "0", timeout=T)

    clerk.keyboard.press("n")
    expect(clerk.get_by_test_id("current-number")).to_have_text(first["number"], timeout=T)
    clerk.keyboard.press("t")
    clerk.get_by_test_id("transfer-window").select_option("05")  # a window without the item
    clerk.get_by_test_id("transfer-reason-other").check()
    clerk.get_by_test_id("transfer-reason").fill("需5号窗口核验")
    clerk.get_by_test_id("transfer-submit").click()
    expect(clerk.get_by_test_id("result")).to_contain_text("已转办", timeout=T)

    # Window 05 can call exactly the transferred ticket, and every page says so.
    expect(can_call(clerk)).to_have_attribute("data-count", "1", timeout=T)
    expect(clerk.get_by_test_id("queue-ticket")).to_have_count(1)
    expect(clerk.get_by_test_id("queue-ticket").first).to_have_attribute("data-number", second["number"])
    expect(can_call(manager, "05")).to_have_attribute("data-count", "1", timeout=T)
    expect(can_call(manager, "02")).to_have_attribute("data-count", "1")  # the transferred one is 05's only
    called = server.call_next("05")
    assert called is not None and called["number"] == first["number"]
    expect(can_call(manager, "05")).to_have_attribute("data-count", "0", timeout=T)
    assert server.act(called["id"], "no-show").status_code == 200
    assert server.call_next("05") is None  # as the page said

    clerk.keyboard.press("n")  # the clerk's own window calls what its list showed
    expect(clerk.get_by_test_id("current-number")).to_have_text(second["number"], timeout=T)
    expect(can_call(manager, "02")).to_have_attribute("data-count", "0", timeout=T)
    shot(manager, "manager-after-transfer")


def test_a_ticket_no_longer_called_is_never_announced_and_a_recall_shows_as_one(
    server: Server, new_page: Any
) -> None:
    display = new_page(
        f"/ui/display/{HALL}/social", width=1920, height=1080, device="tv-web", init_script=FAKE_BLOCKED_AUDIO
    )
    live(display)
    expect(display.get_by_test_id("enable-sound")).to_be_visible(timeout=T)
    served, waiting = server.issue(PENSION), server.issue(PENSION)
    first = server.call_next("05")
    assert first is not None and first["number"] == served["number"]
    # Served and finished while the TV's sound was still off: its announcement is withdrawn.
    assert server.act(first["id"], "start").status_code == 200
    assert server.act(first["id"], "finish").status_code == 200
    second = server.call_next("06")
    assert second is not None and second["number"] == waiting["number"]
    seq = server.marker()  # every event so far handled: the finished call's announcement withdrawn
    display.wait_for_function("seq => window.__hq.live.seq >= seq", arg=seq, timeout=T)
    assert display.evaluate("() => window.__hq.announcer.queue.map((q) => q.text)") == [
        f"请{waiting['number']}号到6号窗口办理"
    ]
    display.get_by_test_id("enable-sound").click()
    assert wait_spoken(display, 1) == [f"请{waiting['number']}号到6号窗口办理"]
    settled(display, server)
    assert spoken(display) == [f"请{waiting['number']}号到6号窗口办理"]  # never the finished one

    # A recall is shown as a recall ("再次呼叫"), a first call is not.
    call = display.locator(f'[data-testid="call"][data-number="{waiting["number"]}"]')
    expect(call).to_have_attribute("data-recall", "0")
    assert server.act(second["id"], "recall").status_code == 200
    expect(call).to_have_attribute("data-recall", "1", timeout=T)
    expect(call.get_by_test_id("recall-mark")).to_contain_text("再次呼叫")
    assert wait_spoken(display, 2)[-1] == f"请{waiting['number']}号到6号窗口办理"
    shot(display, "display-recall")
    display.reload()  # the snapshot knows it too
    live(display)
    expect(call).to_have_attribute("data-recall", "1", timeout=T)
    display.get_by_test_id("lang-toggle").click()  # English mode: no Chinese left, the date included
    expect(call.get_by_test_id("recall-mark")).to_have_text("Called again", use_inner_text=True)
    clock = display.get_by_test_id("clock")
    expect(clock).to_contain_text(re.compile(r"Mon|Tue|Wed|Thu|Fri|Sat|Sun"), use_inner_text=True)
    expect(clock).not_to_contain_text("周", use_inner_text=True)
    expect(display.get_by_test_id("hours")).not_to_contain_text(re.compile("[办理]"), use_inner_text=True)
    expect(display.get_by_test_id("phones")).to_contain_text("Complaints 12345", use_inner_text=True)
    # The display page reports itself (its first heartbeat went out as it started): device health is real.
    devices = server.api("GET", f"/api/v1/halls/{HALL}/devices").json()
    tv = next(d for d in devices if (d.get("name") or d.get("device")) == "tv-web")
    assert tv["last_seen"] and (tv.get("status") or tv.get("last_status") or {}).get("page") == "display", tv
    shot(display, "display-english")


def test_console_alarms_only_staffed_windows_asks_before_emptying_an_item_and_logs_sentences(
    server: Server, new_page: Any
) -> None:
    company = server.issue(COMPANY)
    server.issue(PENSION)
    for w in server.snapshot()["windows"]:  # nobody at work: the hall as it opens
        if w["clerk"]:
            r = server.api("POST", f"/api/v1/halls/{HALL}/windows/{w['code']}/sign-out")
            assert r.status_code == 204, r.text
    manager = new_page(f"/ui/manager?hall={HALL}", width=1920, height=1080, role="manager")
    live(manager)
    expect(manager.get_by_test_id("svc-" + COMPANY)).to_contain_text("1", timeout=T)
    expect(manager.get_by_test_id("idle-flag")).to_have_count(0)  # no clerk, no false alarm
    expect(manager.get_by_test_id("staffed-count")).to_contain_text("0")
    expect(manager.get_by_test_id("win-05").get_by_test_id("win-state")).to_contain_text("无人员")
    shot(manager, "manager-no-clerk")
    r = server.api("POST", f"/api/v1/halls/{HALL}/windows/01/sign-in", role="clerk")
    assert r.status_code == 200, r.text
    expect(manager.get_by_test_id("win-01").get_by_test_id("idle-flag")).to_have_count(1, timeout=T)
    expect(manager.get_by_test_id("idle-flag")).to_have_count(1)

    # Close asks first; cancelling changes nothing.
    manager.get_by_test_id("set-05-closed").click()
    expect(manager.get_by_test_id("confirm-dialog")).to_contain_text("确定关闭5号窗口", timeout=T)
    manager.get_by_test_id("confirm-cancel").click()
    assert next(w for w in server.snapshot()["windows"] if w["code"] == "05")["state"] == "open"
    manager.get_by_test_id("set-05-closed").click()
    manager.get_by_test_id("confirm-ok").click()
    expect(manager.get_by_test_id("win-05")).to_have_attribute("data-state", "closed", timeout=T)

    # Window 06 is now the only open window for the pension item: unticking it asks, naming the item.
    manager.get_by_test_id("edit-06").click()
    manager.get_by_test_id("skill-search").fill("养老")
    expect(manager.get_by_test_id("skill-" + COMPANY)).to_be_hidden()
    manager.get_by_test_id("skill-" + PENSION).uncheck()
    expect(manager.get_by_test_id("level-" + PENSION)).to_be_hidden()  # levels only on ticked items
    manager.get_by_test_id("window-save").click()
    expect(manager.get_by_test_id("confirm-items")).to_contain_text("养老待遇资格认证", timeout=T)
    shot(manager, "manager-confirm-empty-item")
    manager.get_by_test_id("confirm-cancel").click()
    w06 = next(w for w in server.snapshot()["windows"] if w["code"] == "06")
    assert PENSION in [s["service"] for s in w06["skills"]]
    manager.get_by_test_id("window-save").click()
    manager.get_by_test_id("confirm-ok").click()
    expect(manager.get_by_test_id("result")).to_contain_text("已调整", timeout=T)
    w06 = next(w for w in server.snapshot()["windows"] if w["code"] == "06")
    assert PENSION not in [s["service"] for s in w06["skills"]]

    # The audit trail: a sentence per action, ticket numbers, no codes.
    called = server.call_next("01")
    assert called is not None and called["number"] == company["number"]
    manager.get_by_test_id("tab-audit").click()
    sentences = manager.get_by_test_id("audit-sentence")
    expect(sentences.first).to_be_visible(timeout=T)
    texts = [t for t in sentences.all_inner_texts()]
    assert any(f"呼叫 {company['number']}" in t for t in texts), texts
    assert any(f"取号 {company['number']}" in t for t in texts), texts
    assert any("5号窗口（设为关闭）" in t for t in texts), texts
    assert not any(re.search(r"ticket\.|window\.|\{", t) for t in texts), texts
    with manager.expect_download() as dl:
        manager.get_by_test_id("audit-export").click()
    assert f"呼叫 {company['number']}" in Path(dl.value.path()).read_text(encoding="utf-8-sig")
    shot(manager, "manager-audit")
