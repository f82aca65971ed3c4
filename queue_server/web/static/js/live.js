// The live state of a hall: the snapshot, then the event stream from the snapshot's event_seq.
//
// * Resume: every (re)connection asks for the events after the last one applied (Last-Event-ID
//   header and ?last_event_id=), so nothing is lost across a short drop.
// * Resync: an `event: resync` from the server, or a gap in the per-hall sequence, reloads the
//   snapshot and starts again from its event_seq.
// * Reconnect with backoff (1 s doubling to 8 s, with jitter), also on the browser's online event,
//   and when the stream stays silent longer than three server heartbeats (a dead TCP connection).
// * The stream is read with fetch() rather than EventSource: the token travels in the
//   Authorization header (not in the address, where it would land in logs), heartbeat comments are
//   visible to the watchdog, and reconnection is under our control.
import { authHeaders, enc, get } from "./api.js";

const SILENCE_MS = 45000; // the server sends a heartbeat comment every 15 s

export class Live {
  /**
   * @param {object} o
   * @param {string} o.hall
   * @param {(snap: object) => void} o.onSnapshot  called with every (re)loaded snapshot
   * @param {(ev: object) => void} o.onEvent  called once per event, in seq order
   * @param {(state: string) => void} [o.onStatus]  "connecting" | "live" | "reconnecting" | "unauthorized"
   */
  constructor({ hall, onSnapshot, onEvent, onStatus }) {
    this.hall = hall;
    this.onSnapshot = onSnapshot;
    this.onEvent = onEvent;
    this.onStatus = onStatus || (() => {});
    this.seq = null;
    this.state = "";
    this.backoff = 1000;
    this.ctl = null;
    this.timer = null;
    this.lastByte = Date.now();
    this.serverOffsetMs = 0; // server clock − local clock, from the snapshot
    this.lastGapResync = 0;
    this.stopped = false;
    this.generation = 0;
    this.stats = { snapshots: 0, connects: 0, events: 0, resyncs: 0 };
    window.addEventListener("online", () => this.reconnectNow());
    window.addEventListener("offline", () => this.drop("offline"));
    setInterval(() => {
      if (this.state === "live" && Date.now() - this.lastByte > SILENCE_MS) this.drop("silent");
    }, 5000);
  }

  start() {
    this.resync();
    return this;
  }

  /** The server's idea of "now", in ms since the epoch. */
  serverNow() {
    return Date.now() + this.serverOffsetMs;
  }

  setStatus(s) {
    if (s !== this.state) {
      this.state = s;
      document.documentElement.dataset.live = s;
      this.onStatus(s);
    }
  }

  /** Reload the snapshot, then (re)open the stream after it. */
  async resync() {
    const gen = ++this.generation;
    this.abort();
    clearTimeout(this.timer);
    if (this.state !== "live" && this.state !== "") this.setStatus("reconnecting");
    else if (this.state === "") this.setStatus("connecting");
    let snap;
    try {
      snap = await get(`/api/v1/halls/${enc(this.hall)}/snapshot`);
    } catch (err) {
      if (gen !== this.generation) return;
      this.setStatus(err.status === 401 || err.status === 403 ? "unauthorized" : "reconnecting");
      this.retry(() => this.resync());
      return;
    }
    if (gen !== this.generation) return;
    this.stats.snapshots++;
    if (snap.generated_at) this.serverOffsetMs = Date.parse(snap.generated_at) - Date.now();
    this.seq = snap.event_seq;
    this.onSnapshot(snap);
    this.connect(gen);
  }

  retry(fn) {
    clearTimeout(this.timer);
    const wait = this.backoff * (0.8 + Math.random() * 0.4);
    this.backoff = Math.min(this.backoff * 2, 8000);
    this.timer = setTimeout(fn, wait);
  }

  abort() {
    if (this.ctl) {
      this.ctl.abort();
      this.ctl = null;
    }
  }

  /** The connection is gone: show it, and come back (from where we were). */
  drop(why) {
    if (this.stopped) return;
    this.abort();
    this.setStatus("reconnecting");
    if (why !== "offline") this.retry(() => this.connect(this.generation));
  }

  reconnectNow() {
    this.backoff = 1000;
    clearTimeout(this.timer);
    if (this.seq === null) this.resync();
    else this.connect(this.generation);
  }

  async connect(gen) {
    if (gen !== this.generation || this.stopped) return;
    this.abort();
    const ctl = new AbortController();
    this.ctl = ctl;
    this.stats.connects++;
    const url = `/api/v1/halls/${enc(this.hall)}/events?last_event_id=${this.seq}`;
    let res;
    try {
      res = await fetch(url, {
        headers: { Accept: "text/event-stream", "Last-Event-ID": String(this.seq), ...authHeaders() },
        cache: "no-store",
        signal: ctl.signal,
      });
    } catch {
      if (ctl === this.ctl) this.drop("network");
      return;
    }
    if (!res.ok || !res.body) {
      if (res.status === 401 || res.status === 403) {
        this.setStatus("unauthorized");
        // the token expired or was revoked: staff pages sign in again, device pages show it
        if (res.status === 401) window.dispatchEvent(new CustomEvent("hq:unauthorized", { detail: "stream" }));
      }
      else this.setStatus("reconnecting");
      this.ctl = null;
      this.retry(() => this.connect(gen));
      return;
    }
    this.lastByte = Date.now();
    this.backoff = 1000;
    this.setStatus("live");
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = "";
    let msg = { event: "message", data: [], id: null };
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.lastByte = Date.now();
        buf += value;
        const lines = buf.split(/\r\n|\r|\n/);
        buf = lines.pop();
        for (const line of lines) {
          if (line === "") {
            if (msg.data.length || msg.event !== "message") {
              const stop = this.dispatch(msg, gen);
              if (stop) return;
            }
            msg = { event: "message", data: [], id: null };
            continue;
          }
          if (line.startsWith(":")) continue; // heartbeat comment
          const i = line.indexOf(":");
          const field = i < 0 ? line : line.slice(0, i);
          let val = i < 0 ? "" : line.slice(i + 1);
          if (val.startsWith(" ")) val = val.slice(1);
          if (field === "event") msg.event = val;
          else if (field === "data") msg.data.push(val);
          else if (field === "id") msg.id = val;
        }
      }
    } catch {
      // aborted or broken: handled below
    }
    if (ctl === this.ctl) this.drop("closed");
  }

  /** Apply one message; returns true when the stream must be left (resync started). */
  dispatch(msg, gen) {
    if (gen !== this.generation) return true;
    if (msg.event === "resync") {
      this.stats.resyncs++;
      this.resync();
      return true;
    }
    let data;
    try {
      data = JSON.parse(msg.data.join("\n"));
    } catch {
      return false;
    }
    const seq = Number(msg.id ?? data.seq);
    if (!Number.isFinite(seq) || seq <= this.seq) return false; // already applied
    if (seq > this.seq + 1 && Date.now() - this.lastGapResync > 5000) {
      // Something was missed: start again from a fresh snapshot.
      this.lastGapResync = Date.now();
      this.stats.resyncs++;
      this.resync();
      return true;
    }
    this.seq = seq;
    this.stats.events++;
    try {
      this.onEvent(data);
    } catch (err) {
      console.error("live event handler failed", err);
    }
    return false;
  }
}

/** A discreet connection sign in a corner: shown only while not live. */
export function connectionSign() {
  const el = document.createElement("div");
  el.className = "conn-sign";
  el.dataset.testid = "conn-sign";
  el.setAttribute("role", "status");
  el.innerHTML =
    '<span class="when-reconnecting"><span class="zh">正在重新连接…</span><span class="en">Reconnecting…</span></span>' +
    '<span class="when-unauthorized"><span class="zh">未授权：请重新配对本屏幕或重新登录</span>' +
    '<span class="en">Not authorised: pair this screen again or sign in again</span></span>';
  return el;
}
