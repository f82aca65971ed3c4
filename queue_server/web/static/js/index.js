// The index of the pages: links to every screen of every hall (for setting up screens).
import { enc, esc, get } from "./api.js";
import { bi, initLang, langToggle } from "./i18n.js";

initLang();
const app = document.getElementById("app");
app.innerHTML = `<header class="topbar"><h1>${bi("政务服务中心 · 页面", "Service hall · pages")}</h1></header><main style="padding:1em" data-testid="index"></main>`;
app.querySelector(".topbar").append(langToggle());
const main = app.querySelector("main");

async function load() {
  const halls = await get("/api/v1/halls");
  const parts = [
    `<p><a class="btn big" href="/ui/clerk">${bi("窗口工作台", "Clerk terminal")}</a>
     <a class="btn big" href="/ui/manager">${bi("大厅管理", "Manager console")}</a>
     <a class="btn big" href="/ui/pair">${bi("设备配对", "Pair devices")}</a></p>`,
  ];
  for (const h of halls) {
    const [zones, wins] = await Promise.all([get(`/api/v1/halls/${enc(h.code)}/zones`), get(`/api/v1/halls/${enc(h.code)}/windows`).catch(() => [])]);
    parts.push(`<section class="card" style="margin:1em 0"><h2>${bi(h.name, h.name_en)}</h2>
      <h3>${bi("综合屏（按功能区）", "Hall displays (per zone)")}</h3><p>${zones
        .map((z) => `<a class="btn" href="/ui/display/${enc(h.code)}/${enc(z.key)}">${esc(z.name)}</a>`)
        .join(" ")}</p>
      <h3>${bi("窗口屏与评价器", "Counter displays and evaluation pads")}</h3>${
        wins.length ? "" : `<p class="muted">${bi("登录大厅管理后可在此看到各窗口", "Sign in to the manager console to list the windows here")}</p>`
      }<table><tbody>${wins
        .map(
          (w) => `<tr><td>${esc(w.name)}</td><td><a href="/ui/counter/${enc(h.code)}/${enc(w.code)}">${bi("窗口屏", "counter")}</a></td>
            <td><a href="/ui/pad/${enc(h.code)}/${enc(w.code)}">${bi("评价器", "pad")}</a></td></tr>`,
        )
        .join("")}</tbody></table></section>`);
  }
  main.innerHTML = parts.join("");
}
load().catch((err) => {
  main.innerHTML = `<p class="result error">${esc(err.detail || err)}</p>`;
});
