import { describe, expect, it } from 'vitest';
import { type Decision, decide, type RecordAction, type Relation } from '../../src/records/access-policy.js';

const ACTIONS: RecordAction[] = ['read-record', 'write-record', 'read-notes', 'write-note', 'read-audit'];
const clinical: Decision = { allowed: true, scope: 'clinical', breakGlass: false };
const breakGlass: Decision = { allowed: true, scope: 'clinical', breakGlass: true };
const profile: Decision = { allowed: true, scope: 'profile', breakGlass: false };
const contact: Decision = { allowed: true, scope: 'contact', breakGlass: false };
const audit: Decision = { allowed: true, scope: 'audit', breakGlass: false };
const hidden: Decision = { allowed: false, answer: 'not_found' };
const signIn: Decision = { allowed: false, answer: 'unauthorized' };

/** Every relation, with and without a stated reason, × every action → the decision. */
const TABLE: [Relation, string | undefined, Decision[]][] = [
  ['self', undefined, [clinical, profile, clinical, hidden, audit]],
  ['self', 'curious', [clinical, profile, clinical, hidden, audit]],
  ['other-patient', undefined, [hidden, hidden, hidden, hidden, hidden]],
  ['doctor-past', undefined, [clinical, clinical, clinical, clinical, hidden]],
  ['doctor-upcoming', undefined, [clinical, clinical, clinical, clinical, hidden]],
  ['doctor-cancelled', undefined, [hidden, hidden, hidden, hidden, hidden]],
  ['doctor-cancelled', 'I was to see them', [hidden, hidden, hidden, hidden, hidden]],
  ['doctor-none', undefined, [hidden, hidden, hidden, hidden, hidden]],
  ['doctor-none', 'emergency', [hidden, hidden, hidden, hidden, hidden]],
  ['staff-clinic', undefined, [contact, hidden, hidden, hidden, hidden]],
  ['staff-clinic', 'patient asked', [contact, hidden, hidden, hidden, hidden]],
  ['staff-elsewhere', undefined, [hidden, hidden, hidden, hidden, hidden]],
  ['admin', 'Patient unconscious in A&E', [breakGlass, hidden, breakGlass, hidden, audit]],
  ['admin', undefined, [hidden, hidden, hidden, hidden, audit]],
  ['anonymous', undefined, [signIn, signIn, signIn, signIn, signIn]],
  ['anonymous', 'let me in', [signIn, signIn, signIn, signIn, signIn]],
];

describe('the record access policy', () => {
  describe.each(TABLE)('%s (reason: %s)', (relation, reason, expected) => {
    it.each(ACTIONS.map((action, i) => [action, expected[i]!] as const))('%s', (action, decision) => {
      expect(decide(relation, action, reason)).toEqual(decision);
    });
  });

  it('only an admin with a stated reason ever gets a break-glass decision', () => {
    const relations = [...new Set(TABLE.map(([r]) => r))];
    for (const relation of relations)
      for (const action of ACTIONS)
        for (const reason of [undefined, 'reason']) {
          const d = decide(relation, action, reason);
          if (d.allowed && d.breakGlass) expect([relation, reason]).toEqual(['admin', 'reason']);
        }
  });
});
