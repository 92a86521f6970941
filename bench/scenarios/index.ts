import type { Scenario } from '../lib/scenario.js';
import { analytics } from './analytics.js';
import { book } from './book.js';
import { browser } from './browser.js';
import { directory } from './directory.js';
import { fanout } from './fanout.js';
import { push } from './push.js';
import { queue } from './queue.js';
import { records } from './records.js';
import { reminders } from './reminders.js';
import { sessions } from './sessions.js';
import { slots } from './slots.js';
import { storm } from './storm.js';
import { waitlist } from './waitlist.js';

/** Every scenario, in the order `npm run bench` runs them. */
export const scenarios: Scenario[] = [
  book,
  storm,
  slots,
  directory,
  reminders,
  push,
  queue,
  records,
  waitlist,
  fanout,
  analytics,
  browser,
  sessions,
];
