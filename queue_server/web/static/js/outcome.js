// The clerk terminal's outcome panel (办理结果), its own module beside clerk.js: when a ticket is
// finished at this clerk's window, it asks what was decided — 受理 / 一次性告知 (missing materials
// ticked from the item's checklist) / 容缺受理 (materials owed, due date) / 不予受理 (reason) / 咨询 —
// records it (POST /tickets/{id}/outcome) and offers the printable slip.
import { enc, esc, get, post } from "./api.js";
import { bi, biDetail } from "./i18n.js";
import { Live } from "./live.js";

const PLACE_KEY = "hq.clerk.place"; // "hall/window", kept by clerk.js
const KINDS = [
  ["accepted", "受理", "Accepted"],
  ["notice", "一次性告知", "Notice: materials missing"],
  ["deferred", "容缺受理", "Accepted, materials owed"],
  ["refused", "不予受理", "Not accepted"],
  ["consult", "咨询", "Consultation"],
];

const panel = document.createElement("aside");
panel.className = "outcome-panel card";
panel.dataset.testid = "outcome-panel";
panel.hidden = true;
panel.style.cssText = "position:fixed;right:1em;bottom:1em;max-width:28em;max-height:80vh;overflow:auto;z-index:20;background:#fff;padding:1em;box-shadow:0 2px 12px rgba(0,0,0,.3)";
document.body.append(panel);

async function ask(ticket, hall) {
  let materials = [];
  try {
    materials = (await get(`/api/v1/halls/${enc(hall)}/services/${enc(ticket.service)}`)).materials || [];
  } catch {
    /* without the checklist only the kinds without materials can be chosen */
  }
  panel.hidden = false;
  panel.dataset.ticket = ticket.ticket_id;
  panel.innerHTML = `<h3>${bi(`${esc(ticket.number)} 号 办理结果`, `Outcome of ${esc(ticket.number)}`)}</h3>
    <div>${KINDS.map(([k, zh, en]) => `<label><input type="radio" name="kind" value="${k}" data-testid="kind-${k}"> ${bi(zh, en)}</label>`).join("<br>")}</div>
    <fieldset data-testid="materials" hidden><legend>${bi("所缺材料", "Missing materials")}</legend>
      ${materials.map((m, i) => `<label><input type="checkbox" value="${esc(m.name)}" data-testid="material-${i}"> ${esc(m.name)}</label>`).join("<br>")}</fieldset>
    <label data-testid="owed" hidden>${bi("补交期限", "Due by")} <input type="date" name="owed_by"></label>
    <label data-testid="reason-box" hidden>${bi("不予受理理由", "Reason")} <textarea name="reason" maxlength="500" data-testid="reason-input"></textarea></label>
    <p><button type="button" class="btn primary" data-testid="outcome-save">${bi("保存", "Save")}</button>
       <button type="button" class="btn" data-testid="outcome-later">${bi("稍后", "Later")}</button></p>
    <p class="result" data-testid="outcome-result" hidden></p>`;
  const kind = () => panel.querySelector("input[name=kind]:checked")?.value;
  panel.addEventListener("change", () => {
    const k = kind();
    panel.querySelector('[data-testid="materials"]').hidden = !(k === "notice" || k === "deferred");
    panel.querySelector('[data-testid="owed"]').hidden = k !== "deferred";
    panel.querySelector('[data-testid="reason-box"]').hidden = k !== "refused";
  });
  panel.querySelector('[data-testid="outcome-later"]').addEventListener("click", () => (panel.hidden = true));
  panel.querySelector('[data-testid="outcome-save"]').addEventListener("click", async () => {
    const k = kind();
    const result = panel.querySelector('[data-testid="outcome-result"]');
    const body = { kind: k };
    if (k === "notice" || k === "deferred") body.missing = [...panel.querySelectorAll("fieldset input:checked")].map((i) => i.value);
    if (k === "deferred") body.owed_by = panel.querySelector("input[name=owed_by]").value || null;
    if (k === "refused") body.reason = panel.querySelector("textarea").value;
    try {
      if (!k) throw { detail: "请选择办理结果 / choose the outcome" };
      const o = await post(`/api/v1/tickets/${enc(ticket.ticket_id)}/outcome`, body);
      result.hidden = false;
      result.className = "result ok";
      result.innerHTML = `${bi(`已记录：${esc(o.label)}`, `Recorded: ${esc(o.label_en)}`)}${
        o.slip ? ` <a href="/ui/slip/${enc(ticket.ticket_id)}" target="_blank" data-testid="slip-link">${bi(`打印${esc(o.slip)}`, "Print the slip")}</a>` : ""
      }`;
      panel.querySelector('[data-testid="outcome-save"]').disabled = true;
    } catch (e) {
      result.hidden = false;
      result.className = "result error";
      result.innerHTML = biDetail(e.detail);
    }
  });
}

function watch() {
  const [hall, win] = (localStorage.getItem(PLACE_KEY) || "/").split("/");
  if (!hall || !win) {
    setTimeout(watch, 2000); // not at a window yet
    return;
  }
  new Live({
    hall,
    onSnapshot() {},
    onEvent(ev) {
      const p = ev.payload || {};
      if (ev.type === "ticket.finished" && p.window === win) ask(p, hall);
    },
  }).start();
}
watch();
