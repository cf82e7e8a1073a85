import { type PatientAppointmentView, type ReminderLocale } from '@tautline/domain';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { useApiOrigin } from '../http/http.origin';
import {
  cancelPatientAppointment,
  confirmPatientAppointment,
  reschedulePatientAppointment,
} from './patient.api';
import { CallTheClinic } from './patient.call';
import { CancelPanel } from './patient.cancel';
import { clinicDateTime, isOpen } from './patient.format';
import { describePatientProblem, isInvalidLink } from './patient.problem';
import { ReschedulePicker } from './patient.reschedule';

export const patientLinkKey = (token: string) => ['patient-link', token] as const;

export type ActionResult = { tone: 'success' | 'error'; text: string };

interface AppointmentActionsProps {
  token: string;
  view: PatientAppointmentView;
  locale: ReminderLocale;
  /** Says what happened, in words; the page announces it and moves focus to it. */
  onResult(result: ActionResult): void;
  /** The link stopped working between loading the page and acting (expired, appointment gone). */
  onLinkGone(): void;
}

type Mode = 'buttons' | 'cancel' | 'reschedule';

/**
 * What the link lets the patient do now, as the server decided (`canConfirm`, `canCancel`,
 * `canReschedule`): nothing else is offered. After the late-cancel cut-off the patient is asked
 * to call the clinic instead.
 */
export function AppointmentActions({
  token,
  view,
  locale,
  onResult,
  onLinkGone,
}: AppointmentActionsProps) {
  const origin = useApiOrigin();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<Mode>('buttons');
  const cancelButton = useRef<HTMLButtonElement>(null);
  const rescheduleButton = useRef<HTMLButtonElement>(null);
  // Closing a panel puts focus back on the button that opened it, once the buttons are back.
  const [returnFocus, setReturnFocus] = useState<'cancel' | 'reschedule' | null>(null);
  useEffect(() => {
    if (mode !== 'buttons' || !returnFocus) return;
    (returnFocus === 'cancel' ? cancelButton : rescheduleButton).current?.focus();
    setReturnFocus(null);
  }, [mode, returnFocus]);

  function succeeded(fresh: PatientAppointmentView, text: string) {
    queryClient.setQueryData(patientLinkKey(token), fresh);
    setMode('buttons');
    onResult({ tone: 'success', text });
  }

  function failed(error: unknown) {
    if (isInvalidLink(error)) {
      onLinkGone();
      return;
    }
    onResult({ tone: 'error', text: describePatientProblem(error) });
    // What the patient may do may have changed (the cut-off passed, the time was taken): re-read it.
    void queryClient.invalidateQueries({ queryKey: patientLinkKey(token) });
  }

  const confirm = useMutation({
    mutationFn: () => confirmPatientAppointment(token, origin),
    onSuccess: (fresh) => succeeded(fresh, 'Thank you. Your appointment is confirmed.'),
    onError: failed,
  });
  const cancel = useMutation({
    mutationFn: (reason: string) => cancelPatientAppointment(token, reason, origin),
    onSuccess: (fresh) => succeeded(fresh, 'Your appointment has been cancelled.'),
    onError: failed,
  });
  const reschedule = useMutation({
    mutationFn: (start: string) =>
      reschedulePatientAppointment(token, { start, version: view.version }, origin),
    onSuccess: (fresh) =>
      succeeded(
        fresh,
        `Your appointment has been moved to ${clinicDateTime(fresh.start, fresh.timeZone, locale)}.`,
      ),
    onError: failed,
  });
  const pending = confirm.isPending || cancel.isPending || reschedule.isPending;

  function close(opener: 'cancel' | 'reschedule') {
    setMode('buttons');
    setReturnFocus(opener);
  }

  if (!isOpen(view)) {
    return (
      <p className="patient-note">
        {view.status === 'cancelled' ? (
          <CallTheClinic
            clinic={view.clinic}
            lead="This appointment is cancelled. To book another, please call"
          />
        ) : (
          <CallTheClinic
            clinic={view.clinic}
            lead="This appointment can no longer be changed online. If you have questions, please call"
          />
        )}
      </p>
    );
  }

  const changeable = view.canCancel || view.canReschedule;
  if (mode === 'cancel' && view.canCancel) {
    return (
      <CancelPanel
        when={view.localDateTime}
        clinicName={view.clinic.name}
        pending={cancel.isPending}
        onCancel={(reason) => cancel.mutate(reason)}
        onKeep={() => close('cancel')}
      />
    );
  }
  if (mode === 'reschedule' && view.canReschedule) {
    return (
      <ReschedulePicker
        token={token}
        view={view}
        locale={locale}
        pending={reschedule.isPending}
        onReschedule={(start) => reschedule.mutateAsync(start)}
        onClose={() => close('reschedule')}
      />
    );
  }

  return (
    <div className="patient-actions">
      {(view.canConfirm || changeable) && (
        <div className="patient-buttons">
          {view.canConfirm && (
            <button
              type="button"
              className="button-primary"
              disabled={pending}
              onClick={() => confirm.mutate()}
            >
              {confirm.isPending ? 'Confirming…' : 'Confirm appointment'}
            </button>
          )}
          {view.canReschedule && (
            <button
              type="button"
              ref={rescheduleButton}
              className="button-secondary"
              disabled={pending}
              onClick={() => setMode('reschedule')}
            >
              Choose another time
            </button>
          )}
          {view.canCancel && (
            <button
              type="button"
              ref={cancelButton}
              className="button-secondary button-secondary-danger"
              disabled={pending}
              onClick={() => setMode('cancel')}
            >
              Cancel appointment
            </button>
          )}
        </div>
      )}
      {changeable ? (
        <p className="muted">
          You can cancel or change online until{' '}
          {clinicDateTime(view.cancelCutoff, view.timeZone, locale)}.
        </p>
      ) : (
        <p className="patient-note" data-testid="patient-call-to-change">
          <CallTheClinic clinic={view.clinic} lead="To cancel or change, please call" />
        </p>
      )}
    </div>
  );
}
