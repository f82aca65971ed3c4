// 好差评 on the citizen's own status page (/t/{token}): five levels, optional reasons for the bottom
// two; one rating per ticket (the server keeps that rule and says so). Rating by the token is the
// holder's alone: the request goes without any staff credentials this browser may hold.
import { enc, esc } from "./api.js";
import { bi, biDetail } from "./i18n.js";

const LEVELS = [
  [5, "非常满意", "Very satisfied"],
  [4, "满意", "Satisfied"],
  [3, "基本满意", "Fairly satisfied"],
  [2, "不满意", "Dissatisfied"],
  [1, "非常不满意", "Very dissatisfied"],
];
const REASONS = [
  ["等候时间过长", "Waited too long"],
  ["服务态度不好", "Unfriendly service"],
  ["业务不熟练", "Clerk not proficient"],
  ["一次性告知不清楚", "Requirements not explained at once"],
  ["办事流程繁琐", "Procedure too complicated"],
];

export function levelLabel(level) {
  const l = LEVELS.find(([lv]) => lv === level);
  return l ? bi(l[1], l[2]) : "";
}

/** Fill `box` with the rating form, or the rating already given; `onRated` after a success. */
export function renderRating(box, token, rating, onRated) {
  if (rating) {
    box.innerHTML = `<p class="result ok" data-testid="rated">${bi("您已评价：", "Your rating: ")}${levelLabel(rating)}</p>`;
    return;
  }
  box.innerHTML = `<section class="card rate" data-testid="rate">
    <h2>${bi("请对本次服务进行评价", "Please rate our service")}</h2>
    <div class="levels">${LEVELS.map(([lv, zh, en]) => `<button type="button" class="btn level" data-level="${lv}" data-testid="rate-${lv}">${bi(zh, en)}</button>`).join("")}</div>
    <div data-testid="rate-reasons" hidden>
      <p>${bi("不满意的原因（可多选，可不选）", "What went wrong? (optional)")}</p>
      ${REASONS.map(([zh, en], i) => `<label><input type="checkbox" value="${esc(zh)}" data-testid="rate-reason-${i}"> ${bi(zh, en)}</label>`).join("<br>")}
      <p><button type="button" class="btn primary" data-testid="rate-submit">${bi("提交评价", "Submit")}</button></p>
    </div>
    <p class="result error" data-testid="rate-error" hidden></p>
  </section>`;
  let level = null;
  const reasons = box.querySelector('[data-testid="rate-reasons"]');
  for (const b of box.querySelectorAll(".level")) {
    b.addEventListener("click", () => {
      level = Number(b.dataset.level);
      for (const o of box.querySelectorAll(".level")) o.classList.toggle("chosen", o === b);
      if (level <= 2) reasons.hidden = false;
      else send();
    });
  }
  box.querySelector('[data-testid="rate-submit"]').addEventListener("click", () => send());

  async function send() {
    const chosen = [...box.querySelectorAll("input:checked")].map((i) => i.value);
    const err = box.querySelector('[data-testid="rate-error"]');
    try {
      const res = await fetch(`/api/v1/public/tickets/${enc(token)}/evaluation`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json" },
        body: JSON.stringify({ level, reasons: chosen }),
        credentials: "omit",
      });
      const body = await res.json().catch(() => ({}));
      if (!res.ok) throw new Error(body.detail || `HTTP ${res.status}`);
      box.innerHTML = `<p class="result ok" data-testid="rated">${bi("感谢您的评价！", "Thank you for your rating!")} ${levelLabel(level)}</p>`;
      if (onRated) onRated(level);
    } catch (e) {
      err.hidden = false;
      err.innerHTML = biDetail(String(e.message || e));
    }
  }
}
