// Device pages (hall display, evaluation pad) report that they are up, as kiosks do: the console's
// device health then shows every screen from its real heartbeat. The server records a status only
// when it changes; `last_seen` moves with every beat.
import { post } from "./api.js";

const EVERY_MS = 60_000;

/** Beat now and every minute with `status()` (a flat object of short words). */
export function startHeartbeat(status) {
  const beat = () => post("/api/v1/devices/heartbeat", { version: "web", status: status() }).catch(() => null);
  beat();
  return setInterval(beat, EVERY_MS);
}
