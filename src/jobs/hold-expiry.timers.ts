import type { Hold } from '../booking/holds.store.js';
import type { Logger } from '../logger.js';
import { expireHold, HOLD_EXPIRY_MARGIN_MS, type HoldExpiryDeps, pick } from './hold-expiry.queue.js';

/** How soon a timer that found its hold still live looks again. */
const RECHECK_MS = 50;

/**
 * Hold expiry in the embedded mode: a timer per hold in this process, beside the holds it watches (they
 * live in this process's memory too, so neither outlives the other). Same outcome as the BullMQ queue:
 * when a hold lapses unused, its watchers hear `slot.released`, once.
 */
export function createHoldExpiryTimers(logger: Logger) {
  const timers = new Map<string, NodeJS.Timeout>();
  let deps: HoldExpiryDeps | undefined;

  const arm = (hold: Hold | ReturnType<typeof pick>, inMs: number) => {
    clearTimeout(timers.get(hold.holdId));
    const timer = setTimeout(() => {
      timers.delete(hold.holdId);
      if (!deps) return arm(hold, RECHECK_MS); // workers not started yet
      expireHold(pick(hold as Hold), deps).catch((err: Error) => {
        if (err.message.startsWith('hold still live')) arm(hold, RECHECK_MS);
        else logger.warn({ err, holdId: hold.holdId }, 'hold expiry failed');
      });
    }, inMs);
    timer.unref();
    timers.set(hold.holdId, timer);
  };

  return {
    async schedule(hold: Hold) {
      arm(hold, Math.max(0, hold.expiresAt - Date.now()) + HOLD_EXPIRY_MARGIN_MS);
    },
    async cancel(holdId: string) {
      clearTimeout(timers.get(holdId));
      timers.delete(holdId);
    },
    /** The consuming side: from now on lapsed holds are announced. */
    start(d: HoldExpiryDeps) {
      deps = d;
    },
    async close() {
      for (const timer of timers.values()) clearTimeout(timer);
      timers.clear();
      deps = undefined;
    },
  };
}
