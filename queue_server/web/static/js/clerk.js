// Clerk terminal at a window: sign in, choose the window, then call and serve tickets.
// Shortcuts: N call next · R recall · S start · F finish · X no-show · T transfer · P pause/resume.
import { ApiError, enc, esc, get, post } from "./api.js";
import { bi, biMinutes, biState, biStatus, fmtTime, windowLabel } from "./i18n.js";
import { applyEvent } from "./hallstate.js";
import { Live } from "./live.js";
import { createShell } from "./shell.js";
import { debounce, showError, showResult } from "./ui.js";

const params = new URL(location.href).searchParams;
const PLACE_KEY = "hq.clerk.place";
// hallView: the hall's public view (its priority classes, its missed-call rule), read on entering.
const S = { hall: null, window: null, snap: null, hallView: null, guides: new Map(), busy: false, live: null };

const shell = createShell({
  page: "clerk",
  title: ["窗口工作台", "Clerk terminal"],
  signInTitle: ["窗口人员登录", "Clerk sign-in"],
  tz: () => S.snap?.hall?.timezone || "Asia/Shanghai",
});
const { app, body } = shell;
shell.onSignOut(async () => {
  // leave the window before the session ends; the next clerk chooses again
  if (S.hall && S.window) await post(`/api/v1/halls/${enc(S.hall)}/windows/${enc(S.window)}/sign-out`, {});
  localStorage.removeItem(PLACE_KEY);
});

async function start() {
  await shell.signIn();
  const saved = (localStorage.getItem(PLACE_KEY) || "/").split("/");
  const hall = params.get("hall") || saved[0];
  const win = params.get("window") || saved[1];
  if (hall && win) return enter(hall, win);
  return choose(hall);
}

/** Choose the hall and the window. */
async function choose(hallCode) {
  body.innerHTML = `<div class="card" style="margin:1em"><div data-testid="choose"></div><div class="result" hidden></div></div>`;
  const box = body.querySelector('[data-testid="choose"]');
  try {
    const mineHalls = await shell.halls();
    const hall = hallCode || (mineHalls.length === 1 ? mineHalls[0].code : "");
    if (!hall) {
      box.innerHTML = `<h2>${bi("选择大厅", "Choose the hall")}</h2><div class="window-choice">${mineHalls
        .map((h) => `<button class="btn big" data-hall="${esc(h.code)}">${bi(h.name, h.name_en)}</button>`)
        .join("")}</div>`;
      for (const b of box.querySelectorAll("[data-hall]")) b.addEventListener("click", () => choose(b.dataset.hall));
      return;
    }
    const wins = await get(`/api/v1/halls/${enc(hall)}/windows`);
    box.innerHTML = `<h2>${bi("选择您的窗口", "Choose your window")}</h2><div class="window-choice">${wins
      .map(
        (w) => `<button class="btn big window-pick state-${esc(w.state)}" data-testid="choose-window-${esc(w.code)}" data-window="${esc(w.code)}">
          <span class="name">${esc(w.name)}</span><span class="name-en">${esc(w.name_en || windowLabel(w.code)[1])}</span>
          <small>${biState(w.state)}${w.clerk ? ` · ${bi("已有人员签到", "someone signed in")}` : ""}</small></button>`,
      )
      .join("")}</div>`;
    for (const b of box.querySelectorAll("[data-window]")) b.addEventListener("click", () => enter(hall, b.dataset.window));
  } catch (err) {
    showError(body.querySelector(".result"), err);
  }
}

async function enter(hall, win) {
  S.hall = hall;
  S.window = win;
  localStorage.setItem(PLACE_KEY, `${hall}/${win}`);
  try {
    await post(`/api/v1/halls/${enc(hall)}/windows/${enc(win)}/sign-in`, {});
  } catch (err) {
    // say why (e.g. another clerk is signed in there), but keep showing the window
    layout();
    showError(resultEl(), err);
  }
  if (!body.querySelector('[data-testid="actions"]')) layout();
  await loadHallView();
  S.live = new Live({
    hall,
    onSnapshot: (snap) => {
      S.snap = snap;
      render();
    },
    onEvent,
  });
  window.__hq = { live: S.live, state: S };
  S.live.start();
  shell.ready(hall);
}

/** The hall's priority classes and whether it lets a missed ticket rejoin: the server's, not this page's. */
async function loadHallView() {
  try {
    S.hallView = await get(`/api/v1/halls/${enc(S.hall)}`);
  } catch {
    S.hallView = null; // without it the two actions stay hidden
  }
  const rejoin = body.querySelector('[data-testid="btn-rejoin"]');
  if (rejoin) rejoin.hidden = !S.hallView?.reactivate_min;
}

/** Each event applied as it comes (the snapshot is read again only on a resync, by `Live`). */
function onEvent(ev) {
  if (!S.snap) return;
  const before = me()?.can_call;
  if (ev.type === "catalogue.changed") loadHallView(); // the hall file was imported again
  const r = applyEvent(S.snap, ev, S.live.serverNow());
  if (r.resync) {
    S.live.resync();
    return;
  }
  const w = me();
  const p = ev.payload || {};
  const mine = w && (w.can_call !== before || ev.window === w.code || w.skills.some((k) => k.service === p.service));
  if (r.queues && mine && (ev.type === "queue.changed" || ev.type === "window.changed")) refreshQueue();
  if (r.render) render();
}

// The list of the next tickets is the routing rule's, computed by the server: ask for this window's
// view (not the hall's snapshot) when an event may have changed it; the count came with the event.
const refreshQueue = debounce(async () => {
  try {
    const view = await get(`/api/v1/halls/${enc(S.hall)}/windows/${enc(S.window)}`);
    const w = me();
    if (w) {
      w.queue = view.queue;
      w.queue_at = Date.now();
      render();
    }
  } catch {
    /* the connection sign shows the problem */
  }
}, 100);

const ACTIONS = [
  ["call", "N", "叫号", "Call next", "primary call"],
  ["recall", "R", "重呼", "Recall", ""],
  ["start", "S", "开始办理", "Start", ""],
  ["finish", "F", "办结", "Finish", "ok"],
  ["no-show", "X", "过号", "No-show", "danger"],
  ["transfer", "T", "转办", "Transfer", ""],
  ["pause", "P", "暂停", "Pause", ""],
];

function layout() {
  body.innerHTML = `
    <main>
      <section>
        <div class="card current-ticket" data-testid="current"></div>
        <div class="actions" data-testid="actions">${ACTIONS.map(
          ([a, key, zh, en, cls]) =>
            `<button type="button" class="btn big ${cls}" data-action="${a}" data-testid="btn-${a}" title="${key}">
              <span data-role="label">${bi(zh, en)}</span><kbd>${key}</kbd></button>`,
        ).join("")}</div>
        <div class="result" data-testid="result" hidden></div>
        <div class="card notice" data-testid="notice" hidden></div>
      </section>
      <aside>
        <div class="card" data-testid="window-info"></div>
        <div class="card" style="margin-top:1em">
          <h3>${bi("本窗口的队列", "This window's queue")}</h3>
          <div data-testid="queue"></div>
        </div>
        <p class="aside-actions">
          <button type="button" class="btn" data-testid="btn-rejoin" hidden>${bi("过号恢复", "Rejoin a missed ticket")}</button>
          <button type="button" class="btn" data-testid="change-window">${bi("更换窗口", "Change window")}</button></p>
      </aside>
    </main>
    <dialog data-testid="transfer-dialog"></dialog>
    <dialog data-testid="priority-dialog"></dialog>
    <dialog data-testid="rejoin-dialog"></dialog>`;
  body.querySelector('[data-testid="btn-rejoin"]').addEventListener("click", openRejoin);
  body.querySelector('[data-testid="queue"]').addEventListener("click", (e) => {
    const b = e.target.closest("[data-give-priority]");
    if (b) openPriority(Number(b.dataset.givePriority));
  });
  for (const b of body.querySelectorAll("[data-action]")) b.addEventListener("click", () => act(b.dataset.action));
  body.querySelector('[data-testid="change-window"]').addEventListener("click", async () => {
    await post(`/api/v1/halls/${enc(S.hall)}/windows/${enc(S.window)}/sign-out`, {}).catch(() => null); // not signed in: fine
    localStorage.removeItem(PLACE_KEY);
    location.href = "/ui/clerk";
  });
}

function resultEl() {
  return body.querySelector('[data-testid="result"]');
}

function me() {
  return S.snap?.windows.find((w) => w.code === S.window);
}

function service(code) {
  return S.snap?.services.find((s) => s.code === code);
}

function render() {
  const w = me();
  if (!w) {
    body.querySelector('[data-testid="current"]').innerHTML = bi("没有这个窗口", "No such window");
    return;
  }
  const tz = S.snap.hall.timezone;
  const wen = windowLabel(w.code)[1];
  shell.setTitle(bi(w.name, w.name_en || `${wen}`));
  const cur = w.current;
  const cardEl = body.querySelector('[data-testid="current"]');
  if (cur) {
    const sv = service(cur.service);
    cardEl.innerHTML = `
      <div class="muted">${bi("当前号票", "Current ticket")}</div>
      <div class="num" data-testid="current-number">${esc(cur.number)}</div>
      <div><span class="badge" data-testid="current-status" data-status="${esc(cur.status)}">${biStatus(cur.status)}</span>
        ${classMark(cur.priority_class)}
        ${cur.recall_count ? bi(`已重呼 ${cur.recall_count} 次`, `recalled ${cur.recall_count}×`) : ""}
        <span class="muted">${bi("叫号", "called")} ${esc(fmtTime(cur.called_at, tz, true))}</span></div>
      <div style="font-size:1.3rem;margin-top:.3em">${sv ? bi(sv.name, sv.name_en) : esc(cur.service)}</div>`;
    showNotice(cur.service);
  } else {
    cardEl.innerHTML = `<div class="muted">${bi("当前号票", "Current ticket")}</div>
      <div class="num muted" data-testid="current-number">—</div><div data-testid="free-state">${freeText(w)}</div>`;
    body.querySelector('[data-testid="notice"]').hidden = true;
  }
  const enabled = allowed(w);
  for (const b of body.querySelectorAll("[data-action]")) b.disabled = S.busy || !enabled[b.dataset.action];
  body.querySelector('[data-testid="btn-pause"] [data-role="label"]').innerHTML =
    w.state === "open" ? bi("暂停", "Pause") : bi("恢复", "Resume");
  renderInfo(w);
  renderQueue(w);
}

/** What a window without a ticket can do now, in the words of the buttons it enables. */
function freeText(w) {
  if (w.state === "paused") return bi("已暂停：按“恢复”后才能叫号", "Paused: press Resume to call again");
  if (w.state === "closed") return bi("窗口已关闭，请联系大厅管理员开放", "Closed: a hall manager opens it");
  if (!w.can_call) return bi("空闲，暂无等候本窗口的群众", "Free: nobody is waiting for this window");
  return bi(`空闲，可叫号（等候 ${w.can_call} 人）`, `Free: ${w.can_call} waiting, call the next`);
}

function renderInfo(w) {
  const codes = new Set(w.skills.map((s) => s.service));
  const backups = S.snap.windows.filter(
    (o) => o.code !== w.code && o.state === "open" && o.skills.some((s) => codes.has(s.service)),
  );
  body.querySelector('[data-testid="window-info"]').innerHTML = `
    <div><span class="badge state-${esc(w.state)}" data-testid="window-state" data-state="${esc(w.state)}">${biState(w.state)}</span>
      ${w.clerk ? `<span class="muted" data-testid="window-clerk">${bi("签到", "Signed in")}: ${esc(w.clerk)}</span>` : ""}</div>
    <div class="muted" style="margin-top:.4em">${
      backups.length
        ? bi(
            `暂停时由 ${backups.map((b) => windowLabel(b.code)[0]).join("、")} 顶岗`,
            `When paused, covered by ${backups.map((b) => windowLabel(b.code)[1]).join(", ")}`,
          )
        : bi("暂停时没有其他窗口可顶岗", "No other window covers this one when paused")
    }</div>`;
}

function renderQueue(w) {
  // The order is the server's (the routing rule Call next uses): this page never ranks tickets.
  const now = Date.parse(S.snap.generated_at);
  const rows = (w.queue || []).map((t) => ({ ...t, sv: service(t.service), waited: (now - Date.parse(t.wait_since)) / 60000 }));
  const perItem = w.skills
    .map((sk) => ({ sk, sv: service(sk.service) }))
    .map(
      ({ sk, sv }) =>
        `<tr data-testid="queue-item" data-service="${esc(sk.service)}"><td>${sv ? bi(sv.name, sv.name_en) : esc(sk.service)}</td>
          <td style="white-space:nowrap">${sk.level === 1 ? bi("主岗", "primary") : bi(`B岗${sk.level}`, `backup ${sk.level}`)}</td>
          <td class="num">${sv?.waiting ?? 0}</td>
          <td class="${sv?.over_threshold ? "escalated" : ""}">${sv?.waiting ? biMinutes(sv.longest_wait_min) : ""}</td></tr>`,
    )
    .join("");
  body.querySelector('[data-testid="queue"]').innerHTML = `
    <table><thead><tr><th>${bi("事项", "Item")}</th><th>${bi("岗位", "Post")}</th><th>${bi("等候", "Waiting")}</th><th>${bi("最长", "Longest")}</th></tr></thead>
      <tbody>${perItem}</tbody></table>
    <h3 style="margin-top:.8em">${bi("即将叫到（按叫号规则）", "Next up (by the routing rule)")}
      <span class="muted" data-testid="can-call" data-count="${w.can_call ?? 0}">${bi(`共 ${w.can_call ?? 0} 人`, `${w.can_call ?? 0} in all`)}</span></h3>
    ${
      rows.length
        ? `<table class="queue-list"><tbody>${rows
            .map(
              (t) => `<tr data-testid="queue-ticket" data-number="${esc(t.number)}"><td class="num">${esc(t.number)}</td>
                <td>${t.sv ? bi(t.sv.name, t.sv.name_en) : esc(t.service)}</td>
                <td class="${t.escalated ? "escalated" : ""}" style="white-space:nowrap">${biMinutes(t.waited)}</td>
                <td>${classMark(t.priority_class)}${t.target_window ? ` <span class="badge" data-testid="mark-transfer">${bi("转入", "transferred")}</span>` : ""}${priorityButton(t)}</td></tr>`,
            )
            .join("")}</tbody></table>${w.can_call > rows.length ? `<div class="muted">+${w.can_call - rows.length}</div>` : ""}`
        : `<p class="muted" data-testid="queue-empty">${bi("暂无等候", "Nobody waiting")}</p>`
    }`;
}

/** "Give priority" on a waiting ticket not yet in the priority lane, when the hall has classes to give. */
function priorityButton(t) {
  if (t.priority_class === "priority" || !S.hallView?.priority_classes?.length) return "";
  return `<button type="button" class="btn small" data-give-priority="${esc(t.id)}" data-testid="give-priority">${bi("设为优先", "Give priority")}</button>`;
}

/** The ticket's class as a mark a clerk sees at a glance (the server sets `priority_class`). */
function classMark(cls) {
  if (cls === "priority") return `<span class="badge mark-priority" data-testid="mark-priority">${bi("优先", "Priority")}</span>`;
  if (cls === "appointment") return `<span class="badge mark-appointment" data-testid="mark-appointment">${bi("预约", "Appointment")}</span>`;
  return "";
}

async function showNotice(code) {
  const el = body.querySelector('[data-testid="notice"]');
  let guide = S.guides.get(code);
  if (!guide) {
    try {
      guide = await get(`/api/v1/halls/${enc(S.hall)}/services/${enc(code)}`);
      S.guides.set(code, guide);
    } catch {
      return;
    }
  }
  if (me()?.current?.service !== code) return;
  const req = { required: ["必交", "required"], optional: ["视情形", "if applicable"], later: ["容缺，可后补", "may follow later"] };
  el.hidden = false;
  el.innerHTML = `<h3>${bi("一次性告知：所需材料", "One-time notice: required materials")}</h3>
    <ol>${(guide.materials || [])
      .map((m) => {
        const [zh, en] = req[m.requirement] || [m.requirement, m.requirement];
        return `<li class="req-${esc(m.requirement)}">${esc(m.name)} ×${esc(m.copies)}（${esc({ original: "原件", copy: "复印件", original_and_copy: "原件及复印件", electronic: "电子件" }[m.form] || m.form)}）
          <span class="badge">${bi(zh, en)}</span>${m.note ? ` <span class="muted">${esc(m.note)}</span>` : ""}</li>`;
      })
      .join("")}</ol>
    <div class="muted">${bi(`承诺时限 ${guide.promised_days} 个工作日 · 收费：${guide.fee}`, `Promised within ${guide.promised_days} working days · Fee: ${guide.fee}`)}</div>`;
}

/** What the buttons allow in the window's state (the server refuses the rest in words). */
function allowed(w) {
  const status = w.current?.status;
  return {
    call: !w.current && w.state === "open", // the server answers "nobody waiting" in words
    recall: status === "called",
    start: status === "called",
    finish: status === "serving",
    "no-show": status === "called",
    transfer: status === "called" || status === "serving",
    pause: w.state !== "closed", // a closed window is the manager's to open
  };
}

// A key pressed while the last action is still on its way (its event can show the new state before
// its answer arrives) is done right after it, not dropped: the last one pressed counts.
let pendingAction = null;

async function act(action) {
  if (!S.snap) return;
  if (S.busy) {
    pendingAction = action;
    return;
  }
  const w = me();
  const cur = w?.current;
  const res = resultEl();
  if (action === "transfer") return openTransfer();
  S.busy = true;
  render();
  try {
    if (action === "call") {
      const t = await post(`/api/v1/halls/${enc(S.hall)}/windows/${enc(S.window)}/call-next`, {});
      if (t === null) showResult(res, "info", bi("当前没有等候本窗口的号票", "Nobody is waiting for this window"));
      else showResult(res, "ok", bi(`已叫号 ${t.number}`, `Called ${t.number}`));
    } else if (action === "pause") {
      const next = w.state === "open" ? "paused" : "open";
      await post(`/api/v1/halls/${enc(S.hall)}/windows/${enc(S.window)}/${next === "paused" ? "pause" : "resume"}`, {});
      showResult(res, "ok", next === "paused" ? bi("窗口已暂停，由顶岗窗口接续", "Window paused; backup posts take over") : bi("窗口已恢复服务", "Window open again"));
    } else {
      if (!cur) throw new ApiError(409, "当前没有号票 / there is no current ticket");
      await post(`/api/v1/tickets/${enc(cur.id)}/${action}`, {});
      const done = {
        recall: ["已重呼", "Recalled"],
        start: ["开始办理", "Started"],
        finish: ["已办结", "Finished"],
        "no-show": ["已过号", "Marked as no-show"],
      }[action];
      showResult(res, "ok", bi(`${cur.number} ${done[0]}`, `${cur.number}: ${done[1]}`));
    }
  } catch (err) {
    showError(res, err);
  } finally {
    S.busy = false;
  }
  render(); // what the action changed arrives as events
  const next = pendingAction;
  pendingAction = null;
  if (next && me() && allowed(me())[next]) act(next); // e.g. a second N after a call is not a second call
}

// Reasons a clerk picks from (the audit log keeps the text); "other" needs the clerk's own words.
const TRANSFER_REASONS = [
  ["事项选错", "wrong item chosen"],
  ["需其他部门办理", "another department handles it"],
  ["材料需其他窗口核验", "materials checked at another window"],
  ["联办事项，转下一环节", "joint procedure: next step"],
];

/** The reason text from the dialog: the picked reason plus any details, or "" when incomplete. */
function transferReason(fd) {
  const pick = fd.get("reason_pick");
  const text = String(fd.get("reason_text") || "").trim();
  if (pick === null) return "";
  if (pick === "other") return text;
  const base = TRANSFER_REASONS[Number(pick)][0];
  return text ? `${base}：${text}` : base;
}

function openTransfer() {
  const w = me();
  const cur = w?.current;
  const res = resultEl();
  if (!cur) {
    showResult(res, "error", bi("当前没有可转办的号票", "There is no ticket to transfer"));
    return;
  }
  const dlg = body.querySelector('[data-testid="transfer-dialog"]');
  const byZone = new Map();
  for (const s of S.snap.services) {
    if (!byZone.has(s.zone)) byZone.set(s.zone, []);
    byZone.get(s.zone).push(s);
  }
  const zoneName = (k) => S.snap.zones.find((z) => z.key === k)?.name || k;
  dlg.innerHTML = `
    <form method="dialog" data-testid="transfer-form" novalidate>
      <h2>${bi(`转办 ${cur.number}`, `Transfer ${cur.number}`)}</h2>
      <label>${bi("转到事项（可不选）", "To item (optional)")}
        <select name="service" data-testid="transfer-service"><option value="">—</option>${[...byZone.entries()]
          .map(
            ([z, list]) =>
              `<optgroup label="${esc(zoneName(z))}">${list.map((s) => `<option value="${esc(s.code)}">${esc(s.name)}</option>`).join("")}</optgroup>`,
          )
          .join("")}</select></label>
      <label>${bi("转到窗口（可不选）", "To window (optional)")}
        <select name="window" data-testid="transfer-window"><option value="">—</option>${S.snap.windows
          .filter((o) => o.code !== w.code)
          .map((o) => `<option value="${esc(o.code)}">${esc(o.name)}</option>`)
          .join("")}</select></label>
      <fieldset class="reasons" data-testid="transfer-reasons"><legend>${bi("原因（必选）", "Reason (required)")}</legend>
        ${TRANSFER_REASONS.map(
          ([zh, en], i) => `<label class="reason"><input type="radio" name="reason_pick" value="${i}" data-testid="transfer-reason-${i}"> ${bi(zh, en)}</label>`,
        ).join("")}
        <label class="reason"><input type="radio" name="reason_pick" value="other" data-testid="transfer-reason-other"> ${bi("其他（请说明）", "Other (explain)")}</label>
        <input name="reason_text" maxlength="200" data-testid="transfer-reason" placeholder="补充说明（选“其他”时必填）/ details (required for Other)">
      </fieldset>
      <div class="result" hidden></div>
      <div style="display:flex;gap:.6em;justify-content:flex-end">
        <button class="btn" value="cancel" formnovalidate data-testid="transfer-cancel">${bi("取消", "Cancel")}</button>
        <button class="btn primary" value="ok" data-testid="transfer-submit">${bi("转办", "Transfer")}</button>
      </div>
    </form>`;
  const form = dlg.querySelector("form");
  form.addEventListener("change", () => (form.querySelector(".result").hidden = true)); // a fixed mistake stops showing
  form.addEventListener("submit", async (e) => {
    if (e.submitter?.value !== "ok") return;
    e.preventDefault();
    const fd = new FormData(form);
    const reason = transferReason(fd);
    const problem = !fd.get("service") && !fd.get("window")
      ? bi("请选择要转到的事项或窗口", "Choose the item or the window to transfer to")
      : reason
        ? ""
        : fd.get("reason_pick") === "other" || fd.get("reason_pick") === null
          ? bi("请选择转办原因；选“其他”时请填写说明", "Choose a reason; for Other, write it")
          : "";
    if (problem) {
      showResult(form.querySelector(".result"), "error", `<strong>✖</strong> ${problem}`);
      return;
    }
    const bodyJson = { reason };
    if (fd.get("service")) bodyJson.service = String(fd.get("service"));
    if (fd.get("window")) bodyJson.window = String(fd.get("window"));
    try {
      const t = await post(`/api/v1/tickets/${enc(cur.id)}/transfer`, bodyJson);
      dlg.close();
      const [wzh, wen] = t.target_window ? windowLabel(t.target_window) : ["", ""];
      showResult(res, "ok", bi(`${cur.number} 已转办至 ${t.service_name}${wzh ? `（${wzh}）` : ""}`, `${cur.number} transferred to ${t.service_name_en || t.service}${wen ? ` (${wen})` : ""}`));
    } catch (err) {
      showError(form.querySelector(".result"), err);
    }
  });
  dlg.showModal();
}

/** Give a waiting ticket one of the hall's priority classes, with a reason (the server audits it). */
function openPriority(ticketId) {
  const t = (me()?.queue || []).find((x) => x.id === ticketId);
  const classes = S.hallView?.priority_classes || [];
  if (!t || !classes.length) return;
  const res = resultEl();
  const dlg = body.querySelector('[data-testid="priority-dialog"]');
  dlg.innerHTML = `
    <form method="dialog" data-testid="priority-form" novalidate>
      <h2>${bi(`设为优先：${esc(t.number)}`, `Give priority: ${esc(t.number)}`)}</h2>
      <fieldset class="reasons" data-testid="priority-classes"><legend>${bi("优先类别（必选）", "Priority class (required)")}</legend>
        ${classes
          .map(
            (c) => `<label class="reason"><input type="radio" name="kind" value="${esc(c.key)}" data-testid="priority-kind-${esc(c.key)}"> ${bi(c.name, c.name_en)}</label>`,
          )
          .join("")}
      </fieldset>
      <label>${bi("原因（必填，记入审计日志）", "Reason (required, kept in the audit log)")}
        <input name="reason" maxlength="200" data-testid="priority-reason" placeholder="如：出示残疾人证 / e.g. showed a disability card"></label>
      <div class="result" hidden></div>
      <div class="dialog-buttons">
        <button class="btn" value="cancel" formnovalidate data-testid="priority-cancel">${bi("取消", "Cancel")}</button>
        <button class="btn primary" value="ok" data-testid="priority-submit">${bi("确认优先", "Give priority")}</button>
      </div>
    </form>`;
  const form = dlg.querySelector("form");
  const out = form.querySelector(".result");
  form.addEventListener("input", () => (out.hidden = true)); // a fixed mistake stops showing
  form.addEventListener("submit", async (e) => {
    if (e.submitter?.value !== "ok") return;
    e.preventDefault();
    const fd = new FormData(form);
    const kind = fd.get("kind");
    const reason = String(fd.get("reason") || "").trim();
    const problem = !kind
      ? bi("请选择优先类别", "Choose the priority class")
      : !reason
        ? bi("请填写给予优先的原因", "Write the reason for the priority")
        : "";
    if (problem) {
      showResult(out, "error", `<strong>✖</strong> ${problem}`);
      return;
    }
    try {
      const done = await post(`/api/v1/halls/${enc(S.hall)}/tickets/${enc(t.id)}/priority`, { kind: String(kind), reason });
      dlg.close();
      showResult(res, "ok", bi(`${done.number} 已设为优先（${done.priority_name}）`, `${done.number} now has priority (${done.priority_name_en})`));
      refreshQueue(); // the call order is the server's: the events say so too
    } catch (err) {
      showError(out, err);
    }
  });
  dlg.showModal();
  form.querySelector("input[name=kind]").focus();
}

/** This window's missed tickets (过号) that the hall's rule still lets rejoin, as the server lists them. */
async function openRejoin() {
  const res = resultEl();
  const dlg = body.querySelector('[data-testid="rejoin-dialog"]');
  const rule = S.hallView ? bi(S.hallView.missed_call_rule, S.hallView.missed_call_rule_en) : "";
  dlg.innerHTML = `
    <form method="dialog" data-testid="rejoin-form">
      <h2>${bi("过号恢复", "Rejoin a missed ticket")}</h2>
      <p class="muted" data-testid="rejoin-rule">${rule}</p>
      <div data-testid="rejoin-list">${bi("正在读取…", "Loading…")}</div>
      <div class="result" hidden></div>
      <div class="dialog-buttons"><button class="btn" value="cancel" data-testid="rejoin-close">${bi("关闭", "Close")}</button></div>
    </form>`;
  const list = dlg.querySelector('[data-testid="rejoin-list"]');
  const out = dlg.querySelector(".result");
  dlg.showModal();
  let missed = [];
  try {
    missed = await get(`/api/v1/halls/${enc(S.hall)}/windows/${enc(S.window)}/missed`);
  } catch (err) {
    list.innerHTML = "";
    showError(out, err);
    return;
  }
  const tz = S.snap?.hall?.timezone || "Asia/Shanghai";
  list.innerHTML = missed.length
    ? `<table class="queue-list"><tbody>${missed
        .map(
          (m) => `<tr data-testid="missed-ticket" data-number="${esc(m.number)}"><td class="num">${esc(m.number)}</td>
            <td>${bi(m.service_name, m.service_name_en)}</td>
            <td class="muted">${bi(`可恢复至 ${esc(fmtTime(m.rejoin_until, tz))}`, `until ${esc(fmtTime(m.rejoin_until, tz))}`)}</td>
            <td><button type="button" class="btn ok" data-rejoin="${esc(m.id)}" data-testid="rejoin-${esc(m.number)}">${bi("恢复排队", "Rejoin")}</button></td></tr>`,
        )
        .join("")}</tbody></table>`
    : `<p class="muted" data-testid="rejoin-empty">${bi("本窗口没有可恢复的过号号票", "No missed ticket of this window can rejoin now")}</p>`;
  for (const b of list.querySelectorAll("[data-rejoin]")) {
    b.addEventListener("click", async () => {
      try {
        const t = await post(`/api/v1/halls/${enc(S.hall)}/reactivations`, { ticket_id: Number(b.dataset.rejoin) });
        dlg.close();
        showResult(res, "ok", bi(`${t.number} 已恢复排队`, `${t.number} is back in the queue`));
        refreshQueue();
      } catch (err) {
        showError(out, err); // the server's sentence (e.g. too late), in both languages
        if (err.status === 409) b.closest("tr").remove(); // the server says it cannot rejoin: not offered again
      }
    });
  }
}

document.addEventListener("keydown", (e) => {
  if (!S.snap || e.ctrlKey || e.metaKey || e.altKey) return;
  if (e.target.closest?.("input, select, textarea, dialog")) return;
  const found = ACTIONS.find(([, key]) => key === e.key.toUpperCase());
  if (found) {
    e.preventDefault();
    act(found[0]);
  }
});

start();
