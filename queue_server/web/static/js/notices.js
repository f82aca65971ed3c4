// Manager console, notices (公告): the lines the hall displays scroll along their bottom. A manager
// adds, edits, orders and removes them; displays follow the live events at once. Its own module,
// included by manager.html: it mounts in the console's `notices` slot once the page is ready,
// follows the console's events (`hq:event`) one by one and starts again from each snapshot.
import { api, enc, esc, get, post } from "./api.js";
import { bi, biDetail, fmtDateTime } from "./i18n.js";

const API = (hall) => `/api/v1/halls/${enc(hall)}/notices`;

document.addEventListener("hq:ready", ({ detail }) => {
  if (detail.page !== "manager") return;
  mount(detail.shell.slot("notices"), detail.hall, () => detail.shell.tz?.() || "Asia/Shanghai");
});

function mount(box, hall, tz) {
  const notices = new Map(); // id → notice, as the server wrote it
  let editing = null; // the id being edited, or null when adding
  box.innerHTML = `
    <form class="card notice-form" data-testid="notice-form" novalidate>
      <h3 data-testid="notice-form-title"></h3>
      <label class="wide">${bi("公告内容（中文，必填）", "Notice (Chinese, required)")}
        <textarea name="text" rows="2" maxlength="200" data-testid="notice-text"></textarea></label>
      <label class="wide">${bi("英文内容（英文模式显示；不填则显示中文）", "English text (English mode; empty: the Chinese is shown)")}
        <textarea name="text_en" rows="2" maxlength="300" data-testid="notice-text-en"></textarea></label>
      <div class="row">
        <label>${bi("开始显示（大厅当地时间，可不填）", "Show from (hall time, optional)")}<br>
          <input name="starts_at" type="datetime-local" data-testid="notice-from"></label>
        <label>${bi("停止显示（可不填）", "Show until (optional)")}<br>
          <input name="ends_at" type="datetime-local" data-testid="notice-to"></label>
        <label>${bi("顺序（小的在前）", "Order (smallest first)")}<br>
          <input name="order" type="number" min="0" max="10000" step="1" data-testid="notice-order"></label>
        <span class="dialog-buttons">
          <button class="btn" type="button" data-testid="notice-cancel" hidden>${bi("取消修改", "Cancel")}</button>
          <button class="btn primary" data-testid="notice-save"></button>
        </span>
      </div>
      <div class="notice-msg" data-testid="notice-msg" role="status"></div>
    </form>
    <div class="card" data-testid="notices" style="margin-top:1em"></div>
    <dialog class="confirm" data-testid="notice-confirm"></dialog>`;
  const form = box.querySelector("form");
  const $ = (id) => box.querySelector(`[data-testid="${id}"]`);

  function say(kind, html) {
    $("notice-msg").className = `notice-msg ${kind}`;
    $("notice-msg").innerHTML = html;
  }

  function setMode(id) {
    editing = id;
    $("notice-form-title").innerHTML = id === null ? bi("新增公告", "New notice") : bi("修改公告", "Edit notice");
    $("notice-save").innerHTML = id === null ? bi("发布公告", "Publish") : bi("保存修改", "Save");
    $("notice-cancel").hidden = id === null;
  }

  // The server writes times in the hall's local time with its offset: the first 16 characters are
  // what a datetime-local field holds (and sends back as hall time).
  const field = (iso) => (iso ? iso.slice(0, 16) : "");

  function render() {
    const list = [...notices.values()].sort((a, b) => a.order - b.order || a.id - b.id);
    const when = (n) =>
      n.starts_at || n.ends_at
        ? `${n.starts_at ? esc(fmtDateTime(n.starts_at, tz())) : bi("现在", "now")} – ${
            n.ends_at ? esc(fmtDateTime(n.ends_at, tz())) : bi("长期", "until removed")
          }`
        : bi("长期显示", "Always");
    $("notices").innerHTML = list.length
      ? `<table><thead><tr><th>${bi("顺序", "Order")}</th><th>${bi("公告", "Notice")}</th><th>${bi("显示时间", "Shown")}</th>
          <th>${bi("发布人", "By")}</th><th></th></tr></thead><tbody>${list
          .map(
            (n) => `<tr data-testid="notice-row" data-id="${n.id}"><td class="num">${n.order}</td>
              <td><div lang="zh-CN">${esc(n.text)}</div><div class="muted" lang="en">${esc(n.text_en) || bi("（无英文）", "(no English)")}</div></td>
              <td>${when(n)}</td><td>${esc(n.created_by)}</td>
              <td class="row-buttons"><button class="btn" type="button" data-edit="${n.id}" data-testid="notice-edit">${bi("修改", "Edit")}</button>
                <button class="btn danger" type="button" data-remove="${n.id}" data-testid="notice-remove">${bi("删除", "Remove")}</button></td></tr>`,
          )
          .join("")}</tbody></table>`
      : `<p class="muted" data-testid="no-notices">${bi("暂无公告。发布后，大厅显示屏底部会滚动显示。", "No notice. Published notices scroll along the bottom of the hall displays.")}</p>`;
    for (const b of box.querySelectorAll("[data-edit]")) b.addEventListener("click", () => edit(Number(b.dataset.edit)));
    for (const b of box.querySelectorAll("[data-remove]")) b.addEventListener("click", () => remove(Number(b.dataset.remove)));
  }

  async function load() {
    try {
      notices.clear();
      for (const n of await get(API(hall))) notices.set(n.id, n);
      render();
    } catch (err) {
      say("error", biDetail(err.detail || String(err)));
    }
  }

  function edit(id) {
    const n = notices.get(id);
    if (!n) return;
    setMode(id);
    form.text.value = n.text;
    form.text_en.value = n.text_en;
    form.starts_at.value = field(n.starts_at);
    form.ends_at.value = field(n.ends_at);
    form.order.value = String(n.order);
    say("", "");
    form.text.focus();
  }

  function reset() {
    form.reset();
    setMode(null);
  }

  function confirmRemove(n) {
    const dlg = $("notice-confirm");
    dlg.innerHTML = `<form method="dialog"><p>${bi("确定删除这条公告吗？显示屏上将立即消失。", "Remove this notice? It leaves the displays at once.")}</p>
      <blockquote>${esc(n.text)}</blockquote>
      <div class="dialog-buttons"><button class="btn" value="cancel" data-testid="notice-confirm-cancel">${bi("取消", "Cancel")}</button>
      <button class="btn danger" value="ok" data-testid="notice-confirm-ok">${bi("删除", "Remove")}</button></div></form>`;
    return new Promise((resolve) => {
      dlg.addEventListener("close", () => resolve(dlg.returnValue === "ok"), { once: true });
      dlg.showModal();
    });
  }

  async function remove(id) {
    const n = notices.get(id);
    if (!n || !(await confirmRemove(n))) return;
    try {
      await api("DELETE", `${API(hall)}/${enc(id)}`);
      notices.delete(id);
      if (editing === id) reset();
      render();
      say("ok", bi("已删除公告", "Notice removed"));
    } catch (err) {
      say("error", biDetail(err.detail || String(err)));
    }
  }

  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    const text = form.text.value.trim();
    // Our own words, not the browser's English "Please fill out this field".
    if (!text) {
      say("error", bi("请填写公告内容（中文）", "Write the notice in Chinese"));
      form.text.focus();
      return;
    }
    const order = form.order.value === "" ? null : Number(form.order.value);
    if (order !== null && !(Number.isInteger(order) && order >= 0 && order <= 10000)) {
      say("error", bi("顺序须为 0–10000 的整数", "Order: a whole number from 0 to 10000"));
      return;
    }
    const body = {
      text,
      text_en: form.text_en.value.trim() || null,
      starts_at: form.starts_at.value || null, // without an offset: the hall's local time
      ends_at: form.ends_at.value || null,
      order,
    };
    try {
      const saved = editing === null ? await post(API(hall), body) : await api("PUT", `${API(hall)}/${enc(editing)}`, body);
      notices.set(saved.id, saved);
      say("ok", editing === null ? bi("公告已发布，显示屏即时显示", "Published: the displays show it now") : bi("公告已保存", "Notice saved"));
      reset();
      render();
    } catch (err) {
      say("error", biDetail(err.detail || String(err)));
    }
  });
  $("notice-cancel").addEventListener("click", reset);

  // Another manager's change arrives as an event: apply it, no reload.
  document.addEventListener("hq:event", ({ detail: ev }) => {
    const p = ev.payload || {};
    if (ev.type === "notice.added" || ev.type === "notice.updated") notices.set(p.id, p);
    else if (ev.type === "notice.removed") notices.delete(p.id);
    else return;
    render();
  });
  // A resync (a gap in the events, a reconnection): the snapshot carries the notices.
  document.addEventListener("hq:snapshot", ({ detail: snap }) => {
    notices.clear();
    for (const n of snap.notices || []) notices.set(n.id, n);
    render();
  });
  setMode(null);
  load();
}
