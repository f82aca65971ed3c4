// The page shell of the staff pages (clerk terminal, manager console): the top bar (title, user,
// sign-out, language, clock), the sign-in form, what a 401 does, the halls the user works in, a
// debounced snapshot reload, and the place where extra modules mount.
//
// Extra modules (appointments, supervision, outcome, what-if …) are plain <script type="module">
// includes of the page: they wait for the "hq:ready" event ({page, hall, shell}) and put their
// part into `shell.slot(name)`, a <div data-slot="name"> that the page places (or the shell
// appends at the end of the page body).
import { currentUser, enc, esc, get, getToken, logout, post } from "./api.js";
import { bi, initLang, langToggle } from "./i18n.js";
import { connectionSign } from "./live.js";
import { clock, debounce, loginForm } from "./ui.js";

/**
 * @param {object} o
 * @param {string} o.page        "clerk" | "manager": the root element's class and the ready event's page
 * @param {[string, string]} o.title       [zh, en]
 * @param {[string, string]} o.signInTitle [zh, en] of the sign-in form
 * @param {() => string} o.tz   the hall's time zone, once known
 * @param {boolean} [o.seconds] show seconds on the clock
 */
export function createShell({ page, title, signInTitle, tz, seconds = false }) {
  initLang();
  const app = document.getElementById("app");
  app.innerHTML = `
    <div class="${esc(page)}">
      <header class="topbar">
        <h1 data-testid="title">${bi(title[0], title[1])}</h1>
        <span class="who" data-testid="who"></span>
        <span class="clock" data-testid="clock"></span>
      </header>
      <div id="body"></div>
    </div>`;
  const body = app.querySelector("#body");
  const topbar = app.querySelector(".topbar");
  topbar.append(langToggle());
  document.body.append(connectionSign());
  clock(app.querySelector('[data-testid="clock"]'), tz, { seconds });
  const beforeSignOut = [];

  // An expired or revoked token: sign in again (pages keep their own remembered place).
  window.addEventListener("hq:unauthorized", () => {
    logout();
    location.reload();
  });

  const shell = {
    app,
    body,
    topbar,
    hall: "",
    tz,
    setTitle(html) {
      app.querySelector('[data-testid="title"]').innerHTML = html;
    },
    /** Run before signing out (e.g. leave the window). */
    onSignOut(fn) {
      beforeSignOut.push(fn);
    },
    /** Resolves once a staff member is signed in (shows the form when needed) and shows who it is. */
    async signIn() {
      if (!getToken()) await loginForm(body, signInTitle);
      const user = currentUser();
      const who = app.querySelector('[data-testid="who"]');
      who.innerHTML = user?.username
        ? `${esc(user.username)} <button class="lang-toggle" data-testid="logout">${bi("退出", "Sign out")}</button>`
        : "";
      who.querySelector("button")?.addEventListener("click", () => shell.signOut());
      return user;
    },
    async signOut() {
      for (const fn of beforeSignOut) await Promise.resolve(fn()).catch(() => null);
      await post("/api/v1/auth/logout", {}).catch(() => null);
      logout();
      location.reload();
    },
    /** The halls this user works in (all of them for a user of every hall). */
    async halls() {
      const halls = await get("/api/v1/halls");
      const mine = currentUser()?.halls;
      return mine?.length && !mine.includes("*") ? halls.filter((h) => mine.includes(h.code)) : halls;
    },
    /** A debounced reload of the hall snapshot (for a resync or a periodic refresh), then `then(snap)`. */
    reloader(then, ms = 150) {
      return debounce(async () => {
        try {
          then(await get(`/api/v1/halls/${enc(shell.hall)}/snapshot`));
        } catch {
          /* the connection sign shows the problem */
        }
      }, ms);
    },
    /** The element where an extra module named `name` mounts. */
    slot(name) {
      let el = app.querySelector(`[data-slot="${CSS.escape(name)}"]`);
      if (!el) {
        el = document.createElement("div");
        el.dataset.slot = name;
        body.append(el);
      }
      return el;
    },
    /** Tell extra modules the page is ready for them. */
    ready(hall) {
      shell.hall = hall;
      window.__hqShell = shell;
      document.dispatchEvent(new CustomEvent("hq:ready", { detail: { page, hall, shell } }));
    },
  };
  return shell;
}
