// The service guide page (/guide/{hall}/{code}): what the QR code of the printed notice slip opens on
// a citizen's phone. Everything comes from the public guide (GET /api/v1/halls/{hall}/services/{code});
// the page only lays it out. Texts the hall file has only in Chinese stay Chinese in English mode.
import { enc, esc, get, pathParts } from "./api.js";
import { bi, biWindow, initLang, langToggle, splitDetail, windowLabel } from "./i18n.js";

initLang();
const [hallCode, code] = pathParts("/guide/");
const app = document.getElementById("app");

const REQUIREMENT = {
  required: ["必需", "Required"],
  optional: ["非必需", "Optional"],
  later: ["可容缺后补", "May be supplied later"],
};
const FORM = {
  original: ["原件", "original"],
  copy: ["复印件", "copy"],
  original_and_copy: ["原件及复印件", "original and copy"],
  electronic: ["电子件", "electronic"],
};
const APPLICANT = { legal_person: ["法人", "Organisations"], natural_person: ["自然人", "Individuals"] };
const APPROVAL = { single: ["单一部门办理", "One agency"], joint: ["多部门联合办理", "Several agencies jointly"] };
const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];
const DAY_NAMES = [
  ["周一", "Mon"], ["周二", "Tue"], ["周三", "Wed"], ["周四", "Thu"], ["周五", "Fri"], ["周六", "Sat"], ["周日", "Sun"],
];

function shell(body) {
  app.innerHTML = `
    <header class="topbar"><h1>${bi("办事指南", "Service guide")}</h1></header>
    <main class="guide-page">${body}</main>`;
  app.querySelector(".topbar").append(langToggle());
}

/** "不收费 / Free": the hall file writes some texts in both languages this way. */
function biText(text) {
  const [zh, en] = splitDetail(text);
  return bi(zh, en);
}

function days(n) {
  if (n === null || n === undefined || n === "") return bi("—", "—");
  return Number(n) === 0 ? bi("即办", "same day") : bi(`${n} 个工作日`, `${n} working days`);
}

/** The hall's local date and time of an ISO instant, as [zh, en]: today / tomorrow / 12月2日 周三. */
function when(iso, tz) {
  const at = new Date(iso);
  const ymd = (d) => new Intl.DateTimeFormat("en-CA", { timeZone: tz, dateStyle: "short" }).format(d);
  const time = new Intl.DateTimeFormat("zh-CN", { timeZone: tz, hour: "2-digit", minute: "2-digit", hour12: false })
    .format(at);
  const day = ymd(at);
  const now = new Date();
  if (day === ymd(now)) return [`今天 ${time}`, `today ${time}`];
  if (day === ymd(new Date(now.getTime() + 86400000))) return [`明天 ${time}`, `tomorrow ${time}`];
  const zh = new Intl.DateTimeFormat("zh-CN", { timeZone: tz, month: "long", day: "numeric", weekday: "short" }).format(at);
  const en = new Intl.DateTimeFormat("en-GB", { timeZone: tz, weekday: "short", day: "numeric", month: "short" }).format(at);
  return [`${zh} ${time}`, `${en}, ${time}`];
}

/** Open now / next opening, from the availability fields when the server sends them. */
function openState(g, tz) {
  if (typeof g.open_now !== "boolean") return "";
  const lines = [];
  // Open hours but no clerk at any window serving it (sent by the calendar's availability fields).
  const unstaffed = g.open_now && g.staffed === false && !g.self_service;
  if (unstaffed) {
    lines.push(bi("现在没有窗口受理此事项", "No window is serving this item right now"));
    lines.push(`<span class="next">${bi("请到咨询台询问", "Please ask at the information desk")}</span>`);
  } else if (g.open_now) {
    lines.push(bi("现在可以办理", "Open now"));
    if (g.open_until) {
      const [zh, en] = when(g.open_until, tz);
      lines.push(`<span class="next">${bi(`办理至 ${zh}`, `until ${en}`)}</span>`);
    }
  } else {
    lines.push(bi("现在不办理", "Closed now"));
    if (g.closed_reason) lines.push(`<span class="next">${bi(g.closed_reason, g.closed_reason_en)}</span>`);
    if (g.next_open) {
      const [zh, en] = when(g.next_open, tz);
      lines.push(`<span class="next" data-testid="next-open">${bi(`下次办理：${zh}`, `Opens ${en}`)}</span>`);
    } else if ("next_open" in g) {
      lines.push(`<span class="next">${bi("近期没有办理时间，请拨打咨询电话", "No opening soon: please call the hall")}</span>`);
    }
  }
  if (g.self_service) lines.push(`<span class="next">${bi("自助办理，无需取号", "Self-service: no ticket needed")}</span>`);
  return `<div class="open-state ${g.open_now && !unstaffed ? "open" : "closed"}" data-testid="open-state">${lines.join("")}</div>`;
}

function hoursRows(hours) {
  if (!hours || typeof hours !== "object" || Array.isArray(hours)) return `<p>${esc(hours || "—")}</p>`;
  const groups = []; // consecutive weekdays with the same hours: [firstIndex, lastIndex, spans]
  WEEKDAYS.forEach((day, i) => {
    const spans = (hours[day] || []).join(", ");
    const last = groups[groups.length - 1];
    if (last && last[2] === spans && last[1] === i - 1) last[1] = i;
    else groups.push([i, i, spans]);
  });
  const rows = groups.map(([a, b, spans]) => {
    const label = a === b ? bi(...DAY_NAMES[a]) : bi(`${DAY_NAMES[a][0]}至${DAY_NAMES[b][0]}`, `${DAY_NAMES[a][1]}–${DAY_NAMES[b][1]}`);
    return `<tr><th>${label}</th><td>${spans ? esc(spans.replaceAll("-", "–")) : bi("不办理", "closed")}</td></tr>`;
  });
  return `<table class="hours-table">${rows.join("")}</table>`;
}

function materialItem(m) {
  const [rzh, ren] = REQUIREMENT[m.requirement] || [m.requirement, m.requirement];
  const [fzh, fen] = FORM[m.form] || [m.form, m.form];
  const copies = Number(m.copies ?? 1);
  return `<li data-testid="material">
    <strong>${esc(m.name)}</strong><span class="badge req-${esc(m.requirement)}">${bi(rzh, ren)}</span>
    <span class="meta">${bi(`${fzh} · ${copies} 份`, `${fen} · ${copies} ${copies === 1 ? "copy" : "copies"}`)}</span>
    ${m.note ? `<span class="meta">${esc(m.note)}</span>` : ""}
  </li>`;
}

function page(hall, g) {
  const tz = hall.timezone || "Asia/Shanghai";
  document.title = `${g.name} · 办事指南`;
  const windows = (g.windows || []).map((w) => `<li>${w.name ? bi(w.name, windowLabel(w.code)[1]) : biWindow(w.code)}</li>`).join("");
  const phone = g.complaint_phone || hall.complaint_phone;
  const applicants = (g.applicant_types || []).map((a) => bi(...(APPLICANT[a] || [a, a]))).join(bi("、", ", "));
  shell(`
    <p class="hall-name">${bi(hall.name, hall.name_en)}</p>
    <h2 data-testid="service-name">${bi(g.name, g.name_en)}</h2>
    <p class="en muted">The hall publishes conditions, documents and legal basis in Chinese only.</p>
    ${openState(g, tz)}
    <section class="card materials" data-testid="materials"><h3>${bi("申请材料", "Documents to bring")}</h3>
      ${(g.materials || []).length ? `<ol>${g.materials.map(materialItem).join("")}</ol>` : `<p>${bi("无需材料", "None")}</p>`}
      ${g.id_required ? `<p class="muted">${bi("取号时需出示本人有效身份证件", "Bring your ID card to take a ticket")}</p>` : ""}
    </section>
    <section class="card" data-testid="where"><h3>${bi("在哪里办", "Where")}</h3>
      <dl>
        <dt>${bi("功能区", "Area")}</dt><dd>${bi(g.zone_name, g.zone_name_en)}</dd>
        ${g.zone_location ? `<dt>${bi("位置", "Location")}</dt><dd>${biText(g.zone_location)}</dd>` : ""}
        ${windows ? `<dt>${bi("窗口", "Windows")}</dt><dd><ul>${windows}</ul></dd>` : ""}
        ${g.agency ? `<dt>${bi("实施机关", "Agency")}</dt><dd>${esc(g.agency)}</dd>` : ""}
      </dl></section>
    <section class="card" data-testid="hours"><h3>${bi("办理时间", "Opening hours")}</h3>${hoursRows(g.hours)}</section>
    <section class="card" data-testid="limits"><h3>${bi("时限与收费", "Time limits and fees")}</h3>
      <dl>
        <dt>${bi("法定时限", "Statutory limit")}</dt><dd data-testid="statutory">${days(g.statutory_days)}</dd>
        <dt>${bi("承诺时限", "Promised limit")}</dt><dd data-testid="promised">${days(g.promised_days)}</dd>
        <dt>${bi("收费", "Fee")}</dt><dd>${g.fee ? biText(g.fee) : bi("不收费", "Free")}</dd>
        ${g.approval ? `<dt>${bi("办理方式", "Handled by")}</dt><dd>${bi(...(APPROVAL[g.approval] || [g.approval, g.approval]))}</dd>` : ""}
        ${applicants ? `<dt>${bi("申请对象", "Who may apply")}</dt><dd>${applicants}</dd>` : ""}
      </dl></section>
    ${(g.conditions || []).length ? `<section class="card" data-testid="conditions"><h3>${bi("办理条件", "Conditions")}</h3>
      <ol>${g.conditions.map((c) => `<li>${esc(c)}</li>`).join("")}</ol></section>` : ""}
    ${g.legal_basis ? `<section class="card" data-testid="legal-basis"><h3>${bi("设定依据", "Legal basis")}</h3><p>${esc(g.legal_basis)}</p></section>` : ""}
    ${/^https?:\/\//.test(g.online_guide_url || "") ? `<p><a href="${esc(g.online_guide_url)}" rel="noopener">${bi("网上办事指南", "Online guide")}</a></p>` : ""}
    ${phone ? `<section class="card complaint" data-testid="complaint"><h3>${bi("咨询投诉电话", "Questions and complaints")}</h3>
      <a href="tel:${esc(phone)}" data-testid="complaint-phone">${esc(phone)}</a></section>` : ""}
    <p class="foot">${bi("本页内容以大厅现场公示为准", "The notices in the hall prevail over this page")}</p>`);
}

function notFound(hall) {
  const phone = hall && (hall.complaint_phone || hall.phone);
  shell(`
    <div class="result info" data-testid="not-found">
      <p><strong>${bi("没有找到这份办事指南", "This service guide was not found")}</strong></p>
      <p>${bi("事项可能已调整或停办，或二维码不完整。请到大厅咨询台询问，或重新扫描办事指南上的二维码。",
        "The service may have changed or been withdrawn, or the QR code was not read completely. Please ask at the hall's information desk, or scan the code on the slip again.")}</p>
      ${phone ? `<p>${bi("咨询电话", "Phone")}: <a href="tel:${esc(phone)}">${esc(phone)}</a></p>` : ""}
    </div>`);
}

function offline() {
  shell(`
    <div class="result error" data-testid="offline">
      <p>${bi("暂时无法连接服务器，请检查网络后重试", "Cannot reach the server just now: check your connection and try again")}</p>
      <button class="btn primary" type="button" data-testid="retry">${bi("重试", "Try again")}</button>
    </div>`);
  app.querySelector('[data-testid="retry"]').addEventListener("click", load);
}

async function load() {
  let halls;
  try {
    halls = await get("/api/v1/halls");
  } catch {
    return offline();
  }
  const hall = (halls || []).find((h) => h.code === hallCode);
  if (!hall || !code) return notFound(hall);
  try {
    page(hall, await get(`/api/v1/halls/${enc(hallCode)}/services/${enc(code)}`));
  } catch (err) {
    if (err.status === 404) return notFound(hall);
    offline();
  }
}

load();
