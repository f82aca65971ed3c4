// Evaluation pad (好差评), facing the citizen at a window: after a ticket is finished at this window
// it offers the five levels; the bottom two ask for optional reasons. One evaluation per ticket
// (the server refuses a second one, and the pad says so); back to idle by itself.
import { enc, esc, get, pathParts, post } from "./api.js";
import { ensurePaired } from "./pairing.js";
import { bi, biDetail, initLang, langToggle, windowLabel } from "./i18n.js";
import { startHeartbeat } from "./heartbeat.js";
import { Live, connectionSign } from "./live.js";

initLang();
await ensurePaired("pad");
const [hall, windowCode] = pathParts("/ui/pad/");
const params = new URL(location.href).searchParams;
const IDLE_AFTER_MS = Number(params.get("idle_after") || 60) * 1000; // no touch → idle
const THANKS_MS = Number(params.get("thanks") || 5) * 1000;

const LEVELS = [
  [5, "非常满意", "Very satisfied", "★★★★★"],
  [4, "满意", "Satisfied", "★★★★"],
  [3, "基本满意", "Fairly satisfied", "★★★"],
  [2, "不满意", "Dissatisfied", "★★"],
  [1, "非常不满意", "Very dissatisfied", "★"],
];
const REASONS = [
  ["等候时间过长", "Waited too long"],
  ["服务态度不好", "Unfriendly service"],
  ["业务不熟练", "Clerk not proficient"],
  ["一次性告知不清楚", "Requirements not explained at once"],
  ["办事流程繁琐", "Procedure too complicated"],
  ["其他", "Other"],
];

const S = { ticket: null, level: null, sending: false, submittedFor: null };
let idleTimer = null;

const app = document.getElementById("app");
app.innerHTML = `
  <div class="pad">
    <header class="topbar"><h1 data-testid="title"></h1><span class="clerk-card" data-testid="clerk-card"></span></header>
    <div class="stage" data-testid="stage"></div>
  </div>`;
app.querySelector(".topbar").append(langToggle());
document.body.append(connectionSign());
const stage = app.querySelector('[data-testid="stage"]');
const [wzh, wen] = windowLabel(windowCode);
app.querySelector('[data-testid="title"]').innerHTML = bi(`${wzh} 服务评价`, `${wen} · Rate our service`);

function armIdle(ms = IDLE_AFTER_MS) {
  clearTimeout(idleTimer);
  idleTimer = setTimeout(idle, ms);
}

function idle() {
  clearTimeout(idleTimer);
  S.ticket = null;
  S.level = null;
  stage.dataset.screen = "idle";
  stage.innerHTML = `<div class="big-msg" data-testid="idle">${bi("欢迎办事，请对我们的服务进行监督", "Welcome. Please rate our service when you are done")}</div>
    <div class="muted">${bi("办结后可在此评价：非常满意 · 满意 · 基本满意 · 不满意 · 非常不满意", "After your service you can rate it here")}</div>`;
}

function ask(ticket) {
  S.ticket = ticket;
  S.level = null;
  stage.dataset.screen = "levels";
  stage.dataset.ticket = ticket.id;
  stage.innerHTML = `
    <h2>${bi(`${ticket.number} 号，请您对本次服务进行评价`, `Ticket ${ticket.number}: how was our service?`)}</h2>
    <div class="levels">${LEVELS.map(
      ([lv, zh, en, face]) =>
        `<button type="button" class="level" data-level="${lv}" data-testid="level-${lv}"><span class="face">${face}</span>${bi(zh, en)}</button>`,
    ).join("")}</div>
    <div class="reasons-box" data-testid="reasons" hidden>
      <p>${bi("请选择不满意的原因（可多选，可不选）", "What went wrong? (optional, several allowed)")}</p>
      <div class="reasons">${REASONS.map(
        ([zh, en], i) => `<label><input type="checkbox" value="${esc(zh)}" data-testid="reason-${i}"> ${bi(zh, en)}</label>`,
      ).join("")}</div>
      <p><button type="button" class="btn primary big" data-testid="submit-reasons">${bi("提交评价", "Submit")}</button></p>
    </div>
    <div class="result" data-testid="pad-result" hidden></div>`;
  for (const b of stage.querySelectorAll(".level")) {
    b.addEventListener("click", () => choose(Number(b.dataset.level)));
  }
  stage.querySelector('[data-testid="submit-reasons"]').addEventListener("click", () => submit());
  armIdle();
}

function choose(level) {
  if (S.sending) return;
  S.level = level;
  armIdle();
  for (const b of stage.querySelectorAll(".level")) b.classList.toggle("chosen", Number(b.dataset.level) === level);
  if (level <= 2) {
    stage.querySelector('[data-testid="reasons"]').hidden = false;
  } else {
    submit();
  }
}

async function submit() {
  if (!S.ticket || !S.level || S.sending) return;
  S.sending = true;
  const reasons = [...stage.querySelectorAll(".reasons input:checked")].map((i) => i.value);
  const ticket = S.ticket;
  try {
    await post(`/api/v1/tickets/${enc(ticket.id)}/evaluation`, { level: S.level, reasons });
    S.submittedFor = ticket.id;
    stage.dataset.screen = "thanks";
    stage.innerHTML = `<div class="big-msg" data-testid="thanks">${bi("感谢您的评价！", "Thank you for your rating!")}</div>`;
    armIdle(THANKS_MS);
  } catch (err) {
    if (err.status === 0) {
      const r = stage.querySelector('[data-testid="pad-result"]');
      r.hidden = false;
      r.className = "result error";
      r.innerHTML = biDetail(err.detail);
      armIdle();
    } else {
      stage.dataset.screen = "refused";
      stage.innerHTML = `<div class="result error big-msg" data-testid="refused">${biDetail(err.detail)}</div>`;
      armIdle(THANKS_MS);
    }
  } finally {
    S.sending = false;
  }
}

// Who serves here (name and staff number): the citizen rates a person they can name.
const card = app.querySelector('[data-testid="clerk-card"]');
async function showClerk() {
  try {
    const c = await get(`/api/v1/halls/${enc(hall)}/windows/${enc(windowCode)}/clerk`);
    card.innerHTML = c.name
      ? bi(`工作人员：${esc(c.name)}${c.staff_no ? `　工号：${esc(c.staff_no)}` : ""}`, `Served by ${esc(c.name)}${c.staff_no ? ` (No. ${esc(c.staff_no)})` : ""}`)
      : bi("本窗口暂无工作人员", "No clerk at this window now");
  } catch {
    card.textContent = "";
  }
}
showClerk();

const live = new Live({
  hall,
  onSnapshot() {},
  onEvent(ev) {
    const p = ev.payload || {};
    if (ev.type === "window.changed" && p.window === windowCode) showClerk();
    if (ev.type === "ticket.finished" && p.window === windowCode) {
      ask({ id: p.ticket_id, number: p.number });
    } else if (ev.type === "ticket.called" && p.window === windowCode && stage.dataset.screen === "levels") {
      idle(); // the next citizen is at the window
    } else if (ev.type === "ticket.evaluated" && S.ticket && p.ticket_id === S.ticket.id && S.submittedFor !== p.ticket_id) {
      stage.dataset.screen = "thanks";
      stage.innerHTML = `<div class="big-msg" data-testid="already">${bi("本次服务已评价，谢谢！", "This service has been rated. Thank you!")}</div>`;
      armIdle(THANKS_MS);
    }
  },
});
window.__hq = { live, state: S };

idle();
const manual = params.get("ticket");
if (manual) {
  // Staff can bring up the rating of a given ticket (e.g. after the pad was off).
  get(`/api/v1/tickets/${enc(manual)}`)
    .then((t) => ask({ id: t.id, number: t.number }))
    .catch((err) => {
      if (err.status === 401 || err.status === 403) {
        ask({ id: Number(manual), number: `#${manual}` }); // a pad may rate but not read tickets
        return;
      }
      stage.innerHTML = `<div class="result error" data-testid="refused">${biDetail(err.detail)}</div>`;
      armIdle(THANKS_MS);
    });
}
live.start();
startHeartbeat(() => ({ page: "pad", window: windowCode }));
