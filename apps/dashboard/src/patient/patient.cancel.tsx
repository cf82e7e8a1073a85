import { useEffect, useRef, useState, type FormEvent } from 'react';

interface CancelPanelProps {
  /** "Tue 3 Mar 2026, 09:00 GMT", as the server wrote it. */
  when: string;
  clinicName: string;
  pending: boolean;
  onCancel(reason: string): void;
  onKeep(): void;
}

export const CANCEL_REASON_MAX = 500;

/** The confirmation step before cancelling, with an optional reason. */
export function CancelPanel({ when, clinicName, pending, onCancel, onKeep }: CancelPanelProps) {
  const [reason, setReason] = useState('');
  const heading = useRef<HTMLHeadingElement>(null);

  // Keyboard and screen-reader users land on the question they are being asked.
  useEffect(() => heading.current?.focus(), []);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!pending) onCancel(reason);
  }

  return (
    <section className="patient-panel" aria-labelledby="patient-cancel-heading">
      <h3 id="patient-cancel-heading" ref={heading} tabIndex={-1}>
        Cancel this appointment?
      </h3>
      <p>
        Your appointment at {clinicName} on <strong>{when}</strong> will be cancelled.
      </p>
      <form onSubmit={onSubmit} noValidate>
        <div className="field">
          <label htmlFor="patient-cancel-reason">Reason (optional)</label>
          <p id="patient-cancel-reason-hint" className="muted">
            This helps the clinic. You can leave it blank.
          </p>
          <textarea
            id="patient-cancel-reason"
            aria-describedby="patient-cancel-reason-hint"
            rows={3}
            maxLength={CANCEL_REASON_MAX}
            value={reason}
            onChange={(event) => setReason(event.target.value)}
          />
        </div>
        <div className="patient-buttons">
          <button type="submit" className="button-danger" disabled={pending}>
            {pending ? 'Cancelling…' : 'Yes, cancel appointment'}
          </button>
          <button type="button" className="button-secondary" onClick={onKeep} disabled={pending}>
            Keep my appointment
          </button>
        </div>
      </form>
    </section>
  );
}
