import { type Clinic } from '@tautline/domain';
import { clinicLocalTime } from './clinics.time';

interface ClinicListProps {
  clinics: readonly Clinic[];
  /** Passed in (not read here) so every row shows the same instant and tests can fix it. */
  now: Date;
}

export function ClinicList({ clinics, now }: ClinicListProps) {
  if (clinics.length === 0) {
    return (
      <p className="muted">No clinic selected. Choose one or more clinics to see them here.</p>
    );
  }
  return (
    <ul className="clinic-list" data-testid="clinic-list">
      {clinics.map((clinic) => {
        const local = clinicLocalTime(now, clinic.timeZone);
        return (
          <li key={clinic.id} className="card clinic" data-clinic-id={clinic.id}>
            <h3 className="clinic-name" data-testid="clinic-name">
              {clinic.name}
            </h3>
            <p className="clinic-zone">{clinic.timeZone}</p>
            <p className="clinic-time">
              <span className="visually-hidden">Local time </span>
              <time dateTime={local.iso} data-testid="clinic-local-time">
                {local.time}
              </time>{' '}
              <span className="muted">
                {local.date} · {local.offset}
              </span>
            </p>
            {clinic.phone && (
              <p className="clinic-phone">
                <a href={`tel:${clinic.phone}`}>{clinic.phone}</a>
              </p>
            )}
          </li>
        );
      })}
    </ul>
  );
}
