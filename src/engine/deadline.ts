/**
 * Deadlines that measure the network, not this process. Node runs expired timers before it reads the sockets, so a
 * plain setTimeout declares "no answer" for a reply that came in while the event loop was busy or the CPU was given
 * to other processes (40 runs on 2 cores): the DC is blamed for our own backlog. A network deadline
 *  - reads what already arrived before it expires (it decides after one poll of the sockets, in setImmediate), and
 *  - does not count the time the event loop could not run (a stall clock: gaps between the ticks of an interval).
 * Under a stall the deadline stretches, but never past MAX_STRETCH times its length.
 */

const TICK_MS = 20;
/** A tick this much later than due is a stall, not timer jitter. */
const STALL_MS = 25;
const MAX_STRETCH = 4;

let stalledMs = 0;
let lastTick = 0;
let active = 0;
let ticker: NodeJS.Timeout | undefined;

/** Adds the stall since the last tick to the stall clock; returns now. */
function sample(): number {
  const now = performance.now();
  const late = now - lastTick - TICK_MS;
  if (late > STALL_MS) stalledMs += late;
  lastTick = now;
  return now;
}

function enter(): void {
  if (active++ === 0) {
    lastTick = performance.now();
    ticker = setInterval(sample, TICK_MS);
    ticker.unref();
  } else sample();
}

function leave(): void {
  if (--active === 0) {
    clearInterval(ticker);
    ticker = undefined;
  }
}

export interface Deadline {
  /** Stops it: `onExpire` will not be called. */
  cancel(): void;
}

/** Calls `onExpire` once `ms` of network time have passed without `cancel()`. */
export function networkDeadline(ms: number, onExpire: () => void): Deadline {
  enter();
  const start = performance.now();
  const stalledBefore = stalledMs;
  let over = false;
  let timer: NodeJS.Timeout | undefined;
  const finish = (): void => {
    over = true;
    clearTimeout(timer);
    leave();
  };
  const decide = (): void => {
    if (over) return;
    const now = sample();
    const network = now - start - (stalledMs - stalledBefore);
    if (network >= ms || now - start >= ms * MAX_STRETCH) {
      finish();
      onExpire();
    } else timer = setTimeout(due, Math.ceil(ms - network));
  };
  // The sockets are polled between the timers and setImmediate: a reply already received settles first.
  const due = (): void => void setImmediate(decide);
  timer = setTimeout(due, ms);
  return {
    cancel: () => {
      if (!over) finish();
    },
  };
}
