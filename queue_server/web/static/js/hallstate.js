// A hall's live state on the staff pages (clerk terminal, manager console): the snapshot, then each
// event applied to it one by one, as the hall display does. The figures come from the server in the
// events (every window's can-call count, an item's size and oldest wait); this module only puts them
// in place and never ranks or counts tickets itself. A page reloads the snapshot only on a resync.

const SERVING = new Set(["called", "serving"]);

/**
 * Apply one event to `snap` (changed in place).
 * @returns {{render: boolean, resync: boolean, queues: boolean}}  queues: a window's call order may
 *   have changed (its list of next tickets is the server's: ask for it if shown)
 */
export function applyEvent(snap, ev, serverNow = Date.now()) {
  const p = ev.payload || {};
  const out = { render: false, resync: false, queues: false };
  const win = (code) => snap.windows.find((w) => w.code === code);
  if (ev.type.startsWith("ticket.") && p.ticket_id !== undefined && p.status !== undefined) {
    for (const w of snap.windows) {
      // the ticket left this window (finished, transferred, called elsewhere)
      if (w.current?.id === p.ticket_id && (w.code !== p.window || !SERVING.has(p.status))) w.current = null;
    }
    const w = p.window ? win(p.window) : null;
    if (w && SERVING.has(p.status)) {
      const same = w.current?.id === p.ticket_id;
      const call = ev.type === "ticket.called" || ev.type === "ticket.recalled";
      w.current = {
        id: p.ticket_id,
        number: p.number,
        service: p.service,
        status: p.status,
        priority_class: p.priority_class ?? w.current?.priority_class ?? "normal",
        called_at: call || !same ? ev.at : w.current.called_at,
        recall_count: p.recall_count ?? 0,
      };
    }
    out.render = out.queues = true;
  } else if (ev.type === "queue.changed") {
    const s = snap.services.find((x) => x.code === p.service);
    if (s) {
      s.waiting = p.waiting;
      s.oldest_since = p.oldest_since;
      waitFigures(s, serverNow);
    }
    for (const [code, n] of Object.entries(p.can_call || {})) {
      const w = win(code);
      if (w) w.can_call = n;
    }
    for (const z of snap.zones) z.waiting = snap.services.filter((x) => x.zone === z.key).reduce((n, x) => n + x.waiting, 0);
    out.render = out.queues = true;
  } else if (ev.type === "window.changed") {
    const w = win(p.window);
    if (!w) {
      out.resync = true; // a window this page has never seen
      return out;
    }
    if (p.name !== undefined) w.name = p.name;
    if (p.zone !== undefined) w.zone = p.zone;
    if (p.state !== undefined) w.state = p.state;
    if (p.skills !== undefined) w.skills = p.skills.map(([service, level]) => ({ service, level }));
    if ("clerk" in p) {
      w.clerk = p.clerk;
      w.staffed = Boolean(p.clerk);
    }
    for (const [code, n] of Object.entries(p.can_call || {})) {
      const o = win(code);
      if (o) o.can_call = n;
    }
    out.render = out.queues = true;
  } else if (ev.type === "catalogue.changed" || ev.type.startsWith("closure.")) {
    out.resync = true; // items, hours or the calendar changed: read the hall's state again
    return out;
  }
  if (out.render) {
    for (const w of snap.windows) {
      // the server's rule for the alarm, on the server's figures: a clerk could act and does not
      w.idle_with_waiting = Boolean(w.staffed && w.state === "open" && !w.current && w.can_call > 0);
    }
  }
  return out;
}

/** An item's longest wait, from the server's oldest wait start: it grows with time, with no event. */
export function waitFigures(s, serverNow) {
  if (s.oldest_since === undefined) return;
  s.longest_wait_min = s.oldest_since ? Math.max(0, (serverNow - Date.parse(s.oldest_since)) / 60000) : 0;
  s.over_threshold = Boolean(s.escalate_after_min && s.longest_wait_min > s.escalate_after_min);
}
