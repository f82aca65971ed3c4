// Pair devices (part of the console): enter the code a display, pad or kiosk shows, name it and say
// where it is; the device then receives its credential by itself. The list below pairs a device
// again (a new credential: the old one stops at once and the device shows a new code) or revokes it.
import { enc, esc, get, getToken, logout, post } from "./api.js";
import { bi, initLang, langToggle } from "./i18n.js";
import { loginForm, showError, showResult } from "./ui.js";

initLang();
const app = document.getElementById("app");
app.innerHTML = `
  <header class="topbar"><h1 data-testid="title">${bi("设备配对", "Pair devices")}</h1></header>
  <main style="padding:1em" id="body"></main>`;
app.querySelector(".topbar").append(langToggle());
const body = app.querySelector("#body");

window.addEventListener("hq:unauthorized", () => {
  logout();
  location.reload();
});

async function start() {
  if (!getToken()) await loginForm(body, ["设备配对：请登录", "Pair devices: sign in"]);
  const halls = await get("/api/v1/halls");
  body.innerHTML = `
    <form class="card" data-testid="pair-form">
      <label>${bi("屏幕上的配对码", "Code on the device's screen")}
        <input name="code" data-testid="pair-code" required autocomplete="off" placeholder="ABCD-EFGH"></label>
      <label>${bi("设备名称", "Device name")}
        <input name="name" data-testid="pair-name" required pattern="[A-Za-z0-9_.\\-]{2,80}" placeholder="tv-social-1"></label>
      <label>${bi("大厅", "Hall")}<select name="hall" data-testid="pair-hall">${halls
        .map((h) => `<option value="${esc(h.code)}">${esc(h.name)}</option>`)
        .join("")}</select></label>
      <label>${bi("功能区（综合屏）", "Zone (hall display)")}<select name="zone" data-testid="pair-zone"></select></label>
      <label>${bi("窗口（评价器）", "Window (evaluation pad)")}<select name="window" data-testid="pair-window"></select></label>
      <button class="btn primary big" type="submit" data-testid="pair-submit">${bi("配对", "Pair")}</button>
      <div class="result" data-testid="pair-result" hidden></div>
    </form>
    <section class="card" style="margin-top:1em"><h2>${bi("本大厅的设备", "Devices of this hall")}</h2>
      <table data-testid="devices"><tbody></tbody></table><div class="result" hidden></div></section>`;
  const form = body.querySelector("form");
  const hallSel = form.querySelector('[name="hall"]');
  hallSel.addEventListener("change", () => places(form));
  await places(form);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const fd = new FormData(form);
    const req = { code: String(fd.get("code")), name: String(fd.get("name")), hall: String(fd.get("hall")) };
    if (fd.get("zone")) req.zone = String(fd.get("zone"));
    if (fd.get("window")) req.window = String(fd.get("window"));
    try {
      const d = await post("/api/v1/pairing/approve", req);
      showResult(form.querySelector(".result"), "ok",
        bi(`已配对 ${esc(d.name)}：设备将在几秒内自动连接`, `${esc(d.name)} paired: the device connects within seconds`));
      form.querySelector('[name="code"]').value = "";
      await devices(req.hall);
    } catch (err) {
      showError(form.querySelector(".result"), err);
    }
  });
}

async function places(form) {
  const hall = form.querySelector('[name="hall"]').value;
  const [zones, wins] = await Promise.all([
    get(`/api/v1/halls/${enc(hall)}/zones`),
    get(`/api/v1/halls/${enc(hall)}/windows`).catch(() => []),
  ]);
  form.querySelector('[name="zone"]').innerHTML = `<option value="">—</option>${zones
    .map((z) => `<option value="${esc(z.key)}">${esc(z.name)}</option>`).join("")}`;
  form.querySelector('[name="window"]').innerHTML = `<option value="">—</option>${wins
    .map((w) => `<option value="${esc(w.code)}">${esc(w.name)}</option>`).join("")}`;
  await devices(hall);
}

async function devices(hall) {
  const table = body.querySelector('[data-testid="devices"] tbody');
  const list = await get(`/api/v1/halls/${enc(hall)}/devices`).catch(() => []);
  table.innerHTML = list
    .map((d) => `<tr data-device="${esc(d.name)}"><td>${esc(d.name)}</td><td>${esc(d.kind)}</td>
      <td>${d.active ? bi("在用", "active") : bi("已停用", "revoked")}</td>
      <td>${d.active ? `<button class="btn" type="button" data-action="revoke">${bi("重新配对", "Pair again")}</button>` : ""}</td></tr>`)
    .join("");
  table.querySelectorAll('[data-action="revoke"]').forEach((btn) =>
    btn.addEventListener("click", async () => {
      const name = btn.closest("tr").dataset.device;
      try {
        // The device's credential stops at once; the device then shows a new code to pair it again.
        await post(`/api/v1/pairing/${enc(name)}/unpair`);
        await devices(hall);
      } catch (err) {
        showError(body.querySelector("section .result"), err);
      }
    }),
  );
}

start().catch((err) => showError(body, err));
