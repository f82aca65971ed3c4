// The citizen's ticket status page (/t/{token}, from the QR code on the ticket): number, status,
// tickets ahead, ETA, the window once called. No personal data: the public endpoint has none.
// Citizens have no account, so the page polls the public endpoint every 3 s while it is visible.
import { enc, esc, get, pathParts } from "./api.js";
import { bi, biDetail, biStatus, fmtTime, initLang, langToggle, windowLabel } from "./i18n.js";
import { outcomeHtml } from "./outcome_view.js";
import { renderRating } from "./rate.js";

initLang();
const [token] = pathParts("/t/");
const POLL_MS = 3000;
const FINAL = new Set(["done", "no_show", "cancelled", "transferred"]);
const TZ = "Asia/Shanghai";
let last = null;
let timer = null;
let failures = 0;

const app = document.getElementById("app");
app.innerHTML = `
  <header class="topbar"><h1>${bi("我的排号", "My ticket")}</h1></header>
  <div class="status-page">
    <div data-testid="ticket"></div>
    <div data-testid="after"></div>
    <p class="foot" data-testid="updated"></p>
  </div>`;
app.querySelector(".topbar").append(langToggle());
const box = app.querySelector('[data-testid="ticket"]');
const updated = app.querySelector('[data-testid="updated"]');
const after = app.querySelector('[data-testid="after"]');
let afterShown = false;

async function poll() {
  clearTimeout(timer);
  try {
    const t = await get(`/api/v1/public/tickets/${enc(token)}`);
    failures = 0;
    if (last && last.status !== t.status && t.status === "called" && navigator.vibrate) navigator.vibrate([300, 150, 300]);
    last = t;
    render(t);
    updated.innerHTML = bi(`更新于 ${fmtTime(new Date(), TZ, true)}`, `Updated ${fmtTime(new Date(), TZ, true)}`);
    if (FINAL.has(t.status)) return; // nothing more will change
  } catch (err) {
    failures++;
    if (err.status === 404) {
      box.innerHTML = `<p class="result error" data-testid="not-found">${bi("找不到这张号票", "Ticket not found")}</p>`;
      return;
    }
    updated.innerHTML = `<span data-testid="offline">${biDetail(err.detail)}</span>`;
  }
  if (!document.hidden) timer = setTimeout(poll, failures ? Math.min(POLL_MS * 2 ** failures, 30000) : POLL_MS);
}

function render(t) {
  document.title = `${t.number} · ${document.title.split(" · ").pop()}`;
  const called = t.status === "called" || t.status === "serving";
  let windowBox = "";
  if (called && t.window) {
    const [zh, en] = windowLabel(t.window);
    windowBox = `<div class="called-box" data-testid="called-box">${
      t.status === "called" ? bi(`请到 ${zh} 办理`, `Please go to ${en}`) : bi(`正在 ${zh} 办理`, `Being served at ${en}`)
    }</div>`;
  }
  const eta =
    t.status !== "waiting"
      ? ""
      : t.eta_min === null || t.eta_min === undefined
        ? bi("暂无法估计（无开放窗口）", "unknown (no open window)")
        : t.eta_max === 0
          ? bi("即将叫号", "you will be called shortly")
          : bi(`约 ${t.eta_min}–${t.eta_max} 分钟`, `about ${t.eta_min}–${t.eta_max} min`);
  box.innerHTML = `
    <div class="ticket-num num" data-testid="number">${esc(t.number)}</div>
    <div class="status-line" data-testid="status" data-status="${esc(t.status)}">${biStatus(t.status)}</div>
    ${windowBox}
    <dl class="card">
      <dt>${bi("事项", "Service")}</dt><dd>${bi(t.service_name, t.service_name_en)}</dd>
      <dt>${bi("功能区", "Area")}</dt><dd>${esc(t.zone_name)}</dd>
      ${
        t.status === "waiting"
          ? `<dt>${bi("前面还有", "Ahead of you")}</dt><dd data-testid="ahead">${
              t.waiting_ahead === null ? "—" : bi(`${t.waiting_ahead} 人`, `${t.waiting_ahead}`)
            }</dd>
             <dt>${bi("预计等候", "Estimated wait")}</dt><dd data-testid="eta">${eta}</dd>`
          : ""
      }
      <dt>${bi("取号时间", "Issued at")}</dt><dd>${esc(fmtTime(t.issued_at, TZ))}</dd>
      ${t.called_at ? `<dt>${bi("叫号时间", "Called at")}</dt><dd>${esc(fmtTime(t.called_at, TZ))}</dd>` : ""}
    </dl>
    ${
      t.status === "no_show"
        ? `<p class="result info">${bi("您已过号，请到咨询台或重新取号", "Your number was missed: ask at the information desk or take a new ticket")}</p>`
        : ""
    }`;
  if (t.status === "done" && !afterShown) {
    // Finished: the window's decision and the rating (shown once: the page stops polling now).
    afterShown = true;
    after.innerHTML = `${t.outcome ? outcomeHtml(t.outcome) : ""}<div data-testid="rating"></div>`;
    renderRating(after.querySelector('[data-testid="rating"]'), token, t.rating);
  }
}

document.addEventListener("visibilitychange", () => {
  if (!document.hidden && !(last && FINAL.has(last.status))) poll();
});
poll();
