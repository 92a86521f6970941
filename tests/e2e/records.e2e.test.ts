import type { BrowserContext } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DESKTOP,
  expectAccessible,
  expectAccessibleAtBothWidths,
  openPage,
  signIn,
  useBrowser,
} from '../helpers/browser.js';
import { client, useTestHub } from '../helpers/harness.js';
import { recordsCast } from '../helpers/records.js';

/**
 * The records story in a real Chromium: after a consultation the doctor reads the patient's record and
 * writes a note (then corrects it); the patient reads their record, changes their date of birth and
 * sees who looked; an admin's emergency read with a reason shows to the patient, flagged.
 */
describe('patient records in the pages', () => {
  const chrome = useBrowser();
  const hub = useTestHub();
  const contexts: BrowserContext[] = [];
  afterAll(async () => {
    for (const c of contexts) await c.close();
  });
  const open = async (path: string) => {
    const { context, page } = await openPage(chrome.browser, `${hub.url}${path}`, DESKTOP);
    contexts.push(context);
    page.setDefaultTimeout(10_000);
    return page;
  };

  it('the doctor writes and corrects a note, an admin reads with a reason, the patient sees both', async () => {
    const cast = await recordsCast(hub);
    const api = client(hub);
    await api.put(
      `/v1/patients/${cast.patient.id}/record`,
      { allergies: ['Penicillin'], conditions: ['Asthma'], medications: ['Salbutamol inhaler'] },
      cast.pastDoctor.account.token,
    );

    // The doctor, after the consultation.
    const doctor = await open('/doctor');
    await signIn(doctor, cast.pastDoctor.account.email);
    const records = doctor.getByRole('region', { name: 'Patient records' });
    await records.getByLabel('Patient', { exact: true }).selectOption({ label: 'Ingrid Holloway-Mbeki' });
    await records.getByText('Penicillin').waitFor();
    await records
      .getByLabel('Note', { exact: true })
      .fill('Wheeze on exertion; peak flow 380. Review in 4 weeks.');
    await records.getByRole('button', { name: 'Save note' }).click();
    const notes = records.getByRole('list', { name: 'Encounter notes' });
    await notes.getByText('peak flow 380').waitFor();
    await notes.getByRole('button', { name: 'Correct this note' }).click();
    await records.getByLabel('Corrected note').fill('Wheeze on exertion; peak flow 410. Review in 4 weeks.');
    await records.getByRole('button', { name: 'Save correction' }).click();
    await notes.getByText('peak flow 410').waitFor();
    await notes.getByText('corrected later').waitFor();
    await expectAccessible(doctor, 'records-doctor');
    const written = await api.get<{ items: { id: string; text: string; correctsId: string | null }[] }>(
      `/v1/patients/${cast.patient.id}/notes`,
      cast.patient.token,
    );
    expect(written.body.items.map((n) => n.text)).toEqual([
      'Wheeze on exertion; peak flow 380. Review in 4 weeks.',
      'Wheeze on exertion; peak flow 410. Review in 4 weeks.',
    ]);
    expect(written.body.items[1]!.correctsId).toBe(written.body.items[0]!.id);

    // An admin, with a reason.
    const admin = await open('/admin');
    await signIn(admin, cast.admin.email);
    const glass = admin.getByRole('region', { name: 'Emergency record access' });
    await glass.getByLabel('Patient id').fill(cast.patient.id);
    await glass.getByLabel('Reason for access').fill('Found unconscious, allergy check');
    await glass.getByRole('button', { name: 'Read the record (emergency access)' }).click();
    await glass.getByText('Penicillin').waitFor();
    await expectAccessible(admin, 'records-admin');

    // The patient: their record, their details, and who looked.
    const patient = await open('/');
    await signIn(patient, cast.patient.email);
    const mine = patient.getByRole('region', { name: 'My record' });
    await mine.getByText('Salbutamol inhaler').waitFor();
    await mine.getByLabel('Date of birth').fill('1969-07-20');
    await mine.getByRole('button', { name: 'Save my details' }).click();
    await mine.getByText('1969-07-20').waitFor();
    const looked = mine.getByRole('list', { name: 'Who looked at my record' });
    await looked.getByRole('listitem').filter({ hasText: 'Dr. Paula Past' }).first().waitFor();
    const glassRow = looked.getByRole('listitem').filter({ hasText: 'Emergency access' }).first();
    await glassRow.waitFor();
    expect(await glassRow.textContent()).toContain('Found unconscious, allergy check');
    expect(await glassRow.textContent()).toContain('Admin Ada');
    await expectAccessibleAtBothWidths(patient, 'records-patient');
    const [profile] = await hub.sql<
      { n: number }[]
    >`select count(*)::int as n from patient_records where patient_id = ${cast.patient.id}`;
    expect(profile!.n).toBe(1);
  });
});
