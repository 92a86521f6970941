import { AnalyticsPanel } from '../shared/analytics.js';
import { ClinicSelect } from './clinic-select.js';
import type { Clinic } from './types.js';

/** A clinic's analytics, with one row per doctor: the clinic chosen on the page. */
export function ClinicAnalytics(props: {
  clinics: Clinic[];
  clinicId: string;
  setClinicId: (id: string) => void;
}) {
  const clinic = props.clinics.find((c) => c.id === props.clinicId);
  return (
    <>
      <ClinicSelect {...props} />
      {clinic && (
        <AnalyticsPanel
          key={clinic.id}
          path={`/v1/clinics/${clinic.id}/analytics`}
          timezone={clinic.timezone}
          filename="clinic-analytics"
        />
      )}
    </>
  );
}
