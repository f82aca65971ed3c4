// Chinese first, English as the alternative: every text is rendered in both languages and CSS shows
// the chosen one (html[data-lang]), so switching is instant and never loses page state.
import { esc } from "./api.js";

const LANG_KEY = "hq.lang";

export function lang() {
  return document.documentElement.dataset.lang || "zh";
}

export function setLang(l) {
  document.documentElement.dataset.lang = l;
  document.documentElement.lang = l === "en" ? "en" : "zh-CN";
  localStorage.setItem(LANG_KEY, l);
}

export function initLang(defaultLang = "zh") {
  const fromUrl = new URL(location.href).searchParams.get("lang");
  setLang(fromUrl || localStorage.getItem(LANG_KEY) || defaultLang);
}

/** A toggle button: 中文 ⇄ English. */
export function langToggle() {
  const b = document.createElement("button");
  b.type = "button";
  b.className = "lang-toggle";
  b.dataset.testid = "lang-toggle";
  b.innerHTML = '<span class="zh">English</span><span class="en">中文</span>';
  b.addEventListener("click", () => setLang(lang() === "zh" ? "en" : "zh"));
  return b;
}

/** Bilingual HTML snippet. */
export function bi(zh, en) {
  return `<span class="zh" lang="zh-CN">${esc(zh)}</span><span class="en" lang="en">${esc(en ?? zh)}</span>`;
}

/** The server's errors read "中文 / English": split them for bi(). */
export function splitDetail(detail) {
  const text = String(detail ?? "");
  const i = text.indexOf(" / ");
  return i < 0 ? [text, text] : [text.slice(0, i), text.slice(i + 3)];
}

export function biDetail(detail) {
  const [zh, en] = splitDetail(detail);
  return bi(zh, en);
}

export const STATUS = {
  waiting: ["等待中", "Waiting"],
  called: ["已叫号", "Called"],
  serving: ["办理中", "Being served"],
  done: ["已办结", "Done"],
  no_show: ["过号", "Missed"],
  cancelled: ["已取消", "Cancelled"],
  transferred: ["已转办", "Transferred"],
};

export const WINDOW_STATE = {
  open: ["开放", "Open"],
  paused: ["暂停", "Paused"],
  closed: ["关闭", "Closed"],
};

export function biStatus(status) {
  const [zh, en] = STATUS[status] || [status, status];
  return bi(zh, en);
}

export function biState(state) {
  const [zh, en] = WINDOW_STATE[state] || [state, state];
  return bi(zh, en);
}

/** "3号窗口" / "Window 3" for code "03" (the same rule as the server's announcements). */
export function windowLabel(code) {
  const shown = /^\d+$/.test(code) ? String(Number(code)) : code;
  return [`${shown}号窗口`, `Window ${shown}`];
}

export function biWindow(code) {
  const [zh, en] = windowLabel(code);
  return bi(zh, en);
}

/** Time of day in the hall's time zone (Asia/Shanghai unless the hall says otherwise). */
export function fmtTime(iso, tz = "Asia/Shanghai", seconds = false) {
  if (!iso) return "";
  const d = iso instanceof Date ? iso : new Date(iso);
  return new Intl.DateTimeFormat("zh-CN", {
    timeZone: tz,
    hour: "2-digit",
    minute: "2-digit",
    second: seconds ? "2-digit" : undefined,
    hour12: false,
  }).format(d);
}

export function fmtDate(d, tz = "Asia/Shanghai") {
  return new Intl.DateTimeFormat("zh-CN", {
    timeZone: tz,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
    weekday: "short",
  }).format(d);
}

/** The date with its weekday in both languages ("2026/12/01周二" / "Tue 01 Dec 2026"). */
export function biDate(d, tz = "Asia/Shanghai") {
  const en = new Intl.DateTimeFormat("en-GB", { timeZone: tz, weekday: "short", day: "2-digit", month: "short", year: "numeric" });
  return bi(fmtDate(d, tz), en.format(d));
}

export function fmtDateTime(iso, tz = "Asia/Shanghai") {
  if (!iso) return "";
  return new Intl.DateTimeFormat("zh-CN", {
    timeZone: tz,
    month: "2-digit",
    day: "2-digit",
    hour: "2-digit",
    minute: "2-digit",
    second: "2-digit",
    hour12: false,
  }).format(new Date(iso));
}

/** Minutes as "12 分钟" / "12 min". */
export function biMinutes(min) {
  const m = Math.round(Number(min) || 0);
  return bi(`${m} 分钟`, `${m} min`);
}
