import type { Scenario } from '../lib/scenario.js';
import { slots } from './slots.js';

/** Every scenario, in the order `npm run bench` runs them. */
export const scenarios: Scenario[] = [slots];
