// Small shared pieces of the pages: clock, result bar, login form.
import { ApiError, esc, login } from "./api.js";
import { bi, biDate, biDetail, fmtTime } from "./i18n.js";

/** Keep an element showing the hall's local time. */
export function clock(el, tzRef, { seconds = false, date = false } = {}) {
  const tick = () => {
    const now = new Date();
    const tz = tzRef();
    el.innerHTML =
      (date ? `<span class="clock-date">${biDate(now, tz)}</span> ` : "") +
      `<span class="clock-time">${esc(fmtTime(now, tz, seconds))}</span>`;
  };
  tick();
  setInterval(tick, 1000);
}

/** Show the result of an action: ok (green) or error (red), with the server's readable text. */
export function showResult(el, kind, html) {
  el.className = `result ${kind}`;
  el.innerHTML = html;
  el.dataset.kind = kind;
  el.hidden = false;
}

export function showError(el, err) {
  const detail = err instanceof ApiError ? err.detail : String(err?.message || err);
  showResult(el, "error", `<strong>✖</strong> ${biDetail(detail)}`);
}

/**
 * A login form in `container`. Resolves once logged in. `title` is [zh, en].
 */
export function loginForm(container, title) {
  return new Promise((resolve) => {
    container.innerHTML = `
      <form class="login card" data-testid="login-form" autocomplete="on">
        <h2>${bi(title[0], title[1])}</h2>
        <label>${bi("用户名", "User name")}<input name="username" autocomplete="username" required></label>
        <label>${bi("密码", "Password")}<input name="password" type="password" autocomplete="current-password" required></label>
        <button class="btn primary big" type="submit">${bi("登录", "Sign in")}</button>
        <div class="result" hidden></div>
      </form>`;
    const form = container.querySelector("form");
    const result = form.querySelector(".result");
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const fd = new FormData(form);
      try {
        const res = await login(String(fd.get("username")), String(fd.get("password")));
        container.innerHTML = "";
        resolve(res);
      } catch (err) {
        showError(result, err);
      }
    });
  });
}

/** Debounce: run fn at most once per `ms`, after the last call. */
export function debounce(fn, ms) {
  let t = null;
  return (...args) => {
    clearTimeout(t);
    t = setTimeout(() => fn(...args), ms);
  };
}
