// Talking to the queue server: fetch with the bearer token and readable JSON errors.
// Every page uses this module; nothing here knows about a particular page.

const TOKEN_KEY = "hq.token";

/** A device page (display, pad) may be opened as ...?token=XYZ once: remember it, hide it from the address. */
export function captureToken() {
  const url = new URL(location.href);
  const t = url.searchParams.get("token");
  if (t) {
    localStorage.setItem(TOKEN_KEY, t);
    url.searchParams.delete("token");
    history.replaceState(null, "", url.pathname + url.search + url.hash);
  }
}

export function getToken() {
  return localStorage.getItem(TOKEN_KEY) || "";
}

export function setToken(t) {
  if (t) localStorage.setItem(TOKEN_KEY, t);
  else localStorage.removeItem(TOKEN_KEY);
}

export function authHeaders() {
  const t = getToken();
  return t ? { Authorization: `Bearer ${t}` } : {};
}

export class ApiError extends Error {
  constructor(status, detail, body) {
    super(detail);
    this.status = status;
    this.detail = detail;
    this.body = body;
  }
}

/**
 * Call the API. Resolves with the JSON body (null for 204), rejects with an ApiError whose
 * `detail` is "中文 / English" (the server's `detail` and `detail_en`; biDetail splits it), or a
 * network message; `body.code` says what kind of refusal it is.
 */
export async function api(method, path, body, { timeoutMs = 10000 } = {}) {
  const headers = { Accept: "application/json", ...authHeaders() };
  const init = { method, headers, cache: "no-store" };
  if (body !== undefined) {
    headers["Content-Type"] = "application/json";
    init.body = JSON.stringify(body);
  }
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), timeoutMs);
  init.signal = ctl.signal;
  let res;
  try {
    res = await fetch(path, init);
  } catch (err) {
    throw new ApiError(0, "无法连接服务器，请稍后重试 / cannot reach the server, try again", null);
  } finally {
    clearTimeout(timer);
  }
  if (res.status === 204) return null;
  const text = await res.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null;
  }
  if (!res.ok) {
    let detail = data && typeof data.detail === "string" ? data.detail : `HTTP ${res.status}`;
    if (data && typeof data.detail_en === "string") detail = `${detail} / ${data.detail_en}`;
    if (res.status === 401) window.dispatchEvent(new CustomEvent("hq:unauthorized", { detail }));
    throw new ApiError(res.status, detail, data);
  }
  return data;
}

export const get = (path, opts) => api("GET", path, undefined, opts);
export const post = (path, body, opts) => api("POST", path, body, opts);
export const patch = (path, body, opts) => api("PATCH", path, body, opts);

/** Escape text for innerHTML. */
export function esc(value) {
  return String(value ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c],
  );
}

export const enc = encodeURIComponent;

/** Path segments of the page's address after a prefix: pathParts("/ui/pad/") → ["xiqu", "01"]. */
export function pathParts(prefix) {
  return location.pathname.slice(prefix.length).split("/").filter(Boolean).map(decodeURIComponent);
}

/** A random idempotency key for actions that create something. */
export function newKey(prefix = "web") {
  const rnd = crypto.getRandomValues(new Uint32Array(3));
  return `${prefix}-${Date.now().toString(36)}-${Array.from(rnd, (n) => n.toString(36)).join("")}`;
}

/** Sign in; resolves with the login body (token and user), rejects with the server's reason. */
export async function login(username, password) {
  const res = await post("/api/v1/auth/login", { username, password });
  setToken(res.token);
  localStorage.setItem("hq.user", JSON.stringify(res.user || {}));
  return res;
}

export function currentUser() {
  try {
    return JSON.parse(localStorage.getItem("hq.user") || "null");
  } catch {
    return null;
  }
}

export function logout() {
  setToken("");
  localStorage.removeItem("hq.user");
}
