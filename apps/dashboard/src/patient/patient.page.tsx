import { type PatientAppointmentView } from '@tautline/domain';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useApiOrigin } from '../http/http.origin';
import { AppointmentActions, patientLinkKey, type ActionResult } from './patient.actions';
import { fetchPatientAppointment } from './patient.api';
import { CallTheClinic } from './patient.call';
import { PATIENT_STATUS_WORDS, viewLocale, zoneName } from './patient.format';
import { describePatientProblem, isInvalidLink } from './patient.problem';
import './patient.css';

/**
 * The patient's page behind a reminder link (`/p/<token>`): no sign-in, no staff shell, no live
 * socket. It shows what the link's view holds and offers what the server says the link may do.
 */
export function PatientPage({ token }: { token: string }) {
  const origin = useApiOrigin();
  const [linkGone, setLinkGone] = useState(false);
  const view = useQuery({
    queryKey: patientLinkKey(token),
    queryFn: () => fetchPatientAppointment(token, origin),
    enabled: token !== '',
  });

  const invalid = token === '' || linkGone || isInvalidLink(view.error);
  const clinicName = view.data?.clinic.name;
  useEffect(() => {
    document.title = invalid
      ? 'Link not valid'
      : clinicName
        ? `Your appointment at ${clinicName}`
        : 'Your appointment';
  }, [invalid, clinicName]);

  if (invalid) return <InvalidLink />;
  if (view.data)
    return (
      <PatientAppointment token={token} view={view.data} onLinkGone={() => setLinkGone(true)} />
    );
  return (
    <main className="patient">
      {view.isError ? (
        <div className="patient-card">
          <h1>We could not load your appointment</h1>
          <p className="banner banner-error" role="alert">
            {describePatientProblem(view.error)}
          </p>
          <button
            type="button"
            className="button-primary"
            onClick={() => void view.refetch()}
            disabled={view.isFetching}
          >
            {view.isFetching ? 'Trying again…' : 'Try again'}
          </button>
        </div>
      ) : (
        <p className="patient-card" role="status">
          Loading your appointment…
        </p>
      )}
    </main>
  );
}

/** One page for a tampered, expired or malformed link: nothing about any appointment. */
function InvalidLink() {
  return (
    <main className="patient">
      <div className="patient-card" data-testid="patient-invalid-link">
        <h1>Sorry, this link does not work</h1>
        <p>This link has expired or is not valid. Please call the clinic.</p>
        <p className="muted">
          If the clinic has sent you a newer message, use the link in that one.
        </p>
      </div>
    </main>
  );
}

interface PatientAppointmentProps {
  token: string;
  view: PatientAppointmentView;
  onLinkGone(): void;
}

function PatientAppointment({ token, view, onLinkGone }: PatientAppointmentProps) {
  const locale = viewLocale(view);
  const [result, setResult] = useState<(ActionResult & { seq: number }) | null>(null);
  const resultRef = useRef<HTMLParagraphElement>(null);

  // After an action, focus goes to what happened (the button pressed may be gone).
  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);

  const report = (next: ActionResult) =>
    setResult((prev) => ({ ...next, seq: (prev?.seq ?? 0) + 1 }));

  return (
    <>
      <header className="patient-header">
        <p className="patient-clinic-name">{view.clinic.name}</p>
      </header>
      <main className="patient">
        <h1>Hi {view.patientFirstName}</h1>
        <p className="patient-lead">Here is your appointment at {view.clinic.name}.</p>

        <section className="patient-card" aria-labelledby="patient-appointment-heading">
          <h2 id="patient-appointment-heading">Your appointment</h2>
          <p className="patient-when">
            <time dateTime={view.start} data-testid="patient-when">
              {view.localDateTime}
            </time>
          </p>
          <p className="muted" data-testid="patient-zone">
            Time shown in the clinic’s time zone: {zoneName(view.timeZone)}
          </p>
          <p className="patient-status">
            Status:{' '}
            <strong className={`patient-status-${view.status}`} data-testid="patient-status">
              {PATIENT_STATUS_WORDS[view.status]}
            </strong>
          </p>
          {view.rescheduleRequested && (
            <p className="patient-note">You asked for another time. The clinic will be in touch.</p>
          )}

          {/* Live regions stay in the page so screen readers announce what is put in them. */}
          <div role="status" className="patient-result">
            {result?.tone === 'success' && (
              <p key={result.seq} ref={resultRef} tabIndex={-1} className="banner banner-success">
                {result.text}
              </p>
            )}
          </div>
          <div role="alert" className="patient-result">
            {result?.tone === 'error' && (
              <p key={result.seq} ref={resultRef} tabIndex={-1} className="banner banner-error">
                {result.text}
              </p>
            )}
          </div>

          <AppointmentActions
            token={token}
            view={view}
            locale={locale}
            onResult={report}
            onLinkGone={onLinkGone}
          />
        </section>

        {view.preVisitAdvice.length > 0 && (
          <section className="patient-card" aria-labelledby="patient-advice-heading">
            <h2 id="patient-advice-heading">Before your visit</h2>
            <ul className="patient-advice">
              {view.preVisitAdvice.map((advice) => (
                <li key={advice}>{advice}</li>
              ))}
            </ul>
          </section>
        )}

        <footer className="patient-footer">
          <p>
            <CallTheClinic clinic={view.clinic} lead="Questions? Call" />
          </p>
        </footer>
      </main>
    </>
  );
}
