// Manager console, appointments (预约管理): one item's slots of one day with places left, the day's
// bookings (masked), and the manager's changes: close the day's slots, reopen them, set the places per
// slot. Bookings already made stay booked; the server says so and computes everything shown here.
// Its own module, included by manager.html: it adds one collapsible section and needs nothing else of
// the console. Opened after signing in (the console's token is in localStorage).
import { api, enc, esc, get } from "./api.js";
import { bi, splitDetail } from "./i18n.js";

const box = document.createElement("details");
box.className = "card appointments-admin";
box.dataset.testid = "appointments";
box.innerHTML = `<summary data-testid="appointments-open">${bi("预约管理", "Appointments")}</summary>
  <div class="appt-form">
    <select data-testid="appt-service"></select>
    <input type="date" data-testid="appt-day">
    <button class="btn" data-testid="appt-show">${bi("查看", "Show")}</button>
    <button class="btn" data-testid="appt-close">${bi("停止当日预约", "Close the day")}</button>
    <button class="btn" data-testid="appt-reopen">${bi("恢复当日预约", "Reopen the day")}</button>
    <label>${bi("每时段名额", "Places per slot")} <input type="number" min="0" max="500" data-testid="appt-capacity"></label>
    <button class="btn" data-testid="appt-set-capacity">${bi("设置", "Set")}</button>
  </div>
  <div data-testid="appt-result"></div>
  <div data-testid="appt-slots"></div>
  <div data-testid="appt-bookings"></div>`;
document.body.append(box);
const $ = (id) => box.querySelector(`[data-testid="${id}"]`);
let hall = new URL(location.href).searchParams.get("hall") || "";
let ready = false;

function result(kind, zh, en) {
  $("appt-result").innerHTML = zh ? `<p class="result ${kind}">${bi(zh, en)}</p>` : "";
}

function error(err) {
  const [zh, en] = splitDetail(err.detail);
  result("error", zh, (err.body && err.body.detail_en) || en);
}

box.addEventListener("toggle", async () => {
  if (!box.open || ready) return;
  try {
    if (!hall) hall = (await get("/api/v1/halls"))[0]?.code || "";
    const info = await get(`/api/v1/halls/${enc(hall)}/booking`);
    $("appt-service").innerHTML = info.services
      .map((s) => `<option value="${esc(s.code)}">${esc(s.name)} / ${esc(s.name_en)}</option>`)
      .join("");
    $("appt-day").value = info.days[1] || info.days[0] || "";
    ready = true;
    await show();
  } catch (err) {
    error(err);
  }
});

async function show() {
  const code = $("appt-service").value;
  const day = $("appt-day").value;
  if (!code || !day) return;
  const found = await get(`/api/v1/halls/${enc(hall)}/services/${enc(code)}/slots?date=${enc(day)}`);
  render(found);
  const bookings = await get(`/api/v1/halls/${enc(hall)}/appointments?date=${enc(day)}`);
  $("appt-bookings").innerHTML = bookings.length
    ? `<table><thead><tr><th>${bi("预约码", "Code")}</th><th>${bi("事项", "Service")}</th><th>${bi("时段", "Time")}</th>
        <th>${bi("状态", "Status")}</th><th>${bi("证件", "ID")}</th></tr></thead><tbody>${bookings
        .map((a) => `<tr data-testid="appt-booking"><td>${esc(a.code)}</td><td>${esc(a.service_name)}</td>
          <td>${esc(a.slot_start.slice(11, 16))}</td><td>${bi(a.status_zh, a.status_en)}</td>
          <td>${esc(a.id_masked)} ${esc(a.name_masked)}</td></tr>`)
        .join("")}</tbody></table>`
    : `<p class="muted" data-testid="appt-no-bookings">${bi("当日没有预约", "No bookings this day")}</p>`;
}

function render(found) {
  const rows = found.slots
    .map((s) => `<tr data-testid="appt-slot"><td>${esc(s.start.slice(11, 16))}–${esc(s.end.slice(11, 16))}</td>
      <td>${s.capacity}</td><td>${s.left}</td></tr>`)
    .join("");
  $("appt-slots").innerHTML = found.reason
    ? `<p class="result info" data-testid="appt-reason">${bi(found.reason, found.reason_en)}</p>`
    : `<table><thead><tr><th>${bi("时段", "Time")}</th><th>${bi("名额", "Places")}</th><th>${bi("剩余", "Left")}</th></tr></thead>
        <tbody>${rows}</tbody></table>`;
}

async function change(body, zh, en) {
  const code = $("appt-service").value;
  const day = $("appt-day").value;
  try {
    await api("PUT", `/api/v1/halls/${enc(hall)}/services/${enc(code)}/slot-days/${enc(day)}`, body);
    result("ok", zh, en);
    await show();
  } catch (err) {
    error(err);
  }
}

$("appt-show").addEventListener("click", () => show().catch(error));
$("appt-close").addEventListener("click", () =>
  change({ closed: true }, "已停止当日预约，已有预约保留", "Closed for new bookings; existing bookings stay"),
);
$("appt-reopen").addEventListener("click", () => change({ closed: false }, "已恢复当日预约", "Reopened"));
$("appt-set-capacity").addEventListener("click", () => {
  const n = Number($("appt-capacity").value);
  change({ closed: false, capacity: n }, `每时段名额已设为 ${n}`, `Places per slot set to ${n}`);
});
