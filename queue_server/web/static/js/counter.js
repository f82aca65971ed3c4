// Counter display above a window: the current number and the window's state, large.
import { esc, pathParts } from "./api.js";
import { ensurePaired } from "./pairing.js";
import { bi, initLang, windowLabel } from "./i18n.js";
import { Live, connectionSign } from "./live.js";

initLang();
await ensurePaired("display");
const [hall, windowCode] = pathParts("/ui/counter/");
const S = { win: null, current: null, fresh: false };

const app = document.getElementById("app");
app.innerHTML = `
  <div class="counter">
    <div class="wname" data-testid="window-name"></div>
    <div class="current"><div class="label">${bi("当前号", "Now serving")}</div>
      <div class="num" data-testid="current-number"></div></div>
    <div class="state" data-testid="window-state"></div>
  </div>`;
document.body.append(connectionSign());
const $ = (id) => app.querySelector(`[data-testid="${id}"]`);

const live = new Live({
  hall,
  onSnapshot(snap) {
    S.win = snap.windows.find((w) => w.code === windowCode) || { code: windowCode, state: "closed" };
    S.current = S.win.current && ["called", "serving"].includes(S.win.current.status) ? S.win.current : null;
    render();
  },
  onEvent(ev) {
    const p = ev.payload || {};
    if (ev.type === "window.changed" && p.window === windowCode) {
      Object.assign(S.win, { name: p.name ?? S.win.name, zone: p.zone ?? S.win.zone, state: p.state ?? S.win.state });
    } else if ((ev.type === "ticket.called" || ev.type === "ticket.recalled") && p.window === windowCode) {
      S.current = { id: p.ticket_id, number: p.number, status: "called" };
      S.fresh = true;
      setTimeout(() => {
        S.fresh = false;
        render();
      }, 6000);
    } else if (ev.type === "ticket.started" && S.current?.id === p.ticket_id) {
      S.current.status = "serving";
    } else if (
      ["ticket.finished", "ticket.no_show", "ticket.transferred", "ticket.cancelled"].includes(ev.type) &&
      S.current?.id === p.ticket_id
    ) {
      S.current = null;
    } else {
      return;
    }
    render();
  },
});
window.__hq = { live, state: S };

function render() {
  const [zh, en] = windowLabel(windowCode);
  $("window-name").innerHTML = bi(zh, en);
  const n = $("current-number");
  n.textContent = S.current ? S.current.number : "—";
  n.classList.toggle("fresh", S.fresh);
  const st = $("window-state");
  const state = S.win?.state || "closed";
  st.className = `state state-${esc(state)}`;
  st.dataset.state = state;
  st.innerHTML =
    state === "open"
      ? S.current
        ? S.current.status === "serving"
          ? bi("办理中", "Serving")
          : bi(`请 ${S.current.number} 号到本窗口办理`, `Ticket ${S.current.number}, please come to this window`)
        : bi("请稍候", "Please wait")
      : state === "paused"
        ? bi("暂停服务，请到其他窗口办理", "Paused: please go to another window")
        : bi("窗口已关闭", "Window closed");
}

live.start();
