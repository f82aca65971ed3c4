// Announcing calls on a hall display: a chime, then speech, one announcement after the other.
//
// The queue is keyed by the event's per-hall sequence number, never by the ticket number: two calls
// in the same second are two events and are both spoken, in order; a recall is a new event and is
// spoken again; the same event delivered twice (a replay after a reconnection) is spoken once. The
// last announced sequence number is kept in sessionStorage, so reloading the page does not repeat.
//
// Everything works offline: the chime is synthesised with WebAudio and speech uses the browser's
// own speechSynthesis (no cloud service); a browser without a Chinese voice (many TVs) plays the call
// as spoken by the queue server instead (`serverVoice`: espeak-ng on the server, still no cloud), and
// keeps to the chime when the server has no synthesiser either. When the browser blocks sound until the screen has been
// touched (autoplay policy), the page shows a one-touch "enable sound" button; the choice is
// remembered in localStorage, and afterwards any touch re-enables sound without asking.

const SOUND_KEY = "hq.sound";

export class Announcer {
  /**
   * @param {object} o
   * @param {string} o.key  sessionStorage key of the last announced sequence number
   * @param {() => number} [o.now]  the server's clock (ms), to skip stale announcements
   * @param {number} [o.maxAgeSec]  calls older than this are shown but not announced
   * @param {boolean} [o.chime]
   * @param {boolean} [o.english]  also speak the English announcement
   * @param {(blocked: boolean) => void} [o.onBlocked]
   * @param {(item: object) => void} [o.onSpeak]
   * @param {(ticket: number, lang: string) => Promise<ArrayBuffer|null>} [o.serverVoice]  the call as
   *   a WAV from the server, null when it has none (then it is not asked again)
   */
  constructor({ key, now, maxAgeSec = 120, chime = true, english = false, onBlocked, onSpeak, serverVoice }) {
    this.key = key;
    this.now = now || (() => Date.now());
    this.maxAgeMs = maxAgeSec * 1000;
    this.withChime = chime;
    this.english = english;
    this.onBlocked = onBlocked || (() => {});
    this.onSpeak = onSpeak || (() => {});
    this.serverVoice = serverVoice || null;
    this.queue = []; // sorted by seq
    this.lastSeq = Number(sessionStorage.getItem(key) || 0);
    this.busy = false;
    this.blocked = false;
    this.audio = null;
    this.voice = null;
    this.log = []; // what was announced: {seq, text, at}
    this.pickVoice();
    if ("speechSynthesis" in window) speechSynthesis.addEventListener?.("voiceschanged", () => this.pickVoice());
  }

  pickVoice() {
    if (!("speechSynthesis" in window)) return;
    const voices = speechSynthesis.getVoices() || [];
    this.voice =
      voices.find((v) => v.lang === "zh-CN") ||
      voices.find((v) => /^(zh|cmn)/i.test(v.lang)) ||
      null;
  }

  /** Create the audio context and find out whether the browser lets us make sound. */
  async init() {
    try {
      const Ctx = window.AudioContext || window.webkitAudioContext;
      this.audio = Ctx ? new Ctx() : null;
    } catch {
      this.audio = null;
    }
    if (this.audio && this.audio.state !== "running") {
      try {
        await Promise.race([this.audio.resume(), new Promise((r) => setTimeout(r, 300))]);
      } catch {
        /* still blocked */
      }
    }
    this.setBlocked(!!this.audio && this.audio.state !== "running");
    // Any touch anywhere unlocks sound once the hall has said it wants sound.
    const unlock = () => {
      if (this.blocked && localStorage.getItem(SOUND_KEY) === "on") this.enable();
    };
    document.addEventListener("pointerdown", unlock, true);
    document.addEventListener("keydown", unlock, true);
  }

  setBlocked(b) {
    this.blocked = b;
    document.documentElement.dataset.sound = b ? "blocked" : "on";
    this.onBlocked(b);
    if (!b) this.pump();
  }

  /** The one-touch "enable sound": must run inside a user gesture. */
  async enable() {
    localStorage.setItem(SOUND_KEY, "on");
    try {
      if (!this.audio) this.audio = new (window.AudioContext || window.webkitAudioContext)();
      await this.audio.resume();
    } catch {
      /* no WebAudio: speech only */
    }
    if ("speechSynthesis" in window) {
      // Speaking once inside the gesture unlocks speech for the rest of the page's life.
      try {
        const warm = new SpeechSynthesisUtterance(" ");
        warm.volume = 0;
        speechSynthesis.speak(warm);
      } catch {
        /* ignore */
      }
    }
    this.setBlocked(!!this.audio && this.audio.state !== "running");
  }

  static remembered() {
    return localStorage.getItem(SOUND_KEY) === "on";
  }

  /**
   * The hall's sequence went back (its database was restored or replaced): what was announced
   * before no longer counts, or nothing would be announced until the old number is passed again.
   */
  rebase(seq) {
    if (seq < this.lastSeq) {
      this.lastSeq = seq;
      this.queue = this.queue.filter((q) => q.seq <= seq);
      sessionStorage.setItem(this.key, String(seq));
    }
  }

  /** Add a call to announce: ignored if this seq was already announced or queued. */
  add({ seq, text, textEn, at, ticket }) {
    if (seq <= this.lastSeq || this.queue.some((q) => q.seq === seq)) return;
    this.queue.push({ seq, text, textEn, at, ticket });
    this.queue.sort((a, b) => a.seq - b.seq);
    this.pump();
  }

  /**
   * The ticket is no longer called (started, finished, no-show, transferred, cancelled): never call
   * it out any more, e.g. when sound is enabled only after it was served.
   */
  withdraw(ticket) {
    this.queue = this.queue.filter((q) => q.ticket !== ticket);
  }

  async pump() {
    if (this.busy || this.blocked) return;
    this.busy = true;
    try {
      while (this.queue.length && !this.blocked) {
        const item = this.queue.shift();
        if (item.seq <= this.lastSeq) continue;
        this.lastSeq = item.seq;
        sessionStorage.setItem(this.key, String(item.seq));
        if (item.at && this.now() - Date.parse(item.at) > this.maxAgeMs) continue; // too old to call out
        const entry = { seq: item.seq, text: item.text, at: new Date().toISOString(), voice: null };
        this.log.push(entry);
        if (this.log.length > 100) this.log.splice(0, this.log.length - 100);
        this.onSpeak(item);
        if (this.withChime) await this.chime();
        entry.voice = await this.say(item, "zh"); // "browser" or "server", once said
        if (this.english && item.textEn) await this.say(item, "en");
        await sleep(400);
      }
    } finally {
      this.busy = false;
    }
  }

  /** A two-tone "ding-dong", synthesised: no file, no network. */
  chime() {
    const ctx = this.audio;
    if (!ctx || ctx.state !== "running") return sleep(0);
    const t0 = ctx.currentTime + 0.02;
    for (const [freq, start] of [
      [880, 0],
      [659.25, 0.42],
    ]) {
      const osc = ctx.createOscillator();
      const gain = ctx.createGain();
      osc.type = "sine";
      osc.frequency.value = freq;
      gain.gain.setValueAtTime(0.0001, t0 + start);
      gain.gain.exponentialRampToValueAtTime(0.6, t0 + start + 0.02);
      gain.gain.exponentialRampToValueAtTime(0.0001, t0 + start + 0.8);
      osc.connect(gain).connect(ctx.destination);
      osc.start(t0 + start);
      osc.stop(t0 + start + 0.85);
    }
    return sleep(1300);
  }

  /** One language of a call: the browser's voice when it has one for it, else the server's. */
  async say(item, lang) {
    const text = lang === "zh" ? item.text : item.textEn;
    const own = lang === "zh" ? this.voice : this.englishVoice();
    if (!own && this.serverVoice && item.ticket && (await this.playServer(item.ticket, lang))) return "server";
    await this.speak(text, lang === "zh" ? "zh-CN" : "en-US", own);
    return "browser";
  }

  englishVoice() {
    if (!("speechSynthesis" in window)) return null;
    return (speechSynthesis.getVoices() || []).find((v) => /^en/i.test(v.lang)) || null;
  }

  /** Play the server's WAV of the call and wait for its end; false when there is none to play. */
  async playServer(ticket, lang) {
    const ctx = this.audio;
    if (!ctx || ctx.state !== "running") return false;
    let wav = null;
    try {
      wav = await this.serverVoice(ticket, lang);
    } catch {
      wav = null;
    }
    if (wav === null) return false;
    try {
      const buffer = await ctx.decodeAudioData(wav);
      const src = ctx.createBufferSource();
      src.buffer = buffer;
      src.connect(ctx.destination);
      await new Promise((resolve) => {
        const guard = setTimeout(resolve, buffer.duration * 1000 + 1000);
        src.onended = () => {
          clearTimeout(guard);
          resolve();
        };
        src.start();
      });
      return true;
    } catch {
      return false;
    }
  }

  /** Speak and wait for the end (bounded: a browser without a voice may never say "end"). */
  speak(text, langTag, voice) {
    if (!("speechSynthesis" in window) || !text) return sleep(0);
    return new Promise((resolve) => {
      let done = false;
      const finish = () => {
        if (!done) {
          done = true;
          clearTimeout(guard);
          resolve();
        }
      };
      const guard = setTimeout(() => {
        // no "end" came (no voice installed, or the engine hung): unstick the queue and go on
        try {
          speechSynthesis.cancel();
        } catch {
          /* ignore */
        }
        finish();
      }, 2500 + text.length * 350);
      try {
        const u = new SpeechSynthesisUtterance(text);
        u.lang = langTag;
        if (voice) u.voice = voice;
        u.rate = 0.9;
        u.volume = 1;
        u.onend = finish;
        u.onerror = finish;
        speechSynthesis.speak(u);
      } catch {
        finish();
      }
    });
  }
}

function sleep(ms) {
  return new Promise((r) => setTimeout(r, ms));
}
