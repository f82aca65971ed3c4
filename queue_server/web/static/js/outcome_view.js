// The window's decision on a finished ticket (受理 / 一次性告知 / 容缺受理 / 不予受理 / 咨询), as the
// server gives it: the citizen's status page and the printable slip both show it from here.
import { esc } from "./api.js";
import { bi } from "./i18n.js";

const REQ = { required: ["必交", "required"], optional: ["视情形提交", "if applicable"], later: ["可后补", "may follow"] };

export function outcomeHtml(o) {
  const rows = [];
  if (o.missing && o.missing.length) {
    const title = o.kind === "deferred" ? bi("需补交的材料", "Materials still owed") : bi("还需提交的材料", "Materials still needed");
    rows.push(`<dt>${title}</dt><dd><ol class="missing" data-testid="missing">${o.missing
      .map((m) => {
        const req = REQ[m.requirement] || ["", ""];
        const extra = [m.copies ? `${m.copies} 份` : "", req[0], m.note || ""].filter(Boolean).join("，");
        return `<li>${esc(m.name)}${extra ? `<span class="muted">（${esc(extra)}）</span>` : ""}</li>`;
      })
      .join("")}</ol></dd>`);
  }
  if (o.owed_by) rows.push(`<dt>${bi("补交期限", "Due by")}</dt><dd data-testid="owed-by">${esc(o.owed_by)}</dd>`);
  if (o.reason) rows.push(`<dt>${bi("不予受理理由", "Reason")}</dt><dd data-testid="reason">${esc(o.reason)}</dd>`);
  return `<section class="outcome card" data-testid="outcome" data-kind="${esc(o.kind)}">
    <h2>${bi(`办理结果：${o.label}`, `Outcome: ${o.label_en}`)}</h2>
    ${rows.length ? `<dl>${rows.join("")}</dl>` : ""}
  </section>`;
}
