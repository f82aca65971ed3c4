// The manager's supervision page (/ui/supervision?hall=…): live alerts with a sound, acknowledged and
// resolved here; rectification cases of bad ratings (overdue ones flagged); reports with charts and
// CSV/XLSX exports. Every figure comes from the server; this page only shows it.
import { authHeaders, enc, esc, get, post } from "./api.js";
import { bi, biDetail, fmtDateTime, initLang, langToggle } from "./i18n.js";
import { barChart } from "./charts.js";
import { Live, connectionSign } from "./live.js";

initLang();
const params = new URL(location.href).searchParams;
const S = { hall: params.get("hall") || "", tab: params.get("tab") || "alerts", tz: "Asia/Shanghai" };
const app = document.getElementById("app");
app.innerHTML = `
  <header class="topbar"><h1>${bi("督查", "Supervision")} <span data-testid="hall-name"></span></h1>
    <nav class="tabs">
      <button type="button" class="btn" data-tab="alerts" data-testid="tab-alerts">${bi("告警", "Alerts")} <span data-testid="alert-count"></span></button>
      <button type="button" class="btn" data-tab="cases" data-testid="tab-cases">${bi("整改", "Cases")}</button>
      <button type="button" class="btn" data-tab="reports" data-testid="tab-reports">${bi("报表", "Reports")}</button>
    </nav>
    <a class="btn" href="/ui/manager">${bi("返回大厅管理", "Back to the console")}</a>
  </header>
  <main data-testid="main"></main>`;
app.querySelector(".topbar").append(langToggle());
document.body.append(connectionSign());
const main = app.querySelector("main");
for (const b of app.querySelectorAll("[data-tab]")) b.addEventListener("click", () => show(b.dataset.tab));

// A short two-tone chime from the Web Audio API: no sound file, no network.
let audio = null;
function chime() {
  try {
    audio = audio || new AudioContext();
    for (const [i, f] of [880, 660].entries()) {
      const o = audio.createOscillator();
      const g = audio.createGain();
      o.frequency.value = f;
      g.gain.value = 0.15;
      o.connect(g).connect(audio.destination);
      o.start(audio.currentTime + i * 0.18);
      o.stop(audio.currentTime + i * 0.18 + 0.15);
    }
    document.documentElement.dataset.chimes = String(Number(document.documentElement.dataset.chimes || 0) + 1);
  } catch {
    /* no audio device: the list still shows it */
  }
}

function show(tab) {
  S.tab = tab;
  for (const b of app.querySelectorAll("[data-tab]")) b.setAttribute("aria-selected", String(b.dataset.tab === tab));
  ({ alerts: showAlerts, cases: showCases, reports: showReports })[tab]();
}

function facts(a) {
  const f = a.facts || {};
  const bits = [];
  if (f.count !== undefined) bits.push(bi(`${f.count} 人`, `${f.count} tickets`));
  if (f.longest_min !== undefined) bits.push(bi(`最长 ${f.longest_min} 分钟`, `longest ${f.longest_min} min`));
  if (f.minutes !== undefined) bits.push(bi(`${f.minutes} 分钟`, `${f.minutes} min`));
  if (f.due_on) bits.push(bi(`期限 ${esc(f.due_on)}`, `due ${esc(f.due_on)}`));
  if (f.paper) bits.push(esc(f.paper));
  return bits.join("，");
}

async function showAlerts() {
  if (S.tab !== "alerts") return;
  try {
    const list = await get(`/api/v1/halls/${enc(S.hall)}/alerts`);
    app.querySelector('[data-testid="alert-count"]').textContent = list.filter((a) => !a.cleared_at).length || "";
    if (S.tab !== "alerts") return;
    main.innerHTML = list.length
      ? `<table data-testid="alerts"><tr><th>${bi("告警", "Alert")}</th><th>${bi("对象", "Subject")}</th><th>${bi("情况", "Facts")}</th><th>${bi("发生", "Fired")}</th><th>${bi("状态", "State")}</th><th></th></tr>
        ${list
          .map(
            (a) => `<tr class="alert-row ${a.cleared_at ? "" : "active"}" data-testid="alert" data-kind="${esc(a.kind)}" data-subject="${esc(a.subject)}" data-id="${a.id}">
          <td>${bi(esc(a.title), esc(a.title_en))}</td><td>${esc(a.subject)}</td><td>${facts(a)}</td>
          <td>${esc(fmtDateTime(a.fired_at, S.tz))}</td>
          <td data-testid="alert-state">${a.resolved_at ? bi(`已处理（${esc(a.resolved_by)}）`, "resolved") : a.acked_at ? bi(`已确认（${esc(a.acked_by)}）`, "acknowledged") : bi("待处理", "new")}${a.cleared_at ? bi("，已消除", ", cleared") : ""}</td>
          <td>${a.resolved_at ? "" : `${a.acked_at ? "" : `<button type="button" class="btn" data-act="ack">${bi("确认", "Acknowledge")}</button>`}
            <input data-testid="resolve-note" placeholder="处理情况 / what was done" maxlength="500">
            <button type="button" class="btn primary" data-act="resolve">${bi("处理完毕", "Resolve")}</button>`}</td></tr>`,
          )
          .join("")}</table><p class="result error" data-testid="alert-error" hidden></p>`
      : `<p data-testid="no-alerts">${bi("当前没有告警", "No alerts now")}</p>`;
    for (const b of main.querySelectorAll("[data-act]")) {
      b.addEventListener("click", async () => {
        const row = b.closest("tr");
        const note = row.querySelector('[data-testid="resolve-note"]').value.trim();
        const err = main.querySelector('[data-testid="alert-error"]');
        try {
          if (b.dataset.act === "resolve" && !note) throw { detail: "请填写处理情况 / say what was done" };
          await post(`/api/v1/halls/${enc(S.hall)}/alerts/${row.dataset.id}/${b.dataset.act}`, b.dataset.act === "resolve" ? { note } : {});
          showAlerts();
        } catch (e) {
          err.hidden = false;
          err.innerHTML = biDetail(e.detail);
        }
      });
    }
  } catch (e) {
    main.innerHTML = `<p class="result error">${biDetail(e.detail)}</p>`;
  }
}

// Case actions: the server knows which are allowed in which state and says why when one is not.
const CASE_ACTIONS = [
  ["respond", "答复", "Answer", (t) => ({ text: t })],
  ["callback", "回访：满意", "Call-back: satisfied", (t) => ({ reached: true, satisfied: true, note: t || null })],
  ["callback", "回访：不满意", "Call-back: not satisfied", (t) => ({ reached: true, satisfied: false, note: t || null })],
  ["callback", "回访：未联系上", "Call-back: not reached", (t) => ({ reached: false, note: t || null })],
  ["close", "办结", "Close", () => ({})],
  ["appeal", "申诉", "Appeal", (t) => ({ reason: t })],
  ["approve", "批准申诉", "Approve appeal", (t) => ({ note: t || null })],
  ["reject", "驳回申诉", "Reject appeal", (t) => ({ note: t || null })],
];

async function showCases() {
  try {
    const list = await get(`/api/v1/halls/${enc(S.hall)}/cases`);
    main.innerHTML = `<table data-testid="cases"><tr><th>${bi("号票", "Ticket")}</th><th>${bi("事项", "Item")}</th><th>${bi("窗口", "Window")}</th><th>${bi("评价", "Rating")}</th><th>${bi("责任方", "Owner")}</th><th>${bi("期限", "Due")}</th><th>${bi("状态", "State")}</th><th></th></tr>
      ${list
        .map(
          (c) => `<tr data-testid="case" data-id="${c.id}"><td>${esc(c.ticket.number)} <small>${esc(c.ticket.business_day)}</small></td><td>${esc(c.service_name)}</td><td>${esc(c.window || "")}</td>
        <td>${c.level}★ ${esc(c.reasons.join("、"))}</td><td>${esc(c.owner)}</td>
        <td class="${c.overdue ? "overdue" : ""}" data-testid="case-due">${esc(c.due_on)}${c.overdue ? bi("（已超期）", " (overdue)") : ""}</td>
        <td data-testid="case-state">${esc(c.status_zh)}${c.excluded ? bi("，不计入满意率", ", not counted") : ""}${c.response ? `<br><small>${esc(c.response)}</small>` : ""}</td>
        <td>${c.status === "closed" || c.status === "appealed" ? "" : `<input data-testid="case-text" placeholder="答复/说明 / text" maxlength="500">
          ${CASE_ACTIONS.map(([a, zh, en], i) => `<button type="button" class="btn" data-case-act="${i}">${bi(zh, en)}</button>`).join("")}`}</td></tr>`,
        )
        .join("")}</table><p class="result error" data-testid="case-error" hidden></p>`;
    for (const b of main.querySelectorAll("[data-case-act]")) {
      b.addEventListener("click", async () => {
        const row = b.closest("tr");
        const [action, , , body] = CASE_ACTIONS[Number(b.dataset.caseAct)];
        try {
          await post(`/api/v1/halls/${enc(S.hall)}/cases/${row.dataset.id}/${action}`, body(row.querySelector('[data-testid="case-text"]').value.trim()));
          showCases();
        } catch (e) {
          const err = main.querySelector('[data-testid="case-error"]');
          err.hidden = false;
          err.innerHTML = biDetail(e.detail);
        }
      });
    }
  } catch (e) {
    main.innerHTML = `<p class="result error">${biDetail(e.detail)}</p>`;
  }
}

function isoDay(d) {
  return new Intl.DateTimeFormat("sv-SE", { timeZone: S.tz }).format(d);
}

async function showReports() {
  const to = params.get("to") || isoDay(new Date());
  const from = params.get("from") || isoDay(new Date(Date.now() - 29 * 864e5));
  main.innerHTML = `<form class="report-form" data-testid="report-form">
      <label>${bi("从", "From")} <input type="date" name="from" value="${esc(from)}"></label>
      <label>${bi("到", "To")} <input type="date" name="to" value="${esc(to)}"></label>
      <label>${bi("分组", "By")} <select name="by">${[["item", "事项"], ["zone", "功能区"], ["window", "窗口"], ["clerk", "工作人员"], ["day", "日"], ["week", "周"], ["month", "月"], ["hall", "大厅"]]
        .map(([v, zh]) => `<option value="${v}" ${v === (params.get("by") || "item") ? "selected" : ""}>${zh}</option>`)
        .join("")}</select></label>
      <button class="btn primary" data-testid="report-run">${bi("查询", "Show")}</button>
      <button type="button" class="btn" data-testid="export-csv">CSV</button>
      <button type="button" class="btn" data-testid="export-xlsx">XLSX</button>
    </form><div data-testid="report"></div>`;
  const form = main.querySelector("form");
  const q = () => new URLSearchParams({ from: form.from.value, to: form.to.value, by: form.by.value }).toString();
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    runReport(q());
  });
  for (const ext of ["csv", "xlsx"]) {
    main.querySelector(`[data-testid="export-${ext}"]`).addEventListener("click", async () => {
      const res = await fetch(`/api/v1/halls/${enc(S.hall)}/reports.${ext}?${q()}`, { headers: authHeaders() });
      const a = document.createElement("a");
      a.href = URL.createObjectURL(await res.blob());
      a.download = `report-${S.hall}-${form.from.value}-${form.to.value}.${ext}`;
      a.click();
    });
  }
  runReport(q());
}

async function runReport(query) {
  const box = main.querySelector('[data-testid="report"]');
  try {
    const r = await get(`/api/v1/halls/${enc(S.hall)}/reports?${query}`);
    const cols = r.columns;
    const unit = (c) => (c.unit === "%" ? "（%）" : c.unit === "min" ? "（分钟）" : "");
    const cell = (v) => (v === null || v === undefined ? "—" : esc(v));
    const labels = r.rows.map((row) => row.label);
    box.innerHTML = `<div class="charts">
        ${barChart(labels, [{ name: "取号 Issued", values: r.rows.map((x) => x.figures.issued) }, { name: "办结 Served", values: r.rows.map((x) => x.figures.served) }], { title: "取号与办结 / Issued and served" })}
        ${barChart(labels, [{ name: "平均等候 Mean wait", values: r.rows.map((x) => x.figures.wait_mean) }, { name: "90%等候 p90 wait", values: r.rows.map((x) => x.figures.wait_p90) }], { title: "等候时间（分钟） / Wait (min)", unit: "" })}
        ${barChart(labels, [{ name: "满意率 Satisfaction", values: r.rows.map((x) => x.figures.satisfaction) }, { name: "办结率 Completion", values: r.rows.map((x) => x.figures.completion) }], { title: "满意率与办结率（%） / Rates (%)", max: 100 })}
      </div>
      <table data-testid="report-table"><tr><th>${esc(r.by_zh)}</th>${cols.map((c) => `<th title="${esc(c.en)}">${esc(c.zh)}${unit(c)}</th>`).join("")}</tr>
        ${r.rows.map((row) => `<tr><td>${esc(row.label)}</td>${cols.map((c) => `<td>${cell(row.figures[c.key])}</td>`).join("")}</tr>`).join("")}
        <tr data-testid="report-total"><th>合计</th>${cols.map((c) => `<th>${cell(r.total[c.key])}</th>`).join("")}</tr></table>
      <p data-testid="report-cases">${bi("整改", "Cases")}：${Object.entries(r.cases).map(([k, v]) => `${esc(r.case_labels[k] || k)} ${v}`).join(" · ")}</p>
      <p data-testid="report-alerts">${bi("告警", "Alerts")}：${Object.entries(r.alerts).map(([k, v]) => `${esc(r.alert_labels[k] || k)} ${v}`).join(" · ")}</p>`;
  } catch (e) {
    box.innerHTML = `<p class="result error" data-testid="report-error">${biDetail(e.detail)}</p>`;
  }
}

async function start() {
  if (!S.hall) {
    const halls = await get("/api/v1/halls");
    S.hall = halls[0]?.code || "";
  }
  try {
    const hall = await get(`/api/v1/halls/${enc(S.hall)}`);
    S.tz = hall.timezone || S.tz;
    app.querySelector('[data-testid="hall-name"]').textContent = hall.name || S.hall;
  } catch {
    /* the name is a nicety */
  }
  new Live({
    hall: S.hall,
    onSnapshot() {},
    onEvent(ev) {
      if (ev.type === "alert.fired") chime();
      if (ev.type.startsWith("alert.")) showAlerts();
      else if (ev.type === "case.changed" && S.tab === "cases") showCases();
    },
  }).start();
  show(S.tab);
}
start();
