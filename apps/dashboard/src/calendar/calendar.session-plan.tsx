import {
  BODY_SIDES,
  MAX_CHANNELS,
  WAVEFORMS,
  type Appointment,
  type BodySide,
  type SessionPlan,
  type Waveform,
} from '@tautline/domain';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState } from 'react';
import { BodySilhouette } from '../board/board.silhouette';
import { ApiProblemError, describeProblem } from '../http/http.problem';
import { type Auth } from './calendar.api';
import { createSession, fetchClinicDevices } from './calendar.session-plan.api';
import {
  MUSCLES_BY_REGION,
  newChannel,
  nextFreeChannel,
  REGION_WORDS,
  serverFieldErrors,
  validatePlan,
  WAVEFORM_CHOICES,
  type ChannelDraft,
  type PlanErrors,
} from './calendar.session-plan.form';
import './calendar.session-plan.css';

const SIDE_WORDS: Record<BodySide, string> = { left: 'Left', right: 'Right', midline: 'Midline' };

interface Props {
  auth: Auth;
  appointment: Appointment;
  roomName: string;
  onBack(): void;
}

/**
 * The e-stim plan for a checked-in appointment: the room's stimulator, then per channel the target
 * muscle (catalogue, by region), side, waveform, frequency, pulse width and intensity ceiling, and the
 * planned duration. Validated with the domain's create-session schema; the session is created ready
 * and started from the board.
 */
export function SessionPlanEditor({ auth, appointment, roomName, onBack }: Props) {
  const id = useId();
  const heading = useRef<HTMLHeadingElement>(null);
  const nextKey = useRef(2);
  const [channels, setChannels] = useState<ChannelDraft[]>([newChannel(1, 1)]);
  const [duration, setDuration] = useState('20');
  const [errors, setErrors] = useState<PlanErrors>({});
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const devices = useQuery({
    queryKey: ['devices', appointment.clinicId],
    queryFn: () => fetchClinicDevices(auth, appointment.clinicId),
  });
  const stimulators = (devices.data ?? []).filter(
    (d) => d.roomId === appointment.roomId && d.revokedAt === null,
  );
  const [deviceId, setDeviceId] = useState<string | null>(null);
  const device = stimulators.find((d) => d.id === deviceId) ?? stimulators[0];
  const maxChannels = device?.channels ?? MAX_CHANNELS;

  useEffect(() => heading.current?.focus(), [done]);

  const update = (key: number, patch: Partial<ChannelDraft>) =>
    setChannels((cs) => cs.map((c) => (c.key === key ? { ...c, ...patch } : c)));
  const free = nextFreeChannel(channels, maxChannels);
  const preview: SessionPlan = {
    plannedDurationMinutes: 1,
    channels: channels.flatMap((c) =>
      c.muscle
        ? [{ ...channelNumbers(c), muscle: c.muscle, side: c.side, waveform: c.waveform }]
        : [],
    ),
  };

  async function submit() {
    setProblem(null);
    const result = validatePlan(appointment.id, {
      channels,
      plannedDurationMinutes: duration,
    });
    if (!result.ok) {
      setErrors(result.errors);
      setProblem('Check the highlighted fields.');
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      await createSession(auth, result.request);
      setDone(true);
    } catch (e) {
      if (e instanceof ApiProblemError && e.problem.errors?.length) {
        setErrors(serverFieldErrors(e.problem.errors));
      }
      setProblem(
        e instanceof ApiProblemError && e.status !== 403 && e.status < 500
          ? (e.problem.detail ?? e.problem.title)
          : describeProblem(e),
      );
    } finally {
      setBusy(false);
    }
  }

  if (done) {
    return (
      <section className="session-plan" aria-labelledby={`${id}-h`}>
        <h4 id={`${id}-h`} ref={heading} tabIndex={-1}>
          E-stim session
        </h4>
        <p className="banner banner-info" role="status" data-testid="session-plan-done">
          Session ready in {roomName} — start it from the board.
        </p>
        <button type="button" className="button-secondary" onClick={onBack}>
          Back to the appointment
        </button>
      </section>
    );
  }

  const err = (path: string) => errors[path];
  return (
    <section className="session-plan" aria-labelledby={`${id}-h`}>
      <h4 id={`${id}-h`} ref={heading} tabIndex={-1}>
        Set up the e-stim session
      </h4>
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <fieldset className="session-plan-device">
          <legend>Stimulator in {roomName}</legend>
          {devices.isPending && <p role="status">Loading the room’s stimulators…</p>}
          {devices.isError && (
            <p className="banner banner-error" role="alert">
              Could not load the stimulators. {describeProblem(devices.error)}
            </p>
          )}
          {devices.isSuccess && stimulators.length === 0 && (
            <p className="banner banner-error" role="alert">
              No stimulator is registered in {roomName}. Ask an admin to register one.
            </p>
          )}
          {stimulators.map((d) => (
            <label key={d.id} className="checkbox">
              <input
                type="radio"
                name={`${id}-device`}
                checked={device?.id === d.id}
                onChange={() => setDeviceId(d.id)}
              />
              {d.model} · {d.serial} · {d.channels} channels
            </label>
          ))}
        </fieldset>

        <div className="session-plan-body">
          <ol className="session-plan-channels">
            {channels.map((c, i) => (
              <ChannelRow
                key={c.key}
                idBase={`${id}-c${c.key}`}
                draft={c}
                maxChannels={maxChannels}
                error={(field) => err(`plan.channels.${i}.${field}`)}
                onChange={(patch) => update(c.key, patch)}
                onRemove={
                  channels.length > 1
                    ? () => setChannels((cs) => cs.filter((x) => x.key !== c.key))
                    : undefined
                }
              />
            ))}
          </ol>
          {preview.channels.length > 0 && (
            <div className="session-plan-preview">
              <BodySilhouette plan={preview} height={120} />
            </div>
          )}
        </div>
        {err('plan.channels') && <p className="field-error">{err('plan.channels')}</p>}
        <div className="session-plan-footer">
          <button
            type="button"
            className="button-secondary"
            disabled={free === null}
            onClick={() => {
              if (free === null) return;
              setChannels((cs) => [...cs, newChannel(nextKey.current++, free)]);
            }}
          >
            Add channel
          </button>
          <div className="field session-plan-duration">
            <label htmlFor={`${id}-duration`}>Duration (minutes)</label>
            <input
              id={`${id}-duration`}
              inputMode="numeric"
              value={duration}
              onChange={(e) => setDuration(e.target.value)}
              aria-invalid={err('plan.plannedDurationMinutes') ? true : undefined}
              aria-describedby={
                err('plan.plannedDurationMinutes') ? `${id}-duration-error` : undefined
              }
            />
            {err('plan.plannedDurationMinutes') && (
              <p id={`${id}-duration-error`} className="field-error">
                {err('plan.plannedDurationMinutes')}
              </p>
            )}
          </div>
        </div>
        <div aria-live="assertive">
          {problem && (
            <p className="banner banner-error" role="alert">
              {problem}
            </p>
          )}
        </div>
        <div className="calendar-buttons">
          <button
            type="submit"
            className="button-primary"
            disabled={busy || (devices.isSuccess && stimulators.length === 0)}
          >
            {busy ? 'Creating…' : 'Create session'}
          </button>
          <button type="button" className="button-secondary" onClick={onBack}>
            Back
          </button>
        </div>
      </form>
    </section>
  );
}

/** The numeric settings of a draft, for the silhouette preview only (validation happens on submit). */
function channelNumbers(c: ChannelDraft) {
  return {
    channel: Number(c.channel) || 0,
    frequencyHz: Number(c.frequencyHz) || 0,
    pulseWidthUs: Number(c.pulseWidthUs) || 0,
    intensityCeilingMa: Number(c.intensityCeilingMa) || 0,
  };
}

function ChannelRow({
  idBase,
  draft,
  maxChannels,
  error,
  onChange,
  onRemove,
}: {
  idBase: string;
  draft: ChannelDraft;
  maxChannels: number;
  error(field: string): string | undefined;
  onChange(patch: Partial<ChannelDraft>): void;
  onRemove?: () => void;
}) {
  const described = (field: string) =>
    error(field)
      ? { 'aria-invalid': true as const, 'aria-describedby': `${idBase}-${field}-error` }
      : {};
  const message = (field: string) =>
    error(field) && (
      <p id={`${idBase}-${field}-error`} className="field-error">
        {error(field)}
      </p>
    );
  const numeric = (field: 'frequencyHz' | 'pulseWidthUs' | 'intensityCeilingMa', label: string) => (
    <div className="field">
      <label htmlFor={`${idBase}-${field}`}>{label}</label>
      <input
        id={`${idBase}-${field}`}
        inputMode="decimal"
        value={draft[field]}
        onChange={(e) => onChange({ [field]: e.target.value })}
        {...described(field)}
      />
      {message(field)}
    </div>
  );
  return (
    <li className="session-plan-channel" data-testid="session-plan-channel">
      <fieldset>
        <legend>Channel {draft.channel}</legend>
        <div className="session-plan-grid">
          <div className="field">
            <label htmlFor={`${idBase}-channel`}>Output</label>
            <select
              id={`${idBase}-channel`}
              value={draft.channel}
              onChange={(e) => onChange({ channel: e.target.value })}
              {...described('channel')}
            >
              {Array.from({ length: maxChannels }, (_, i) => String(i + 1)).map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
            {message('channel')}
          </div>
          <div className="field session-plan-muscle">
            <label htmlFor={`${idBase}-muscle`}>Muscle</label>
            <select
              id={`${idBase}-muscle`}
              value={draft.muscle}
              onChange={(e) => onChange({ muscle: e.target.value as ChannelDraft['muscle'] })}
              {...described('muscle')}
            >
              <option value="">Choose a muscle…</option>
              {MUSCLES_BY_REGION.map((g) => (
                <optgroup key={g.region} label={REGION_WORDS[g.region]}>
                  {g.muscles.map((m) => (
                    <option key={m.code} value={m.code}>
                      {m.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
            {message('muscle')}
          </div>
          <div className="field">
            <label htmlFor={`${idBase}-side`}>Side</label>
            <select
              id={`${idBase}-side`}
              value={draft.side}
              onChange={(e) => onChange({ side: e.target.value as BodySide })}
              {...described('side')}
            >
              {BODY_SIDES.map((s) => (
                <option key={s} value={s}>
                  {SIDE_WORDS[s]}
                </option>
              ))}
            </select>
            {message('side')}
          </div>
          <div className="field session-plan-waveform">
            <label htmlFor={`${idBase}-waveform`}>Waveform</label>
            <select
              id={`${idBase}-waveform`}
              value={draft.waveform}
              onChange={(e) => onChange({ waveform: e.target.value as Waveform })}
              {...described('waveform')}
            >
              {WAVEFORMS.map((w) => (
                <option key={w} value={w}>
                  {WAVEFORM_CHOICES[w]}
                </option>
              ))}
            </select>
            {message('waveform')}
          </div>
          {numeric('frequencyHz', 'Frequency (Hz)')}
          {numeric('pulseWidthUs', 'Pulse width (µs)')}
          {numeric('intensityCeilingMa', 'Ceiling (mA)')}
          {onRemove && (
            <button
              type="button"
              className="button-secondary session-plan-remove"
              onClick={onRemove}
              aria-label={`Remove channel ${draft.channel}`}
            >
              Remove
            </button>
          )}
        </div>
      </fieldset>
    </li>
  );
}
