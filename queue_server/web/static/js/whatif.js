// Manager console, "what if": the last business day's tickets replayed by the server's hall simulator
// with one window more or fewer (POST /api/v1/halls/{hall}/what-if). The server computes; this shows.
import { enc, esc, get, post } from "./api.js";
import { bi } from "./i18n.js";
import { showError } from "./ui.js";

const ROWS = [
  ["windows", "窗口数", "Windows", (v) => esc(v)],
  ["tickets", "号票", "Tickets", (v) => esc(v)],
  ["mean_wait_min", "平均等候（分钟）", "Mean wait (min)", num],
  ["p90_wait_min", "90% 的人等候不超过（分钟）", "P90 wait (min)", num],
  ["max_wait_min", "最长等候（分钟）", "Longest wait (min)", num],
  ["over_threshold_share", "超过事项时限的比例", "Share over the item's threshold", pct],
  ["utilisation", "窗口忙碌比例", "Window utilisation", pct],
  ["unserved", "当日未办理", "Not served that day", (v) => esc(v)],
];

function num(v) {
  return v === null || v === undefined ? "—" : esc(Number(v).toFixed(1));
}

function pct(v) {
  return v === null || v === undefined ? "—" : esc(`${Math.round(v * 100)}%`);
}

function hallCode() {
  return new URL(location.href).searchParams.get("hall") || window.__hq?.state?.hall || "";
}

async function mount(main) {
  const box = document.createElement("details");
  box.className = "card whatif";
  box.dataset.testid = "whatif";
  box.style.marginTop = "1em";
  box.innerHTML = `
    <summary><strong>${bi("推演：按上一个营业日的实际取号，多开或少开一个窗口会怎样", "What if: the last business day's tickets with one window more or fewer")}</strong></summary>
    <form data-testid="whatif-form" style="display:flex;gap:.6em;flex-wrap:wrap;align-items:end;margin-top:.8em">
      <label>${bi("调整", "Change")}<br><select name="kind" data-testid="whatif-kind">
        <option value="add">加开一个窗口，技能同 / one more window, like</option>
        <option value="remove">少开这个窗口 / one fewer: this window</option></select></label>
      <label>${bi("窗口", "Window")}<br><select name="window" data-testid="whatif-window"></select></label>
      <button class="btn primary" data-testid="whatif-run">${bi("推演", "Run")}</button>
    </form>
    <div class="result" data-testid="whatif-error" hidden></div>
    <div data-testid="whatif-result" style="margin-top:.8em"></div>`;
  main.append(box);
  const form = box.querySelector("form");
  const error = box.querySelector('[data-testid="whatif-error"]');
  const out = box.querySelector('[data-testid="whatif-result"]');
  box.addEventListener("toggle", async () => {
    if (!box.open || form.window.options.length) return;
    try {
      const windows = await get(`/api/v1/halls/${enc(hallCode())}/windows`);
      form.window.innerHTML = windows
        .filter((w) => w.state !== "closed")
        .map((w) => `<option value="${esc(w.code)}">${esc(w.code)} ${esc(w.name || "")}</option>`)
        .join("");
    } catch (err) {
      showError(error, err);
    }
  });
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    error.hidden = true;
    out.innerHTML = `<span class="muted">${bi("正在推演…", "Running…")}</span>`;
    const change = form.kind.value === "add" ? { add_like: form.window.value } : { remove: form.window.value };
    try {
      const r = await post(`/api/v1/halls/${enc(hallCode())}/what-if`, change);
      out.innerHTML = `
        <p data-testid="whatif-summary">${bi(r.summary_zh, r.summary_en)}</p>
        <table data-testid="whatif-table">
          <thead><tr><th></th><th>${bi("当天实际", "As it happened")}</th><th>${bi("现有窗口（仿真）", "Windows now (simulated)")}</th><th>${bi("调整后（仿真）", "With the change (simulated)")}</th></tr></thead>
          <tbody>${ROWS.map(
            ([key, zh, en, fmt]) =>
              `<tr data-row="${key}"><th>${bi(zh, en)}</th><td>${key in r.actual ? fmt(r.actual[key]) : ""}</td>` +
              `<td data-col="now">${fmt(r.now[key])}</td><td data-col="then">${fmt(r.then[key])}</td></tr>`,
          ).join("")}</tbody>
        </table>
        <p class="muted">${bi(
          `${r.day} 的号票按实际取号时间和实际办理时长重演，叫号规则与系统相同；仿真假定目前开放的 ${r.now.windows} 个窗口在营业时间内全程有人，与“当天实际”的差别多来自当天窗口的实际在岗和休息情况。`,
          `The tickets of ${r.day} at the times they were taken, with the service times they really took, through the system's own calling rule; the simulation assumes the ${r.now.windows} windows open now were staffed all through the opening hours, so most of its difference from "as it happened" comes from who was really at the windows, and when.`,
        )}</p>`;
    } catch (err) {
      out.innerHTML = "";
      showError(error, err);
    }
  });
}

// manager.js renders its <main> after signing in; add the section to it once it is there.
const app = document.getElementById("app");
const watcher = new MutationObserver(() => {
  const main = app.querySelector("main");
  if (main && !main.querySelector('[data-testid="whatif"]')) mount(main);
});
watcher.observe(app, { childList: true, subtree: true });
