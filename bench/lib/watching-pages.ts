import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { monoMs } from './child-rpc.js';

/**
 * Patient pages in a real Chromium, each watching a doctor's week, that report when a cell turns booked.
 *
 * One browser, one context per page (each its own storage and renderer process: 20 independent people,
 * not 20 tabs sharing one main thread). Each page is opened as a visitor would: `/`, "See times for
 * <doctor>", the week. Nothing in src/web is changed; the page is instrumented from outside:
 *
 * - An init script (runs before the page's own scripts) wraps `WebSocket` so that a `message` listener
 *   registered ahead of socket.io's own sees every frame: it notes the subscribe ack (`43<id>[{"ok":true,
 *   "lastEventId"…`: the page's only socket is the week's, so that is `slots:<doctorId>` joined, and live
 *   delivery has started) and the arrival of each `slot.booked` frame, before socket.io decodes it.
 * - A MutationObserver on the page records when a target cell's accessible name becomes "…, booked".
 *   Preact renders in a microtask of the same task as the frame, and the observer's callback runs right
 *   after that render: the time is "the DOM says booked", before style, layout and paint.
 * - A CDP binding (`__benchSeen`) tells the bench at once, so it knows when every page has the booking.
 *
 * Page times are `performance.timeOrigin + performance.now()` (sub-millisecond, monotonic within the
 * page). `calibrate` ties them to the bench's CLOCK_MONOTONIC (see there).
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** What the page tells the bench for one booked cell, in the page's clock. */
export interface CellSeen {
  tCell: number;
  /** When the `slot.booked` frame reached the page's WebSocket; NaN if it was not seen. */
  tFrame: number;
}

export interface Target {
  /** The slot's start, epoch ms. */
  start: number;
  /** The cell's accessible name without the status: "Tue 9 Dec 09:30". */
  label: string;
}

/** Chromium's clock against the bench's: bench monotonic ≈ page time + offset, within ± rtt / 2. */
export interface Calibration {
  offset: number;
  rtt: number;
  /** The page's clock − the bench's Date.now() at the same instant: what trusting wall clocks would cost. */
  wallSkew: number;
}

const INIT = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  const bench = (window.__bench = { subscribed: false, frames: new Map() });
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (typeof e.data !== 'string') return;
        if (/^43\\d*\\[\\{"ok":true,"lastEventId"/.test(e.data)) bench.subscribed = true;
        else if (e.data.includes('"slot.booked"')) {
          const t = now();
          const event = JSON.parse(e.data.slice(e.data.indexOf('[')))[1];
          bench.frames.set(Date.parse(event.data.start), t);
        }
      });
    }
  };
})();`;

/** Installed once the week is shown: watch the target cells, report each as it turns booked. */
const watch = (targets: readonly Target[]) => `(() => {
  const pending = new Map(${JSON.stringify(targets.map((t) => [`${t.label}, booked`, t.start]))});
  const bench = window.__bench;
  new MutationObserver(() => {
    const t = performance.timeOrigin + performance.now();
    for (const [name, start] of pending) {
      if (!document.querySelector('button[aria-label="' + name + '"]')) continue;
      pending.delete(name);
      window.__benchSeen(start, t, bench.frames.get(start) ?? NaN);
    }
  }).observe(document.body, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['aria-label', 'class'],
  });
})()`;

/** "Tue 9 Dec 09:30" for an instant in a UTC clinic, as the page names a cell (web/patient/board.ts). */
export function cellLabel(start: number): string {
  const d = new Date(start);
  const date = d.toLocaleDateString('en-GB', {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    timeZone: 'UTC',
  });
  return `${date} ${d.toISOString().slice(11, 16)}`;
}

export class WatchingPages {
  /** Per page: slot start → what it saw. */
  readonly seen: Map<number, CellSeen>[] = [];
  private readonly pages: Page[] = [];
  private wake: (() => void) | undefined;

  private constructor(private readonly browser: Browser) {}

  static async launch(): Promise<WatchingPages> {
    if (!existsSync(CHROMIUM))
      throw new Error(
        `the browser scenario needs Chromium at ${CHROMIUM}: ` +
          'apt-get install -y chromium (or set CHROMIUM_PATH)',
      );
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    return new WatchingPages(browser);
  }

  get count(): number {
    return this.pages.length;
  }

  /** Opens one more page on the doctor's week and waits until its room is joined. */
  async open(hubUrl: string, doctorName: string, targets: readonly Target[]): Promise<void> {
    const i = this.pages.length;
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    this.pages.push(page);
    const seen = new Map<number, CellSeen>();
    this.seen.push(seen);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript({ content: INIT });
    await page.exposeFunction('__benchSeen', (start: number, tCell: number, tFrame: number) => {
      seen.set(start, { tCell, tFrame });
      this.wake?.();
    });
    try {
      await page.goto(hubUrl);
      await page.getByRole('button', { name: `See times for ${doctorName}`, exact: true }).click();
      for (const t of [targets[0]!, targets.at(-1)!])
        await page
          .getByRole('button', { name: `${t.label}, free`, exact: true })
          .waitFor({ state: 'attached' });
      await page.waitForFunction('window.__bench.subscribed === true');
      await page.evaluate(watch(targets));
    } catch (err) {
      throw new Error(`page ${i + 1} did not show the week: ${(err as Error).message} ${errors.join('; ')}`);
    }
  }

  /** Waits until every page reported the cell of `start` booked; throws naming the pages that did not. */
  async waitBooked(start: number, timeoutMs: number): Promise<void> {
    const deadline = monoMs() + timeoutMs;
    while (this.seen.some((s) => !s.has(start))) {
      const left = deadline - monoMs();
      if (left <= 0) {
        const late = this.seen.flatMap((s, i) => (s.has(start) ? [] : [i + 1]));
        const frames = await Promise.all(
          late.map((i) =>
            this.pages[i - 1]!.evaluate(`window.__bench.frames.has(${start})`).catch(() => 'unknown'),
          ),
        );
        throw new Error(
          `${late.length} of ${this.count} pages never turned ${cellLabel(start)} booked ` +
            `within ${timeoutMs} ms ` +
            `(pages ${late.join(', ')}; slot.booked frame arrived: ${frames.join(', ')})`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }

  /**
   * Ties each page's clock to the bench's CLOCK_MONOTONIC, NTP-style: the bench reads monoMs, asks the
   * page for its time (a CDP round trip), reads monoMs again; the page's reading belongs to the middle
   * of that interval, give or take half of it. The tightest of `samples` round trips wins. This assumes
   * nothing about how Chromium's timeOrigin relates to the bench's wall clock; `wallSkew` shows how
   * far an "equal Date.now() everywhere" assumption would have been off.
   */
  async calibrate(samples = 15): Promise<Calibration[]> {
    const out: Calibration[] = [];
    for (const page of this.pages) {
      let best = { offset: 0, rtt: Number.POSITIVE_INFINITY };
      for (let s = 0; s < samples; s++) {
        const before = monoMs();
        const t = (await page.evaluate('performance.timeOrigin + performance.now()')) as number;
        const after = monoMs();
        if (after - before < best.rtt) best = { offset: (before + after) / 2 - t, rtt: after - before };
      }
      out.push({ ...best, wallSkew: monoMs() - Date.now() - best.offset });
    }
    return out;
  }

  /** Resolves once every page has rendered a frame since (a rAF, then the task after it: painted). */
  async settle(): Promise<void> {
    const frame = 'new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))';
    await Promise.all(this.pages.map((p) => p.evaluate(frame)));
  }

  /** document.visibilityState of every page (a hidden page would be throttled). */
  visibility(): Promise<string[]> {
    return Promise.all(this.pages.map((p) => p.evaluate('document.visibilityState') as Promise<string>));
  }

  async close(): Promise<void> {
    await this.browser.close();
  }
}
