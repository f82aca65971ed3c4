// The printable slip of a window's decision (受理单 / 容缺受理单 / 一次性告知单 / 不予受理通知书), for
// the counter's office printer: /ui/slip/{ticket id}, opened by staff (their token). A4, Chinese.
import { enc, esc, get, pathParts } from "./api.js";
import { fmtDateTime } from "./i18n.js";
import { outcomeHtml } from "./outcome_view.js";

const [ticketId] = pathParts("/ui/slip/");
const app = document.getElementById("app");

async function show() {
  try {
    const s = await get(`/api/v1/tickets/${enc(ticketId)}/outcome`);
    if (!s.slip) {
      app.innerHTML = `<p class="result info" data-testid="no-slip">咨询无需打印结果单 / a consultation has no slip</p>`;
      return;
    }
    document.title = `${s.slip} ${s.number}`;
    app.innerHTML = `<div class="slip-page" data-testid="slip">
      <h1 data-testid="slip-title">${esc(s.slip)}</h1>
      <dl>
        <dt>办事大厅</dt><dd>${esc(s.hall_name)}</dd>
        <dt>事项</dt><dd>${esc(s.service_name)}（${esc(s.service)}）</dd>
        ${s.agency ? `<dt>实施机关</dt><dd>${esc(s.agency)}</dd>` : ""}
        <dt>排队号</dt><dd>${esc(s.number)}</dd>
        <dt>窗口</dt><dd>${esc(s.window_name || s.window || "")}</dd>
        <dt>时间</dt><dd>${esc(fmtDateTime(s.at, s.timezone))}</dd>
        ${s.kind === "accepted" || s.kind === "deferred" ? `<dt>承诺时限</dt><dd>${esc(s.promised_days)} 个工作日</dd>` : ""}
        ${s.kind === "refused" && s.legal_basis ? `<dt>依据</dt><dd>${esc(s.legal_basis)}</dd>` : ""}
      </dl>
      ${outcomeHtml(s)}
      ${s.kind === "refused" ? "<p>如对本决定有异议，可依法申请行政复议或者提起行政诉讼。</p>" : ""}
      <p>咨询电话：${esc(s.hall_phone)}　投诉电话：${esc(s.complaint_phone)}</p>
      <div class="sign"><span>经办人：</span><span>（窗口印章）</span></div>
      <p class="no-print"><button type="button" class="btn primary" data-testid="print">打印 / Print</button></p>
    </div>`;
    app.querySelector('[data-testid="print"]').addEventListener("click", () => window.print());
  } catch (err) {
    app.innerHTML = `<p class="result error" data-testid="slip-error">${esc(err.detail)}</p>`;
  }
}
show();
