// Manager console: the live floor (zones → windows), reassigning windows, closures, notices (公告, in
// notices.js), device health, audit trail.
import { api, enc, esc, get, patch, post } from "./api.js";
import { bi, biMinutes, biState, biStatus, fmtDateTime, fmtTime, windowLabel } from "./i18n.js";
import { applyEvent, waitFigures } from "./hallstate.js";
import { Live } from "./live.js";
import { createShell } from "./shell.js";
import { showError, showResult } from "./ui.js";

const params = new URL(location.href).searchParams;
const HALL_KEY = "hq.manager.hall";
const S = { hall: params.get("hall") || "", snap: null, devices: new Map(), tab: "floor", live: null };
const tz = () => S.snap?.hall?.timezone || "Asia/Shanghai";
const shell = createShell({
  page: "manager",
  title: ["大厅管理", "Manager console"],
  signInTitle: ["管理人员登录", "Manager sign-in"],
  tz,
  seconds: true,
});
const { app, body } = shell;

/** The hall to manage: the address's, the last one chosen, or the user's only hall; else ask. */
async function chooseHall() {
  let halls;
  try {
    halls = await shell.halls();
  } catch (err) {
    body.innerHTML = `<div class="result error"></div>`;
    showError(body.firstChild, err);
    return "";
  }
  const codes = halls.map((h) => h.code);
  const wanted = S.hall || localStorage.getItem(HALL_KEY) || "";
  if (codes.includes(wanted)) return wanted;
  if (halls.length === 1) return halls[0].code;
  body.innerHTML = halls.length
    ? `<div class="card choose-hall"><h2>${bi("选择大厅", "Choose the hall")}</h2><div class="window-choice">${halls
        .map((h) => `<button class="btn big" data-hall="${esc(h.code)}" data-testid="choose-hall-${esc(h.code)}">${bi(h.name, h.name_en)}</button>`)
        .join("")}</div></div>`
    : `<div class="result error">${bi("您的账号没有可管理的大厅，请联系系统管理员", "Your account manages no hall: ask the system administrator")}</div>`;
  return new Promise((resolve) => {
    for (const b of body.querySelectorAll("[data-hall]")) b.addEventListener("click", () => resolve(b.dataset.hall));
  });
}

async function start() {
  await shell.signIn();
  S.hall = await chooseHall();
  if (!S.hall) return;
  localStorage.setItem(HALL_KEY, S.hall);
  body.innerHTML = `
    <main>
      <nav class="tabs" role="tablist">
        <button class="btn" data-tab="floor" data-testid="tab-floor">${bi("实时大厅", "Live floor")}</button>
        <button class="btn" data-tab="closures" data-testid="tab-closures">${bi("停办安排", "Closures")}</button>
        <button class="btn" data-tab="notices" data-testid="tab-notices">${bi("公告", "Notices")}</button>
        <button class="btn" data-tab="devices" data-testid="tab-devices">${bi("设备状态", "Devices")}</button>
        <button class="btn" data-tab="audit" data-testid="tab-audit">${bi("操作日志", "Audit trail")}</button>
        <a class="btn supervision-link" href="/ui/supervision?hall=${enc(S.hall)}" data-testid="supervision-link">${bi("督查：告警·整改·报表", "Supervision")}</a>
      </nav>
      <div class="result" data-testid="result" hidden></div>
      <section data-panel="floor"><div data-testid="summary"></div><div class="zones" data-testid="zones"></div></section>
      <section data-panel="closures" hidden>
        <form class="card" data-testid="closure-form" style="display:flex;gap:.6em;flex-wrap:wrap;align-items:end">
          <label>${bi("范围", "What closes")}<br><select name="scope" data-testid="closure-scope">
            <option value="hall">整个大厅 / whole hall</option><option value="zone">一个区域 / one zone</option>
            <option value="service">一个事项 / one item</option></select></label>
          <label data-for="zone" hidden>${bi("区域", "Zone")}<br><select name="zone" data-testid="closure-zone"></select></label>
          <label data-for="service" hidden>${bi("事项", "Item")}<br><select name="service" data-testid="closure-service"></select></label>
          <label>${bi("开始（大厅当地时间）", "From (hall time)")}<br><input name="starts_at" type="datetime-local" required data-testid="closure-from"></label>
          <label>${bi("结束", "Until")}<br><input name="ends_at" type="datetime-local" required data-testid="closure-to"></label>
          <label>${bi("原因（中文）", "Reason (Chinese)")}<br><input name="reason" required maxlength="120" data-testid="closure-reason"></label>
          <label>${bi("原因（英文）", "Reason (English)")}<br><input name="reason_en" required maxlength="200" data-testid="closure-reason-en"></label>
          <button class="btn primary" data-testid="closure-add">${bi("添加停办", "Add closure")}</button>
        </form>
        <div class="card" data-testid="closures" style="margin-top:1em"></div>
      </section>
      <section data-panel="notices" hidden><div data-slot="notices"></div></section>
      <section data-panel="devices" hidden><div class="card" data-testid="devices"></div></section>
      <section data-panel="audit" hidden>
        <form class="card" data-testid="audit-form" style="display:flex;gap:.6em;flex-wrap:wrap;align-items:end">
          <label>${bi("关键字（号码、人员、操作）", "Text (number, person, action)")}<br><input name="q" data-testid="audit-q" size="20"></label>
          <label>${bi("类别", "Kind")}<br><select name="action" data-testid="audit-action">
            <option value="">全部 / all</option><option value="ticket.">号票 / tickets</option>
            <option value="window.">窗口 / windows</option><option value="device.">设备 / devices</option>
            <option value="user.">账号 / accounts</option></select></label>
          <label>${bi("窗口", "Window")}<br><input name="window" data-testid="audit-window" size="4"></label>
          <label>${bi("人员或设备", "User or device")}<br><input name="actor" data-testid="audit-actor" size="12"></label>
          <label>${bi("日期", "Date")}<br><input name="day" type="date" data-testid="audit-day"></label>
          <button class="btn primary" data-testid="audit-search">${bi("查询", "Search")}</button>
        </form>
        <div class="card" data-testid="audit-results" style="margin-top:1em"></div>
      </section>
    </main>
    <dialog data-testid="window-dialog"></dialog>
    <dialog data-testid="confirm-dialog" class="confirm"></dialog>`;
  for (const b of body.querySelectorAll("[data-tab]")) b.addEventListener("click", () => showTab(b.dataset.tab));
  const cform = body.querySelector('[data-testid="closure-form"]');
  cform.addEventListener("submit", (e) => {
    e.preventDefault();
    addClosure(cform);
  });
  cform.scope.addEventListener("change", () => {
    for (const l of cform.querySelectorAll("[data-for]")) l.hidden = l.dataset.for !== cform.scope.value;
  });
  body.querySelector('[data-testid="audit-form"]').addEventListener("submit", (e) => {
    e.preventDefault();
    searchAudit();
  });
  showTab(params.get("tab") || "floor");
  S.live = new Live({
    hall: S.hall,
    onSnapshot: (snap) => {
      S.snap = snap;
      render();
      document.dispatchEvent(new CustomEvent("hq:snapshot", { detail: snap })); // a resync: modules start again
    },
    onEvent,
  });
  window.__hq = { live: S.live, state: S };
  S.live.start();
  shell.ready(S.hall);
  loadDevices();
  setInterval(() => {
    // waits grow even when nothing happens: from the server's oldest wait starts, no request
    for (const s of S.snap?.services || []) waitFigures(s, S.live.serverNow());
    render();
  }, 20000);
  setInterval(refresh, 120000); // the lists of late ticket numbers change with time alone
  setInterval(loadDevices, 60000); // a heartbeat that changes nothing is not an event: re-read last_seen
}

function showTab(tab) {
  S.tab = tab;
  for (const b of body.querySelectorAll("[data-tab]")) b.setAttribute("aria-selected", String(b.dataset.tab === tab));
  for (const p of body.querySelectorAll("[data-panel]")) p.hidden = p.dataset.panel !== tab;
  if (tab === "audit") searchAudit();
  if (tab === "closures") loadClosures();
  if (tab === "devices") renderDevices();
}

const refresh = shell.reloader((snap) => {
  S.snap = snap;
  render();
}, 120);

function onEvent(ev) {
  document.dispatchEvent(new CustomEvent("hq:event", { detail: ev })); // for the console's modules
  if (ev.type.startsWith("notice.")) return; // the notices module applies them; the floor has none
  if (ev.type === "device.status") {
    const p = ev.payload || {};
    const name = p.device || p.name || "?";
    S.devices.set(name, { ...(S.devices.get(name) || {}), ...p, name, last_seen: p.seen || ev.at });
    renderDevices();
    return;
  }
  if (ev.type.startsWith("closure.") && S.tab === "closures") loadClosures();
  if (!S.snap) return;
  const r = applyEvent(S.snap, ev, S.live.serverNow());
  if (r.resync) S.live.resync();
  else if (r.render) renderSoon();
}

// A burst of events (a batch of tickets) draws the floor once.
let drawing = 0;
function renderSoon() {
  if (!drawing) {
    drawing = requestAnimationFrame(() => {
      drawing = 0;
      render();
    });
  }
}

function svc(code) {
  return S.snap.services.find((s) => s.code === code);
}

function render() {
  const snap = S.snap;
  if (!snap) return;
  fillClosureChoices(body.querySelector('[data-testid="closure-form"]'));
  app.querySelector('[data-testid="title"]').innerHTML = `${bi("大厅管理", "Manager console")} · ${bi(snap.hall.name, snap.hall.name_en)}`;
  const waitingTotal = snap.services.reduce((n, s) => n + s.waiting, 0);
  const idle = snap.windows.filter((w) => w.idle_with_waiting);
  const over = snap.services.filter((s) => s.over_threshold);
  body.querySelector('[data-testid="summary"]').innerHTML = `
    <div class="card" style="display:flex;gap:2em;flex-wrap:wrap;margin-bottom:1em">
      <div>${bi("等候总数", "Waiting")}: <b class="num">${waitingTotal}</b></div>
      <div data-testid="staffed-count">${bi("在岗窗口（开放且有人员）", "Staffed open windows")}: <b class="num">${snap.windows.filter((w) => w.state === "open" && w.staffed).length}</b> / ${snap.windows.length}</div>
      <div class="${idle.length ? "flag" : ""}" data-testid="idle-count">${bi("空闲但有人等候的窗口", "Idle windows with waiting tickets")}: <b class="num">${idle.length}</b></div>
      <div class="${over.length ? "flag" : ""}" data-testid="over-count">${bi("超时事项", "Items over threshold")}: <b class="num">${over.length}</b></div>
      <div data-testid="hall-open">${hallHours(snap.hall)}</div>
      <div class="muted">${bi("营业日", "Business day")} ${esc(snap.hall.business_day)} · ${bi("更新", "updated")} ${esc(fmtTime(snap.generated_at, tz(), true))}</div>
    </div>`;
  const zones = snap.zones.filter(
    (z) => snap.windows.some((w) => w.zone === z.key) || snap.services.some((s) => s.zone === z.key && s.waiting),
  );
  body.querySelector('[data-testid="zones"]').innerHTML = zones
    .map((z) => {
      const wins = snap.windows.filter((w) => w.zone === z.key);
      const items = snap.services.filter((s) => s.zone === z.key && (s.waiting || s.over_threshold));
      // the server lists each item's tickets over its threshold, longest wait first
      const late = snap.services
        .filter((s) => s.zone === z.key)
        .flatMap((s) => s.late || [])
        .sort((a, b) => b.waited_min - a.waited_min);
      return `<div class="card zone" data-testid="zone-${esc(z.key)}" data-zone="${esc(z.key)}">
        <h3><span>${bi(z.name, z.name_en)}</span><span class="muted">${bi(`等候 ${z.waiting}`, `${z.waiting} waiting`)}</span></h3>
        ${
          late.length
            ? `<div class="flag" data-testid="late-${esc(z.key)}">${bi("超时等候", "Waiting too long")}: ${late
                .slice(0, 8)
                .map((t) => `<span class="num" data-testid="late-ticket">${esc(t.number)}</span> ${Math.round(t.waited_min)}′`)
                .join(" · ")}${late.length > 8 ? ` +${late.length - 8}` : ""}</div>`
            : ""
        }
        ${wins.map(windowCard).join("") || `<p class="muted">${bi("本区没有窗口", "No window in this zone")}</p>`}
        ${
          items.length
            ? `<table><tbody>${items
                .map(
                  (s) => `<tr class="svc ${s.over_threshold ? "over" : ""}" data-testid="svc-${esc(s.code)}"><td>${bi(s.name, s.name_en)}</td>
                  <td class="num">${s.waiting}</td><td>${biMinutes(s.longest_wait_min)}${s.over_threshold ? ` ⚠ ${bi("超时", "over")}` : ""}</td></tr>`,
                )
                .join("")}</tbody></table>`
            : ""
        }</div>`;
    })
    .join("");
  for (const b of body.querySelectorAll("[data-edit]")) b.addEventListener("click", () => editWindow(b.dataset.edit));
  for (const b of body.querySelectorAll("[data-set-state]")) {
    b.addEventListener("click", () => setState(b.dataset.window, b.dataset.setState));
  }
}

// The hall's state as the server computed it (its calendar, holidays and closures).
function hallHours(h) {
  if (h.open_now) {
    return h.open_until
      ? bi(`办理中，至 ${fmtTime(h.open_until, tz())}`, `Open until ${fmtTime(h.open_until, tz())}`)
      : bi("办理中", "Open");
  }
  const why = h.closed_reason ? bi(`今日${h.closed_reason}，`, `Closed today (${h.closed_reason_en}). `) : "";
  const next = h.next_open
    ? bi(`下次办理 ${fmtDateTime(h.next_open, tz())}`, `next opening ${fmtDateTime(h.next_open, tz())}`)
    : bi("暂无办理安排", "no opening scheduled");
  return `<span class="flag">${why}${bi("已停止办理", "Closed")} · ${next}</span>`;
}

function windowCard(w) {
  const cur = w.current;
  const wen = windowLabel(w.code)[1];
  const clerk = w.clerk || w.signed_in || w.user || null;
  const clerkName = typeof clerk === "string" ? clerk : clerk?.username || clerk?.name || "";
  const queue = w.skills
    .map((sk) => ({ sk, s: svc(sk.service) }))
    .filter(({ s }) => s && s.waiting)
    .map(
      ({ sk, s }) =>
        `<span class="svc ${s.over_threshold ? "over" : ""}">${esc(s.name)}${sk.level > 1 ? `(B${sk.level})` : ""} ${s.waiting}
          <span class="muted">≤${Math.round(s.longest_wait_min)}′</span></span>`,
    )
    .join(" · ");
  return `<div class="win ${w.idle_with_waiting ? "idle-waiting" : ""}" data-testid="win-${esc(w.code)}" data-window="${esc(w.code)}" data-state="${esc(w.state)}">
    <div class="row"><b>${bi(w.name, w.name_en || wen)}</b>
      <span class="badge state-${esc(w.state)}${w.state === "open" && !w.staffed ? " unstaffed" : ""}" data-testid="win-state">${
        w.state === "open" && !w.staffed ? bi("开放·无人员", "open, nobody signed in") : biState(w.state)
      }</span></div>
    <div class="row"><span>${bi("人员", "Clerk")}: ${clerkName ? esc(clerkName) : "—"}</span>
      <span>${cur ? `<b class="num">${esc(cur.number)}</b> ${biStatus(cur.status)}` : bi("无当前号", "no ticket")}</span></div>
    ${w.idle_with_waiting ? `<div class="flag" data-testid="idle-flag">${bi("⚠ 空闲，但有群众在等候", "⚠ Idle while its items wait")}</div>` : ""}
    ${queue ? `<div class="muted">${bi("事项等候", "Items waiting")}: ${queue}</div>` : ""}
    <div data-testid="can-call" data-count="${w.can_call ?? 0}">${bi("可叫", "Can call")}: <b class="num">${w.can_call ?? 0}</b></div>
    <div class="row" style="margin-top:.3em">
      <button class="btn" data-edit="${esc(w.code)}" data-testid="edit-${esc(w.code)}">${bi("调整", "Reassign")}</button>
      ${["open", "paused", "closed"]
        .filter((st) => st !== w.state)
        .map(
          (st) =>
            `<button class="btn" data-window="${esc(w.code)}" data-set-state="${st}" data-testid="set-${esc(w.code)}-${st}">${
              { open: bi("开放", "Open"), paused: bi("暂停", "Pause"), closed: bi("关闭", "Close") }[st]
            }</button>`,
        )
        .join("")}
    </div></div>`;
}

/** Items that an open window serves now and that no open window would serve after this change. */
function orphanedItems(code, skills, state) {
  const served = (wins) => new Set(wins.filter((w) => w.state === "open").flatMap((w) => w.skills.map((k) => k.service)));
  const before = served(S.snap.windows);
  const after = served(S.snap.windows.map((w) => (w.code === code ? { ...w, skills, state } : w)));
  return [...before].filter((c) => !after.has(c)).map((c) => svc(c)).filter(Boolean);
}

/** Ask before a change that cannot be taken back at once; resolves true to go on. */
function confirmBox(zh, en, items = []) {
  const dlg = body.querySelector('[data-testid="confirm-dialog"]');
  dlg.innerHTML = `<form method="dialog">
      <p>${bi(zh, en)}</p>
      ${items.length ? `<ul data-testid="confirm-items">${items.map((s) => `<li>${bi(s.name, s.name_en)}</li>`).join("")}</ul>` : ""}
      <div class="dialog-buttons">
        <button class="btn" value="cancel" data-testid="confirm-cancel">${bi("取消", "Cancel")}</button>
        <button class="btn danger" value="ok" data-testid="confirm-ok">${bi("确定", "Confirm")}</button>
      </div></form>`;
  return new Promise((resolve) => {
    dlg.addEventListener("close", () => resolve(dlg.returnValue === "ok"), { once: true });
    dlg.showModal();
  });
}

/** Confirm a window change when it closes the window or leaves items without any open window. */
async function confirmChange(code, skills, state) {
  const [wzh, wen] = windowLabel(code);
  const orphans = orphanedItems(code, skills, state);
  if (orphans.length) {
    return confirmBox(
      `调整后以下事项将没有开放的窗口办理，群众将无法取号。确定吗？（${wzh}）`,
      `After this change no open window serves these items; citizens cannot take a ticket. Go on? (${wen})`,
      orphans,
    );
  }
  if (state === "closed") return confirmBox(`确定关闭${wzh}吗？`, `Close ${wen}?`);
  return true;
}

async function setState(code, state) {
  const res = body.querySelector('[data-testid="result"]');
  const w = S.snap.windows.find((x) => x.code === code);
  if (!(await confirmChange(code, w.skills, state))) return;
  try {
    await patch(`/api/v1/halls/${enc(S.hall)}/windows/${enc(code)}`, { state });
    showResult(res, "ok", bi(`${windowLabel(code)[0]} 已${{ open: "开放", paused: "暂停", closed: "关闭" }[state]}`, `${windowLabel(code)[1]} is now ${state}`));
  } catch (err) {
    showError(res, err);
  }
}

function editWindow(code) {
  const w = S.snap.windows.find((x) => x.code === code);
  const dlg = body.querySelector('[data-testid="window-dialog"]');
  const level = new Map(w.skills.map((s) => [s.service, s.level]));
  const zoneName = (k) => S.snap.zones.find((z) => z.key === k);
  // ticked items first, then by zone: what the window does now is what the manager reads first
  const items = S.snap.services.slice().sort((a, b) => level.has(b.code) - level.has(a.code) || a.zone.localeCompare(b.zone));
  // a waiting area or a public area holds no window
  const zones = S.snap.zones.filter((z) => !["waiting", "public"].includes(z.kind) || z.key === w.zone);
  dlg.innerHTML = `
    <form method="dialog" data-testid="window-form" class="window-form">
      <h2>${bi(`调整 ${w.name}`, `Reassign ${w.name_en || windowLabel(code)[1]}`)}</h2>
      <div class="row">
        <label>${bi("功能区", "Zone")}
          <select name="zone" data-testid="edit-zone">${zones
            .map((z) => `<option value="${esc(z.key)}" ${z.key === w.zone ? "selected" : ""}>${esc(z.name)} / ${esc(z.name_en)}</option>`)
            .join("")}</select></label>
        <label>${bi("状态", "State")}
          <select name="state" data-testid="edit-state">${["open", "paused", "closed"]
            .map((st) => `<option value="${st}" ${st === w.state ? "selected" : ""}>${{ open: "开放 / open", paused: "暂停 / paused", closed: "关闭 / closed" }[st]}</option>`)
            .join("")}</select></label>
        <label>${bi("查找事项", "Find an item")}<input type="search" data-testid="skill-search" placeholder="名称 / name"></label>
      </div>
      <div class="muted">${bi("勾选本窗口办理的事项；岗位：1 主岗，2–4 B岗（顶岗顺序）", "Tick the items this window serves; post: 1 primary, 2–4 backup (cover order)")}</div>
      <div class="skills-edit"><table><tbody>${items
        .map(
          (s) => `<tr data-skill-row="${esc(s.code)}" data-name="${esc(`${s.name} ${s.name_en} ${s.code}`.toLowerCase())}">
            <td><label class="skill"><input type="checkbox" name="skill" value="${esc(s.code)}" data-testid="skill-${esc(s.code)}" ${level.has(s.code) ? "checked" : ""}>
            <span>${esc(s.name)}</span></label></td><td class="muted">${esc(zoneName(s.zone)?.name || s.zone)}</td>
            <td><select name="level-${esc(s.code)}" data-testid="level-${esc(s.code)}" ${level.has(s.code) ? "" : "hidden"}>${[1, 2, 3, 4]
              .map((n) => `<option value="${n}" ${n === (level.get(s.code) || 1) ? "selected" : ""}>${n === 1 ? "1 主岗" : `${n} B岗`}</option>`)
              .join("")}</select></td></tr>`,
        )
        .join("")}</tbody></table></div>
      <div class="result" hidden></div>
      <div class="dialog-buttons">
        <button class="btn" value="cancel" formnovalidate>${bi("取消", "Cancel")}</button>
        <button class="btn primary" value="ok" data-testid="window-save">${bi("保存", "Save")}</button>
      </div>
    </form>`;
  const form = dlg.querySelector("form");
  for (const box of form.querySelectorAll('input[name="skill"]')) {
    box.addEventListener("change", () => {
      form.querySelector(`select[name="level-${CSS.escape(box.value)}"]`).hidden = !box.checked; // levels only on ticked items
    });
  }
  form.querySelector('[data-testid="skill-search"]').addEventListener("input", (e) => {
    const q = e.target.value.trim().toLowerCase();
    for (const row of form.querySelectorAll("[data-skill-row]")) row.hidden = !!q && !row.dataset.name.includes(q);
  });
  form.addEventListener("submit", async (e) => {
    if (e.submitter?.value !== "ok") return;
    e.preventDefault();
    const fd = new FormData(form);
    const skills = fd.getAll("skill").map((c) => ({ service: String(c), level: Number(fd.get(`level-${c}`) || 1) }));
    const state = String(fd.get("state"));
    if (!(await confirmChange(code, skills, state))) return;
    try {
      await patch(`/api/v1/halls/${enc(S.hall)}/windows/${enc(code)}`, { zone: String(fd.get("zone")), state, skills });
      dlg.close();
      showResult(body.querySelector('[data-testid="result"]'), "ok", bi(`${w.name} 已调整`, `${w.name_en || windowLabel(code)[1]} updated`));
    } catch (err) {
      showError(form.querySelector(".result"), err);
    }
  });
  dlg.showModal();
}

// Closures: the server decides what they mean (items' open_now, next_open); this lists and edits them.
function fillClosureChoices(form) {
  if (!S.snap || form.zone.options.length) return;
  form.zone.innerHTML = S.snap.zones.map((z) => `<option value="${esc(z.key)}">${esc(z.name)} / ${esc(z.name_en)}</option>`).join("");
  form.service.innerHTML = S.snap.services.map((s) => `<option value="${esc(s.code)}">${esc(s.name)}</option>`).join("");
}

async function loadClosures() {
  const el = body.querySelector('[data-testid="closures"]');
  fillClosureChoices(body.querySelector('[data-testid="closure-form"]'));
  try {
    const list = await get(`/api/v1/halls/${enc(S.hall)}/closures`);
    const what = (c) =>
      c.scope === "hall" ? bi("整个大厅", "Whole hall") : c.scope === "zone" ? esc(c.zone_name) : esc(c.service_name);
    el.innerHTML = list.length
      ? `<table><thead><tr><th>${bi("范围", "What")}</th><th>${bi("开始", "From")}</th><th>${bi("结束", "Until")}</th>
          <th>${bi("原因", "Reason")}</th><th>${bi("添加人", "Added by")}</th><th></th></tr></thead><tbody>${list
          .map(
            (c) => `<tr data-testid="closure-row" data-closure="${c.id}"><td>${what(c)}</td>
              <td>${esc(fmtDateTime(c.starts_at, tz()))}</td><td>${esc(fmtDateTime(c.ends_at, tz()))}</td>
              <td>${bi(c.reason, c.reason_en)}</td><td>${esc(c.created_by)}</td>
              <td><button class="btn" data-remove="${c.id}" data-testid="closure-remove">${bi("撤销", "Remove")}</button></td></tr>`,
          )
          .join("")}</tbody></table>`
      : `<p class="muted" data-testid="no-closures">${bi("没有未结束的停办安排", "No closure ahead")}</p>`;
    for (const b of el.querySelectorAll("[data-remove]")) b.addEventListener("click", () => removeClosure(b.dataset.remove));
  } catch (err) {
    showError(el, err);
  }
}

async function addClosure(form) {
  const fd = new FormData(form);
  const scope = String(fd.get("scope"));
  const res = body.querySelector('[data-testid="result"]');
  try {
    await post(`/api/v1/halls/${enc(S.hall)}/closures`, {
      starts_at: String(fd.get("starts_at")), // local time without an offset: the hall's own time
      ends_at: String(fd.get("ends_at")),
      reason: String(fd.get("reason")),
      reason_en: String(fd.get("reason_en")),
      zone: scope === "zone" ? String(fd.get("zone")) : null,
      service: scope === "service" ? String(fd.get("service")) : null,
    });
    showResult(res, "ok", bi("已添加停办安排", "Closure added"));
    form.reset();
    for (const l of form.querySelectorAll("[data-for]")) l.hidden = true;
    loadClosures();
  } catch (err) {
    showError(res, err);
  }
}

async function removeClosure(id) {
  const res = body.querySelector('[data-testid="result"]');
  try {
    await api("DELETE", `/api/v1/halls/${enc(S.hall)}/closures/${enc(id)}`);
    showResult(res, "ok", bi("已撤销停办安排", "Closure removed"));
    loadClosures();
  } catch (err) {
    showError(res, err);
  }
}

async function loadDevices() {
  try {
    const list = await get(`/api/v1/halls/${enc(S.hall)}/devices`);
    for (const d of list || []) S.devices.set(d.name, d);
    S.devicesError = null;
  } catch (err) {
    S.devicesError = err.message; // the server's words; the list keeps what it last had
  }
  renderDevices();
}

// Heartbeat statuses are flat documents ({"printer": "ok", "paper": "low", "reader": "ok", …});
// nested ones (printer: {paper: …}) are read too.
function flatStatus(st, prefix = "") {
  const out = {};
  for (const [k, v] of Object.entries(st || {})) {
    if (v && typeof v === "object") Object.assign(out, flatStatus(v, `${prefix}${k}.`));
    else out[prefix + k] = v;
  }
  return out;
}

const BAD_VALUES = /^(out|empty|error|fault|offline|failed|jam|open|no_paper|paper_out|disconnected|false)$/i;
const WARN_VALUES = /^(low|near_end|near-end|warning|degraded)$/i;

function deviceHealth(d) {
  const problems = [];
  const seen = d.last_seen;
  if (!seen) problems.push(["从未上报", "never reported", "bad"]);
  else if ((S.live ? S.live.serverNow() : Date.now()) - Date.parse(seen) > 3 * 60000) {
    problems.push(["心跳超时", "heartbeat missing", "bad"]);
  }
  if (d.active === false) problems.push(["已吊销", "revoked", "warn"]);
  // what a display page reports, in words
  const st = d.status || {};
  if (st.page === "display" && st.sound === "blocked") problems.push(["声音未开启：请在电视上点一下", "sound off: touch the TV once", "warn"]);
  if (st.page === "display" && st.voice === "none") problems.push(["无中文语音，仅提示音", "no Chinese voice: chime only", "warn"]);
  for (const [k, v] of Object.entries(flatStatus(d.status))) {
    const val = String(v);
    if (v === true && /(paper_?out|no_?paper|paper_?empty|error|fault)/i.test(k)) problems.push([k, k, "bad"]);
    else if (v === true && /(paper_?low|near_?end)/i.test(k)) problems.push([k, k, "warn"]);
    else if (typeof v === "string" && BAD_VALUES.test(val)) problems.push([`${k}: ${val}`, `${k}: ${val}`, "bad"]);
    else if (typeof v === "string" && WARN_VALUES.test(val)) problems.push([`${k}: ${val}`, `${k}: ${val}`, "warn"]);
    else if (v === false && /(online|ok|ready|connected)$/i.test(k)) problems.push([`${k}: false`, `${k}: false`, "bad"]);
  }
  return problems;
}

function renderDevices() {
  const el = body.querySelector('[data-testid="devices"]');
  if (!el) return;
  const rows = [...S.devices.values()].sort((a, b) => String(a.name).localeCompare(String(b.name)));
  el.innerHTML = `<h3>${bi("设备状态（自助终端心跳、打印机纸量、读卡器）", "Device health (kiosk heartbeats, printer paper, readers)")}</h3>
    <p><a class="btn" href="/ui/pair" data-testid="pair-link">${bi("配对新设备", "Pair a new device")}</a></p>
    ${S.devicesError ? `<p class="flag" data-testid="devices-error">${esc(S.devicesError)}</p>` : ""}
    ${
      rows.length
        ? `<table><thead><tr><th>${bi("设备", "Device")}</th><th>${bi("类型", "Kind")}</th><th>${bi("窗口", "Window")}</th>
            <th>${bi("最近心跳", "Last heartbeat")}</th><th>${bi("版本", "Version")}</th><th>${bi("状态上报", "Reported status")}</th>
            <th>${bi("状况", "Health")}</th></tr></thead><tbody>${rows
            .map((d) => {
              const problems = deviceHealth(d);
              const status = Object.entries(flatStatus(d.status)).map(([k, v]) => `${k}=${v}`).join(" · ");
              return `<tr data-testid="device-row" data-device="${esc(d.name)}"><td>${esc(d.name)}</td><td>${esc(d.kind || "")}</td>
                <td>${esc(d.window || "")}</td><td>${esc(fmtDateTime(d.last_seen, tz()))}</td><td>${esc(d.version || "")}</td>
                <td class="muted">${esc(status)}</td>
                <td class="${problems.some((p) => p[2] === "bad") ? "flag" : problems.length ? "state-paused" : "state-open"}" data-testid="device-health">${
                  problems.length ? problems.map(([zh, en]) => bi(zh, en)).join("；") : bi("正常", "OK")
                }</td></tr>`;
            })
            .join("")}</tbody></table>`
        : `<p class="muted" data-testid="no-devices">${bi("尚未登记设备", "No devices registered")}</p>`
    }`;
}

function hallOffset() {
  // "+08:00" for the hall's zone, for the audit query's day bounds
  const tzName = tz();
  const parts = new Intl.DateTimeFormat("en-US", { timeZone: tzName, timeZoneName: "longOffset" }).formatToParts(new Date());
  const off = parts.find((p) => p.type === "timeZoneName")?.value.replace("GMT", "") || "+08:00";
  return off === "" ? "+00:00" : off;
}

const AUDIT_PAGE = 50;

/** One page of the audit trail, a sentence per action (the server words them). */
function renderAudit() {
  const out = body.querySelector('[data-testid="audit-results"]');
  const rows = S.audit || [];
  if (!rows.length) {
    out.innerHTML = `<p class="muted" data-testid="audit-empty">${bi("没有匹配的记录", "No matching entries")}</p>`;
    return;
  }
  const pages = Math.ceil(rows.length / AUDIT_PAGE);
  const page = Math.min(S.auditPage, pages - 1);
  out.innerHTML = `<div class="audit-bar"><span class="muted">${bi(`${rows.length} 条，第 ${page + 1}/${pages} 页`, `${rows.length} entries, page ${page + 1} of ${pages}`)}</span>
      <button class="btn" data-page="-1" data-testid="audit-prev" ${page === 0 ? "disabled" : ""}>${bi("上一页", "Previous")}</button>
      <button class="btn" data-page="1" data-testid="audit-next" ${page >= pages - 1 ? "disabled" : ""}>${bi("下一页", "Next")}</button>
      <button class="btn" data-testid="audit-export">${bi("导出 CSV", "Export CSV")}</button></div>
    <table class="audit"><thead><tr><th>${bi("时间", "Time")}</th><th>${bi("记录", "Entry")}</th></tr></thead><tbody>${rows
      .slice(page * AUDIT_PAGE, (page + 1) * AUDIT_PAGE)
      .map(
        (r) => `<tr data-testid="audit-row"><td class="nowrap">${esc(fmtDateTime(r.at, tz()))}</td>
          <td data-testid="audit-sentence">${bi(r.sentence, r.sentence_en)}${r.device ? ` <span class="muted">（${esc(r.device)}）</span>` : ""}</td></tr>`,
      )
      .join("")}</tbody></table>`;
  for (const b of out.querySelectorAll("[data-page]")) {
    b.addEventListener("click", () => {
      S.auditPage = page + Number(b.dataset.page);
      renderAudit();
    });
  }
  out.querySelector('[data-testid="audit-export"]').addEventListener("click", exportAudit);
}

/** Everything found (not only the page shown), as a CSV a spreadsheet opens (UTF-8 with BOM). */
function exportAudit() {
  const cell = (v) => `"${String(v ?? "").replace(/"/g, '""')}"`;
  const lines = [["时间 Time", "人员 Who", "记录", "Entry", "设备 Device"].map(cell).join(",")];
  for (const r of S.audit || []) {
    lines.push([fmtDateTime(r.at, tz()), r.actor, r.sentence, r.sentence_en, r.device || ""].map(cell).join(","));
  }
  const blob = new Blob(["\ufeff" + lines.join("\r\n")], { type: "text/csv;charset=utf-8" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `audit-${S.hall}-${new Date().toISOString().slice(0, 10)}.csv`;
  a.dataset.testid = "audit-download";
  document.body.append(a);
  a.click();
  a.remove();
}

async function searchAudit() {
  const form = body.querySelector('[data-testid="audit-form"]');
  const out = body.querySelector('[data-testid="audit-results"]');
  const fd = new FormData(form);
  const qs = new URLSearchParams({ limit: "1000" });
  const win = String(fd.get("window") || "").trim();
  const who = String(fd.get("actor") || "").trim();
  const day = String(fd.get("day") || "");
  if (win) qs.set("window", /^\d$/.test(win) ? `0${win}` : win);
  if (who) qs.set("actor", who);
  if (day) {
    const off = hallOffset();
    const next = new Date(Date.parse(`${day}T00:00:00Z`) + 86400000).toISOString().slice(0, 10);
    qs.set("since", `${day}T00:00:00${off}`);
    qs.set("until", `${next}T00:00:00${off}`);
  }
  const kind = String(fd.get("action") || "");
  const words = String(fd.get("q") || "").toLowerCase().split(/\s+/).filter(Boolean);
  try {
    const all = await get(`/api/v1/halls/${enc(S.hall)}/audit?${qs}`);
    const rows = all.filter((r) => {
      if (kind && !r.action.startsWith(kind)) return false;
      const text = [r.sentence, r.sentence_en, r.actor, r.device, r.window].join(" ").toLowerCase();
      return words.every((w) => text.includes(w));
    });
    S.audit = rows;
    S.auditPage = 0;
    renderAudit();
  } catch (err) {
    out.innerHTML = `<div class="result"></div>`;
    showError(out.firstChild, err);
  }
}

start();
