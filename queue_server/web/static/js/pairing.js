// Pairing a device page (hall display, counter display, evaluation pad) instead of a token in its
// address: the page shows a one-time code, a manager enters it on /ui/pair and names the screen, and
// the page receives its credential and keeps it. A credential that stops working (revoked, or the
// console's "pair again") brings the code back.
import { captureToken, getToken, post, setToken } from "./api.js";
import { bi } from "./i18n.js";

const PENDING = "hq.pairing"; // {code, secret, expires_at} while waiting: a reload shows the same code
const ASK_EVERY_MS = 1500;

/** Resolves when the page has a credential: at once if it has one, else after pairing (with the
 * claim's answer: {token, device, zone}). */
export async function ensurePaired(kind) {
  captureToken(); // an address with ?token= (set up before pairing existed) still works, hidden at once
  window.addEventListener("hq:unauthorized", () => {
    setToken("");
    location.reload();
  });
  if (getToken()) return null;
  const box = document.createElement("div");
  box.className = "pairing card";
  box.dataset.testid = "pairing";
  document.body.append(box);
  for (;;) {
    const pending = await current(kind, box);
    box.innerHTML = `
      <h2>${bi("本屏幕尚未配对", "This screen is not paired yet")}</h2>
      <div class="pairing-code" data-testid="pairing-code">${pending.code}</div>
      <p>${bi("请管理员打开“设备配对”页面（/ui/pair）输入此配对码。", "A manager enters this code on the Pair devices page (/ui/pair).")}</p>`;
    const got = await claimed(pending);
    if (got) {
      localStorage.removeItem(PENDING);
      setToken(got.token);
      box.remove();
      return got;
    }
    localStorage.removeItem(PENDING); // expired: show a new code
  }
}

async function current(kind, box) {
  try {
    const kept = JSON.parse(localStorage.getItem(PENDING) || "null");
    if (kept && new Date(kept.expires_at) > new Date()) return kept;
  } catch {
    // a damaged entry: start again
  }
  for (;;) {
    try {
      const fresh = await post("/api/v1/pairing", { kind });
      localStorage.setItem(PENDING, JSON.stringify(fresh));
      return fresh;
    } catch (err) {
      box.innerHTML = `<p data-testid="pairing-error">${bi("无法连接服务器，稍后自动重试", "Cannot reach the server; trying again shortly")}</p>`;
      await sleep(5000);
    }
  }
}

/** The claim's answer once approved; null when the code expired. */
async function claimed(pending) {
  for (;;) {
    const res = await fetch("/api/v1/pairing/claim", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ secret: pending.secret }), // in the body: never in an address or a log
      cache: "no-store",
    }).catch(() => null);
    if (res && res.status === 200) return res.json();
    if (res && res.status === 404) return null;
    await sleep(ASK_EVERY_MS);
  }
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
