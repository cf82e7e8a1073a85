import { type PatientAppointmentView, type ReminderLocale } from '@tautline/domain';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useApiOrigin } from '../http/http.origin';
import { fetchPatientSlots } from './patient.api';
import { CallTheClinic } from './patient.call';
import { groupSlotsByClinicDay, zoneName, type SlotChoice } from './patient.format';
import { describePatientProblem } from './patient.problem';

export const patientSlotsKey = (token: string) => ['patient-link', token, 'slots'] as const;

interface ReschedulePickerProps {
  token: string;
  view: PatientAppointmentView;
  locale: ReminderLocale;
  pending: boolean;
  /** Resolves when the move succeeded; rejects (already announced by the caller) when it did not. */
  onReschedule(start: string): Promise<unknown>;
  onClose(): void;
}

const times = (n: number) => (n === 1 ? '1 time' : `${n} times`);

/**
 * "Choose another time": the API's free times grouped by the clinic's local day, labelled with
 * the clinic's zone; pick one, confirm, and the caller moves the appointment. Each day folds
 * (the first one open), so a fortnight of times stays short on a phone.
 */
export function ReschedulePicker({
  token,
  view,
  locale,
  pending,
  onReschedule,
  onClose,
}: ReschedulePickerProps) {
  const origin = useApiOrigin();
  // Bounded pages: the first holds the earliest times, "Later times" fetches the next from `nextFrom`.
  const slots = useInfiniteQuery({
    queryKey: patientSlotsKey(token),
    queryFn: ({ pageParam }) => fetchPatientSlots(token, origin, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextFrom ?? undefined,
    staleTime: 0,
    gcTime: 0,
  });
  const timeZone = slots.data?.pages[0]?.timeZone ?? view.timeZone;
  const days = useMemo(
    () =>
      slots.data
        ? groupSlotsByClinicDay(
            slots.data.pages.flatMap((p) => p.slots),
            timeZone,
            locale,
          )
        : [],
    [slots.data, timeZone, locale],
  );
  const choices = useMemo(
    () => new Map(days.flatMap((d) => d.slots.map((s) => [s.start, s] as const))),
    [days],
  );

  const [selected, setSelected] = useState<string | null>(null);
  const [confirming, setConfirming] = useState<SlotChoice | null>(null);
  const [chooseError, setChooseError] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => heading.current?.focus(), []);
  useEffect(() => {
    if (confirming) confirmHeading.current?.focus();
  }, [confirming]);

  function onContinue(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const choice = selected ? choices.get(selected) : undefined;
    if (!choice) {
      setChooseError('Choose a time first.');
      return;
    }
    setChooseError(null);
    setConfirming(choice);
  }

  function backToList() {
    setConfirming(null);
    // The list comes back: land on the heading above it.
    heading.current?.focus();
  }

  async function move(choice: SlotChoice) {
    try {
      await onReschedule(choice.start);
    } catch {
      // The caller announced why; the list is refreshed, so the patient picks again.
      setSelected(null);
      setConfirming(null);
    }
  }

  return (
    <section
      className="patient-panel"
      aria-labelledby="patient-reschedule-heading"
      aria-busy={slots.isPending}
    >
      <h3 id="patient-reschedule-heading" ref={heading} tabIndex={-1}>
        Choose another time
      </h3>
      <p className="muted">
        Times are in the clinic’s time zone: <strong>{zoneName(timeZone)}</strong>.
      </p>

      {slots.isPending && <p>Finding free times…</p>}
      {slots.isError && (
        <p className="banner banner-error" role="alert">
          {describePatientProblem(slots.error)}
        </p>
      )}
      {slots.isSuccess && days.length === 0 && (
        <p>
          There are no free times online in the next two weeks.{' '}
          <CallTheClinic clinic={view.clinic} lead="Please call" />
        </p>
      )}

      {confirming ? (
        <div className="patient-confirm-move">
          <h4 ref={confirmHeading} tabIndex={-1}>
            Move your appointment?
          </h4>
          <dl className="patient-move">
            <dt>From</dt>
            <dd>{view.localDateTime}</dd>
            <dt>To</dt>
            <dd>
              <strong>{confirming.label}</strong>
            </dd>
          </dl>
          <div className="patient-buttons">
            <button
              type="button"
              className="button-primary"
              disabled={pending}
              onClick={() => void move(confirming)}
            >
              {pending ? 'Moving…' : 'Yes, move my appointment'}
            </button>
            <button
              type="button"
              className="button-secondary"
              disabled={pending}
              onClick={backToList}
            >
              Choose a different time
            </button>
          </div>
        </div>
      ) : (
        <form onSubmit={onContinue} noValidate>
          {days.map((day, index) => (
            <details
              key={day.date}
              className="patient-day"
              open={index === 0 || day.slots.some((slot) => slot.start === selected) || undefined}
            >
              <summary>
                <span className="patient-day-name">
                  {day.heading} <span className="patient-day-zone">({day.zone})</span>
                </span>
                <span className="patient-day-count">{times(day.slots.length)}</span>
              </summary>
              <fieldset>
                <legend className="visually-hidden">
                  {day.heading} ({day.zone})
                </legend>
                <div className="patient-times">
                  {day.slots.map((slot) => (
                    <label key={slot.start} className="patient-time">
                      <input
                        type="radio"
                        name="patient-slot"
                        value={slot.start}
                        checked={selected === slot.start}
                        onChange={() => {
                          setSelected(slot.start);
                          setChooseError(null);
                        }}
                        aria-label={slot.label}
                      />
                      <span aria-hidden="true">{slot.time}</span>
                    </label>
                  ))}
                </div>
              </fieldset>
            </details>
          ))}
          {slots.hasNextPage && (
            <button
              type="button"
              className="button-secondary"
              disabled={slots.isFetchingNextPage}
              onClick={() => void slots.fetchNextPage()}
            >
              {slots.isFetchingNextPage ? 'Finding later times…' : 'Later times'}
            </button>
          )}
          {chooseError && (
            <p className="field-error" role="alert">
              {chooseError}
            </p>
          )}
          <div className="patient-buttons">
            {days.length > 0 && (
              <button type="submit" className="button-primary">
                Continue
              </button>
            )}
            <button type="button" className="button-secondary" onClick={onClose}>
              Keep my current time
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
