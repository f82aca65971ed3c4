// The public booking page (/book/{hall}), for phones: item → day → slot → ID number, name and phone →
// the booking's code and QR code; `?booking=<token>` shows one booking (status, cancel, and the live
// ticket after check-in). The server decides everything (slots, places left, rules, refusals); the
// page shows it. No network resources beyond this server.
import { enc, esc, get, newKey, pathParts, post } from "./api.js";
import { bi, biStatus, initLang, langToggle, splitDetail } from "./i18n.js";

initLang();
const [hall] = pathParts("/book/");
const app = document.getElementById("app");
app.innerHTML = `
  <header class="topbar"><h1>${bi("网上预约", "Book an appointment")}</h1></header>
  <main class="status-page book-page">
    <div data-testid="message" aria-live="polite"></div>
    <div data-testid="step"></div>
  </main>`;
app.querySelector(".topbar").append(langToggle());
const message = app.querySelector('[data-testid="message"]');
const step = app.querySelector('[data-testid="step"]');
const choice = { service: null, day: null, slot: null, key: newKey("book") };

const hhmm = (iso) => iso.slice(11, 16);
const md = (day) => `${Number(day.slice(5, 7))}月${Number(day.slice(8, 10))}日`;

function say(kind, zh, en) {
  message.innerHTML = zh ? `<p class="result ${kind}" data-testid="${kind}">${bi(zh, en)}</p>` : "";
}

function sayError(err) {
  const [zh, en] = splitDetail(err.detail);
  say("error", zh, (err.body && err.body.detail_en) || en);
}

function button(label, testid, onClick, extra = "") {
  const b = document.createElement("button");
  b.type = "button";
  b.className = `btn ${extra}`;
  b.dataset.testid = testid;
  b.innerHTML = label;
  b.addEventListener("click", onClick);
  return b;
}

async function start() {
  const token = new URL(location.href).searchParams.get("booking");
  if (token) return showBooking(token);
  let info;
  try {
    info = await get(`/api/v1/halls/${enc(hall)}/booking`);
  } catch (err) {
    return sayError(err);
  }
  step.innerHTML = `<h2>${bi(info.hall_name, info.hall_name_en)}</h2>
    <p class="muted" data-testid="rules">${bi(info.rules, info.rules_en)}</p>
    <h3>${bi("选择事项", "Choose the service")}</h3><div class="choices" data-testid="services"></div>`;
  const list = step.querySelector('[data-testid="services"]');
  if (!info.services.length) say("info", "本大厅暂无可预约事项，请到大厅现场取号", "No service takes bookings here; take a ticket in the hall");
  for (const sv of info.services) {
    list.append(button(bi(sv.name, sv.name_en), "service", () => chooseDay(info, sv)));
  }
}

function chooseDay(info, sv) {
  choice.service = sv;
  say("");
  step.innerHTML = `<h2>${bi(sv.name, sv.name_en)}</h2><h3>${bi("选择日期", "Choose the day")}</h3>
    <div class="choices" data-testid="days"></div>`;
  const list = step.querySelector('[data-testid="days"]');
  for (const day of info.days) list.append(button(bi(md(day), day), "day", () => chooseSlot(info, day)));
  step.append(button(bi("返回", "Back"), "back", () => start(), "secondary"));
}

async function chooseSlot(info, day) {
  choice.day = day;
  say("");
  let found;
  try {
    found = await get(`/api/v1/halls/${enc(hall)}/services/${enc(choice.service.code)}/slots?date=${enc(day)}`);
  } catch (err) {
    return sayError(err);
  }
  step.innerHTML = `<h2>${bi(`${choice.service.name} · ${md(day)}`, `${choice.service.name_en} · ${day}`)}</h2>
    <h3>${bi("选择时段", "Choose the time")}</h3><div class="choices slots" data-testid="slots"></div>`;
  const list = step.querySelector('[data-testid="slots"]');
  if (found.reason) say("info", found.reason, found.reason_en);
  else if (!found.slots.length) say("info", "当日已无可预约时段，请选择其他日期", "No times left on this day; choose another day");
  for (const s of found.slots) {
    const b = button(
      bi(`${hhmm(s.start)}–${hhmm(s.end)} 余 ${s.left}`, `${hhmm(s.start)}–${hhmm(s.end)}, ${s.left} left`),
      "slot",
      () => form(s),
    );
    b.disabled = s.left === 0;
    list.append(b);
  }
  step.append(button(bi("返回", "Back"), "back", () => chooseDay(info, choice.service), "secondary"));
}

function form(slot) {
  choice.slot = slot;
  say("");
  step.innerHTML = `<h2>${bi(`${choice.service.name} · ${md(choice.day)} ${hhmm(slot.start)}`,
    `${choice.service.name_en} · ${choice.day} ${hhmm(slot.start)}`)}</h2>
    <form class="book-form" data-testid="form" autocomplete="off">
      <label>${bi("身份证号码", "ID number")}<input name="id_number" data-testid="id-number" inputmode="text" maxlength="18" required></label>
      <label>${bi("姓名", "Name")}<input name="name" data-testid="name" maxlength="40" required></label>
      <label>${bi("手机号码", "Mobile number")}<input name="phone" data-testid="phone" type="tel" inputmode="numeric" maxlength="16" required></label>
      <p class="muted">${bi("身份证号码只用于核对本人和预约规则，不会明文保存。", "Your ID number is used only to check who you are and the booking rules; it is not stored in clear.")}</p>
      <button class="btn primary" type="submit" data-testid="submit">${bi("确认预约", "Book")}</button>
    </form>`;
  step.querySelector("form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const f = new FormData(ev.target);
    const submit = step.querySelector('[data-testid="submit"]');
    submit.disabled = true; // a double tap sends one request; the idempotency key covers a retry
    try {
      const made = await post(`/api/v1/halls/${enc(hall)}/appointments`, {
        service: choice.service.code,
        slot_start: slot.start,
        id_card: { id_number: String(f.get("id_number")).trim(), name: String(f.get("name")).trim() },
        phone: String(f.get("phone")).trim(),
        idempotency_key: choice.key,
      });
      choice.key = newKey("book");
      history.replaceState(null, "", `${location.pathname}?booking=${enc(made.token)}`);
      say("ok", "预约成功，请保存预约码或截图二维码", "Booked: keep the code or a screenshot of the QR code");
      render(made);
    } catch (err) {
      submit.disabled = false;
      sayError(err);
    }
  });
}

async function showBooking(token) {
  try {
    render(await get(`/api/v1/public/appointments/${enc(token)}`));
  } catch (err) {
    sayError(err);
  }
}

function render(a) {
  const t = a.ticket;
  const ticket = t
    ? `<div class="called-box" data-testid="live-ticket">${bi(`您的号码 ${t.number}`, `Your ticket ${t.number}`)}
       · ${biStatus(t.status)}${t.waiting_ahead != null ? ` · ${bi(`前面 ${t.waiting_ahead} 人`, `${t.waiting_ahead} ahead`)}` : ""}</div>`
    : "";
  step.innerHTML = `
    <div class="card booking" data-testid="booking">
      <p class="ticket-num" data-testid="code">${esc(a.code)}</p>
      <p class="status-line" data-testid="status">${bi(a.status_zh, a.status_en)}</p>
      ${ticket}
      <dl>
        <dt>${bi("事项", "Service")}</dt><dd>${bi(a.service_name, a.service_name_en)}</dd>
        <dt>${bi("时段", "Time")}</dt><dd data-testid="slot">${esc(a.slot_start.slice(0, 10))} ${hhmm(a.slot_start)}–${hhmm(a.slot_end)}</dd>
        <dt>${bi("签到", "Check in")}</dt><dd>${hhmm(a.checkin_from)}–${hhmm(a.checkin_until)}</dd>
        <dt>${bi("证件", "ID")}</dt><dd>${esc(a.id_masked)} ${esc(a.name_masked)}</dd>
        <dt>${bi("手机", "Mobile")}</dt><dd>${esc(a.phone_masked)}</dd>
      </dl>
      ${a.status === "booked" && a.qr_svg ? `<div class="qr" data-testid="qr">${a.qr_svg}</div>
        <p class="muted">${bi("到大厅自助机扫此二维码或刷身份证签到", "At a hall kiosk, scan this code or read your ID card to check in")}</p>` : ""}
    </div>`;
  if (a.status === "booked") {
    step.append(button(bi("取消预约", "Cancel the booking"), "cancel", () => cancel(a), "danger"));
  }
  step.append(button(bi("预约其他事项", "Book something else"), "again", () => {
    history.replaceState(null, "", location.pathname);
    say("");
    start();
  }, "secondary"));
}

async function cancel(a) {
  if (!confirm("确定取消这个预约吗？ / Cancel this booking?")) return;
  try {
    const done = await post(`/api/v1/public/appointments/${enc(a.token)}/cancel`);
    say("ok", "预约已取消，名额已释放", "Cancelled: the place is free again");
    render(done);
  } catch (err) {
    sayError(err);
  }
}

start();
