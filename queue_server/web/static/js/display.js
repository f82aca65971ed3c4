// Hall display (a TV per zone): current calls large, recent calls, waiting counts per item, the
// zone's windows, the managers' notices (公告) scrolling along the bottom; every call announced once,
// in order, by chime and speech. Never shows names.
import { authHeaders, esc, pathParts } from "./api.js";
import { ensurePaired } from "./pairing.js";
import { bi, biState, fmtDateTime, fmtTime, initLang, langToggle, windowLabel } from "./i18n.js";
import { Live, connectionSign } from "./live.js";
import { clock } from "./ui.js";
import { startHeartbeat } from "./heartbeat.js";
import { Announcer } from "./voice.js";

initLang();
const [hall, zone] = pathParts("/ui/display/");
const paired = await ensurePaired("display");
if (paired?.zone && paired.zone !== zone) location.replace(`/ui/display/${hall}/${paired.zone}`);
const params = new URL(location.href).searchParams;
const BIG = 4;
const RECENT = 10;

const S = {
  hall: null, // snapshot.hall
  zones: new Map(), // key → zone
  windows: new Map(), // code → {code, name, zone, state}
  services: new Map(), // code → {code, name, name_en, zone, waiting}
  tickets: new Map(), // ticket id → {id, number, service, zone, window, status, called_at, fresh}
  notices: new Map(), // notice id → {id, text, text_en, starts_at, ends_at, order}
};
const TICKER_PX_PER_S = 0.07; // of the screen's width per second: readable from 3–5 m

const app = document.getElementById("app");
app.innerHTML = `
  <div class="display">
    <header class="topbar">
      <h1 data-testid="title"></h1>
      <span class="hours" data-testid="hours"></span>
      <span class="clock" data-testid="clock"></span>
    </header>
    <main>
      <section class="calls-now">
        <h2>${bi("正在呼叫", "Now calling")}</h2>
        <div data-testid="calls-now"></div>
      </section>
      <section class="recent">
        <h2>${bi("最近呼叫", "Recent calls")}</h2>
        <ol data-testid="recent-calls"></ol>
      </section>
    </main>
    <div class="waiting-strip" data-testid="waiting"></div>
    <footer class="display-foot">
      <div class="windows-strip" data-testid="windows"></div>
      <div class="phones" data-testid="phones"></div>
      <div class="sound-state" data-testid="sound-state">
        <span class="no-voice" data-testid="no-voice" hidden>${bi("本机无中文语音，仅提示音", "No Chinese voice: chime only")}</span>
        <span class="sound-gate" data-testid="sound-gate" hidden><button class="btn" type="button" data-testid="enable-sound">♪ ${bi("开启声音", "Enable sound")}</button></span>
      </div>
    </footer>
    <div class="ticker" data-testid="ticker" hidden>
      <span class="ticker-label">${bi("公告", "Notice")}</span>
      <div class="ticker-view"><div class="ticker-track" data-testid="ticker-track"></div></div>
    </div>
  </div>
`;
const $ = (id) => app.querySelector(`[data-testid="${id}"]`);
const topbar = app.querySelector(".topbar");
topbar.append(langToggle());
document.body.append(connectionSign());
clock($("clock"), () => S.hall?.timezone || "Asia/Shanghai", { seconds: true, date: true });

const live = new Live({ hall, onSnapshot, onEvent });
const announcer = new Announcer({
  key: `hq.announced.${hall}.${zone}`,
  now: () => live.serverNow(),
  maxAgeSec: Number(params.get("max_age") || 120),
  chime: params.get("chime") !== "0",
  english: params.get("voice_en") === "1",
  onBlocked: (blocked) => {
    $("sound-gate").hidden = !blocked;
  },
  serverVoice: fetchServerVoice,
});

// Calls spoken by the server for a browser without a Chinese voice; after a "no synthesiser there"
// answer the display keeps to its chime and stops asking.
let serverVoiceOff = false;
async function fetchServerVoice(ticket, lang) {
  if (serverVoiceOff) return null;
  const res = await fetch(`/api/v1/halls/${encodeURIComponent(hall)}/calls/${ticket}/voice?lang=${lang}`, {
    headers: authHeaders(),
  });
  if (res.ok) return res.arrayBuffer();
  const body = await res.json().catch(() => ({}));
  if (body.code === "voice_unavailable") serverVoiceOff = true;
  return null;
}
$("enable-sound").addEventListener("click", () => announcer.enable());
// An installer's hint: without a Chinese voice in this browser the server's voice is used, and
// where the server has none either, only the chime can be heard.
setTimeout(() => {
  const voices = "speechSynthesis" in window ? speechSynthesis.getVoices() : [];
  if (!voices.some((v) => /^(zh|cmn)/i.test(v.lang)) && serverVoiceOff) $("no-voice").hidden = false;
}, 3000);
window.__hq = { live, announcer, state: S };

function windowZone(code) {
  return S.windows.get(code)?.zone;
}

/**
 * Whole-hall mode: `/ui/display/{hall}/all`, and any zone without windows or items of its own (the
 * waiting area, the public area) shows every call of the hall.
 */
function wholeHall() {
  if (zone === "all") return true;
  if (!S.zones.has(zone)) return false;
  const own = (x) => x.zone === zone;
  return ![...S.windows.values()].some(own) && ![...S.services.values()].some(own);
}

function inZone(x) {
  return x.zone === zone || S.whole;
}

function mine(t) {
  return S.whole || windowZone(t.window) === zone || t.zone === zone;
}

function onSnapshot(snap) {
  announcer.rebase(snap.event_seq);
  S.hall = snap.hall;
  serverVoiceOff = !snap.hall.server_voice;
  S.zones = new Map(snap.zones.map((z) => [z.key, z]));
  S.windows = new Map(snap.windows.map((w) => [w.code, w]));
  S.services = new Map(snap.services.map((s) => [s.code, s]));
  S.whole = wholeHall();
  S.notices = new Map((snap.notices || []).map((n) => [n.id, n]));
  S.tickets = new Map();
  for (const c of snap.recent_calls.slice().reverse()) {
    S.tickets.set(c.id, { ...c, fresh: false });
  }
  for (const w of snap.windows) {
    if (w.current) {
      const t = S.tickets.get(w.current.id);
      S.tickets.set(w.current.id, {
        ...(t || {}),
        ...w.current,
        window: w.code,
        fresh: false,
        zone: t?.zone,
        recall: w.current.recall_count > 0,
      });
    }
  }
  render();
}

function onEvent(ev) {
  const p = ev.payload || {};
  switch (ev.type) {
    case "ticket.called":
    case "ticket.recalled": {
      const t = {
        id: p.ticket_id,
        number: p.number,
        service: p.service,
        zone: p.zone,
        window: p.window,
        priority_class: p.priority_class,
        status: "called",
        called_at: ev.at,
        fresh: true,
        seq: ev.seq,
        recall: ev.type === "ticket.recalled",
      };
      S.tickets.delete(t.id); // re-insert: newest last
      S.tickets.set(t.id, t);
      if (S.tickets.size > 300) {
        // a TV runs all day: forget the oldest finished calls
        for (const [id, old] of S.tickets) {
          if (S.tickets.size <= 200) break;
          if (old.status !== "called" && old.status !== "serving") S.tickets.delete(id);
        }
      }
      if (ev.zone === zone || mine(t)) {
        announcer.add({ seq: ev.seq, text: p.announcement_zh, textEn: p.announcement_en, at: ev.at, ticket: t.id });
        setTimeout(() => {
          t.fresh = false;
          render();
        }, 8000);
      }
      break;
    }
    case "ticket.started":
    case "ticket.finished":
    case "ticket.no_show":
    case "ticket.transferred":
    case "ticket.cancelled": {
      const t = S.tickets.get(p.ticket_id);
      if (t) t.status = p.status;
      announcer.withdraw(p.ticket_id); // no longer called: never call it out
      break;
    }
    case "window.changed": {
      const w = S.windows.get(p.window) || { code: p.window };
      S.windows.set(p.window, { ...w, name: p.name ?? w.name, zone: p.zone ?? w.zone, state: p.state ?? w.state });
      break;
    }
    case "queue.changed": {
      const s = S.services.get(p.service);
      if (s) s.waiting = p.waiting;
      break;
    }
    case "notice.added":
    case "notice.updated":
      S.notices.set(p.id, p);
      renderTicker();
      return;
    case "notice.removed":
      S.notices.delete(p.id);
      renderTicker();
      return;
    case "catalogue.changed":
    case "closure.added":
    case "closure.removed":
      live.resync(); // the hall's hours changed: read its state again
      return;
    default:
      return;
  }
  render();
}

// The hall's state as the server computed it; once its next opening has passed the notice goes (the
// next snapshot tells the rest), so a screen left on overnight never says "closed" while it is open.
function closedNotice() {
  const h = S.hall;
  if (h.open_now !== false || !h.next_open || live.serverNow() >= Date.parse(h.next_open)) return "";
  const why = h.closed_reason ? bi(`今日${h.closed_reason}`, `Closed today: ${h.closed_reason_en}`) : "";
  const when = fmtDateTime(h.next_open, S.hall.timezone);
  return `${why} ${bi(`已停止办理，下次办理时间 ${when}`, `Closed now. Next opening ${when}`)}`;
}

/** Open until / next opening, as the server computed them (the display does no calendar sums). */
function hoursLine(h) {
  const tz = h.timezone;
  if (h.open_now && h.open_until) return bi(`今日办理至 ${fmtTime(h.open_until, tz)}`, `Open until ${fmtTime(h.open_until, tz)}`);
  if (h.open_now) return bi("正在办理", "Open now");
  return h.next_open
    ? bi(`已停止办理 · 下次办理 ${fmtDateTime(h.next_open, tz)}`, `Closed · next opening ${fmtDateTime(h.next_open, tz)}`)
    : bi("已停止办理", "Closed");
}

/** The notices shown now (started, not ended, by the server's clock), in the manager's order. */
function currentNotices() {
  const now = live.serverNow();
  return [...S.notices.values()]
    .filter((n) => (!n.starts_at || Date.parse(n.starts_at) <= now) && (!n.ends_at || now < Date.parse(n.ends_at)))
    .sort((a, b) => a.order - b.order || a.id - b.id);
}

// The ticker is rebuilt only when its text changes, so the scroll never jumps back on other events.
let tickerKey = "";
function renderTicker() {
  const shown = currentNotices();
  const key = JSON.stringify(shown.map((n) => [n.id, n.text, n.text_en]));
  if (key === tickerKey) return;
  tickerKey = key;
  $("ticker").hidden = shown.length === 0;
  $("ticker-track").innerHTML = shown
    .map((n) => `<span class="notice" data-testid="notice" data-id="${n.id}">${bi(n.text, n.text_en || n.text)}</span>`)
    .join('<span class="sep" aria-hidden="true">◆</span>');
  fitTicker();
}

/** Scroll at a constant speed whatever the text's length (and language); text that fits stands still. */
function fitTicker() {
  const track = $("ticker-track");
  const view = track.parentElement;
  const fits = track.scrollWidth <= view.clientWidth;
  track.classList.toggle("scrolling", !fits);
  if (!fits) track.style.animationDuration = `${(view.clientWidth + track.scrollWidth) / (view.clientWidth * TICKER_PX_PER_S)}s`;
}
new ResizeObserver(fitTicker).observe($("ticker-track")); // a language switch changes the width

function render() {
  if (!S.hall) return;
  renderTicker();
  const z = S.zones.get(zone);
  $("title").innerHTML =
    zone === "all"
      ? bi(S.hall.name, S.hall.name_en)
      : `${bi(S.hall.name, S.hall.name_en)} · ${bi(z?.name || zone, z?.name_en || zone)}`;
  document.title = `${z?.name || zone} · ${S.hall.name}`;
  $("hours").innerHTML = hoursLine(S.hall);
  $("phones").innerHTML = [
    S.hall.phone ? bi(`咨询电话 ${S.hall.phone}`, `Enquiries ${S.hall.phone}`) : "",
    S.hall.complaint_phone ? bi(`投诉电话 ${S.hall.complaint_phone}`, `Complaints ${S.hall.complaint_phone}`) : "",
  ]
    .filter(Boolean)
    .join(" · ");
  const calls = [...S.tickets.values()].filter(mine).reverse(); // newest first
  const now = calls.filter((t) => t.status === "called" || t.status === "serving").slice(0, BIG);
  $("calls-now").innerHTML = now.length
    ? now
        .map((t, i) => {
          const [wzh, wen] = windowLabel(t.window);
          const prio = t.priority_class === "priority"; // the class the server gave (优先)
          return `<div class="call ${t.fresh ? "fresh" : ""} ${t.recall ? "recall" : ""} ${prio ? "priority" : ""} ${i >= 2 ? "small" : ""}" data-testid="call" data-number="${esc(t.number)}" data-window="${esc(t.window)}" data-recall="${t.recall ? 1 : 0}">
            <span class="num">${esc(t.number)}</span><span class="arrow">➜</span>
            <span class="win">${bi(wzh, wen)}</span>
            ${prio ? `<span class="priority-mark" data-testid="priority-mark">${bi("优先", "Priority")}</span>` : ""}
            ${t.recall ? `<span class="recall-mark" data-testid="recall-mark">${bi("再次呼叫", "Called again")}</span>` : ""}</div>`;
        })
        .join("")
    : `<div class="empty" data-testid="hall-state">${closedNotice() || bi("请留意叫号", "Please wait for your number")}</div>`;
  $("recent-calls").innerHTML = calls
    .slice(0, RECENT)
    .map((t) => {
      const [wzh, wen] = windowLabel(t.window);
      const prio = t.priority_class === "priority"
        ? `<small class="priority-mark" data-testid="recent-priority">${bi("优先", "Priority")}</small> `
        : "";
      return `<li data-testid="recent" data-number="${esc(t.number)}"><span class="num">${esc(t.number)}</span>
        <span>${prio}${t.recall ? `<small class="recall-mark">${bi("再次呼叫", "again")}</small> ` : ""}${bi(wzh, wen)}</span></li>`;
    })
    .join("");
  const services = [...S.services.values()].filter((s) => (S.whole ? s.waiting > 0 : s.zone === zone));
  $("waiting").innerHTML = services.length
    ? `<span>${bi("等候人数", "Waiting")}</span>` +
      services
        .map(
          (s) =>
            `<span class="item" data-testid="waiting-item" data-service="${esc(s.code)}">${bi(s.name, s.name_en)}<b class="num">${Number(s.waiting) || 0}</b></span>`,
        )
        .join("")
    : "";
  const wins = [...S.windows.values()].filter(inZone).sort((a, b) => a.code.localeCompare(b.code));
  $("windows").innerHTML = wins
    .map((w) => {
      const [wzh, wen] = windowLabel(w.code);
      return `<span class="w state-${esc(w.state)}" data-testid="zone-window" data-window="${esc(w.code)}">${bi(wzh, wen)} ${biState(w.state)}</span>`;
    })
    .join("");
}

announcer.init().then(() => {
  live.start();
  startHeartbeat(() => ({
    page: "display",
    zone,
    sound: document.documentElement.dataset.sound || "unknown",
    voice: !$("no-voice").hidden ? "none" : announcer.voice ? "zh" : "server",
  }));
});
setInterval(render, 60000); // the closed notice goes at the next opening even if nothing happens
setInterval(renderTicker, 10000); // a notice starts or ends at its time, with no event
