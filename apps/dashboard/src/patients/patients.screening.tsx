import {
  CONTRAINDICATION_CODES,
  CONTRAINDICATIONS,
  RecordConsentRequest,
  SetContraindicationsRequest,
  TREATMENTS,
  type ContraindicationCode,
  type ContraindicationSeverity,
  type ContraindicationView,
  type PatientDetail,
  type PatientScreeningView,
  type ScreeningResult,
  type Treatment,
} from '@tautline/domain';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { ApiProblemError, describeProblem } from '../http/http.problem';
import { Field } from '../ui/ui.field';
import { type Auth } from '../calendar/calendar.api';
import { fetchPatient, recordConsent, setContraindications } from './patients.api';

export const TREATMENT_NAMES: Record<Treatment, string> = {
  dry_needling: 'Dry needling',
  estim: 'E-stim',
};
const SEVERITY_WORDS: Record<Exclude<ContraindicationSeverity, 'none'>, string> = {
  absolute: 'absolute: never',
  relative: 'relative: only with an override',
};

/** "blocks dry needling (absolute: never), e-stim (absolute: never)" for one catalogue entry. */
export function blocksOf(code: ContraindicationCode): string {
  const parts = TREATMENTS.flatMap((t) => {
    const severity = CONTRAINDICATIONS[code].severity[t];
    return severity === 'none'
      ? []
      : [`${TREATMENT_NAMES[t].toLowerCase()} (${SEVERITY_WORDS[severity]})`];
  });
  return `blocks ${parts.join(', ')}`;
}

function summaryWords(result: ScreeningResult): string {
  if (result.allowed) return 'allowed';
  const reasons = result.blocks.map((b) => b.label).join('; ');
  return result.needsOverride ? `needs an override (${reasons})` : `not allowed (${reasons})`;
}

/** Words for a failed screening save; field errors of a 400 go back to their fields. */
function problemWords(error: unknown, what: string): string {
  if (error instanceof ApiProblemError) {
    if (error.status === 404) return 'This patient could not be found. They may have been removed.';
    if (error.status === 409)
      return `${what} conflicts with what is already on file${error.problem.detail ? `: ${error.problem.detail}` : ''}.`;
    if (error.status === 400) return `${what} was refused: check the highlighted fields.`;
  }
  return describeProblem(error);
}

const fieldOf = (path: string) => path.replace(/^body\./, '');

type ConsentFields = 'kind' | 'signedOn' | 'version';
interface Draft {
  checked: boolean;
  note: string;
}
type Drafts = Record<ContraindicationCode, Draft>;

function draftsOf(list: readonly ContraindicationView[]): Drafts {
  const drafts = Object.fromEntries(
    CONTRAINDICATION_CODES.map((c) => [c, { checked: false, note: '' }]),
  ) as Drafts;
  for (const c of list) drafts[c.code] = { checked: true, note: c.note ?? '' };
  return drafts;
}

interface ScreeningPanelProps {
  auth: Auth;
  patientId: string;
  /** `patient.write`: without it the panel only shows what is on file. */
  canWrite: boolean;
}

/** Consents on file and contraindications of one patient, with forms to record and change them. */
export function PatientScreeningPanel({ auth, patientId, canWrite }: ScreeningPanelProps) {
  const id = useId();
  const client = useQueryClient();
  const key = ['patient', auth.token, patientId];
  const detail = useQuery({ queryKey: key, queryFn: () => fetchPatient(auth, patientId) });
  const screening = detail.data?.screening;
  const store = (next: PatientScreeningView) =>
    client.setQueryData<PatientDetail>(key, (old) => (old ? { ...old, screening: next } : old));

  // Consent form.
  const [consent, setConsent] = useState<Record<ConsentFields, string>>({
    kind: 'dry_needling',
    signedOn: '',
    version: '',
  });
  const [consentErrors, setConsentErrors] = useState<Partial<Record<ConsentFields, string>>>({});
  const [consentMessage, setConsentMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const consentStatus = useRef<HTMLParagraphElement>(null);
  const signedRef = useRef<HTMLInputElement>(null);
  const record = useMutation({
    mutationFn: (body: RecordConsentRequest) => recordConsent(auth, patientId, body),
  });

  // Contraindications form.
  const [drafts, setDrafts] = useState<Drafts>(() => draftsOf([]));
  const [ciErrors, setCiErrors] = useState<Partial<Record<ContraindicationCode, string>>>({});
  const [ciMessage, setCiMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const ciStatus = useRef<HTMLParagraphElement>(null);
  const save = useMutation({
    mutationFn: (body: SetContraindicationsRequest) => setContraindications(auth, patientId, body),
  });

  const onFile = screening?.contraindications;
  useEffect(() => {
    if (onFile) setDrafts(draftsOf(onFile));
  }, [onFile]);

  const focusLater = (ref: { current: HTMLElement | null }) =>
    setTimeout(() => ref.current?.focus(), 0);

  async function submitConsent(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = RecordConsentRequest.safeParse(consent);
    if (!parsed.success) {
      const found: Partial<Record<ConsentFields, string>> = {};
      for (const issue of parsed.error.issues)
        found[issue.path[0] as ConsentFields] ??= issue.message;
      setConsentErrors(found);
      setConsentMessage({ ok: false, text: 'Check the highlighted fields.' });
      if (found.signedOn) signedRef.current?.focus();
      else focusLater(consentStatus);
      return;
    }
    setConsentErrors({});
    setConsentMessage(null);
    try {
      const next = await record.mutateAsync(parsed.data);
      store(next);
      setConsent((c) => ({ ...c, signedOn: '', version: '' }));
      setConsentMessage({
        ok: true,
        text: `Consent recorded: ${TREATMENT_NAMES[parsed.data.kind]}, signed ${parsed.data.signedOn}, version ${parsed.data.version}.`,
      });
    } catch (error) {
      if (error instanceof ApiProblemError && error.problem.errors) {
        const found: Partial<Record<ConsentFields, string>> = {};
        for (const e of error.problem.errors)
          found[fieldOf(e.field) as ConsentFields] ??= e.message;
        setConsentErrors(found);
      }
      setConsentMessage({ ok: false, text: problemWords(error, 'The consent') });
    }
    focusLater(consentStatus);
  }

  async function submitContraindications(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const codes = CONTRAINDICATION_CODES.filter((c) => drafts[c].checked);
    const parsed = SetContraindicationsRequest.safeParse({
      contraindications: codes.map((code) => ({ code, note: drafts[code].note.trim() || null })),
    });
    const errorsAt = (issues: { path: readonly PropertyKey[]; message: string }[]) => {
      const found: Partial<Record<ContraindicationCode, string>> = {};
      for (const issue of issues) {
        const index = issue.path[1];
        const code = typeof index === 'number' ? codes[index] : undefined;
        if (code) found[code] ??= `Note ${issue.message}`;
      }
      return found;
    };
    if (!parsed.success) {
      setCiErrors(errorsAt(parsed.error.issues));
      setCiMessage({ ok: false, text: 'Check the highlighted notes.' });
      focusLater(ciStatus);
      return;
    }
    setCiErrors({});
    setCiMessage(null);
    try {
      const next = await save.mutateAsync(parsed.data);
      store(next);
      setCiMessage({
        ok: true,
        text:
          next.contraindications.length === 0
            ? 'Saved: no contraindications on file.'
            : `Saved ${next.contraindications.length} contraindication${next.contraindications.length === 1 ? '' : 's'}: ${next.contraindications.map((c) => c.label).join(', ')}.`,
      });
    } catch (error) {
      if (error instanceof ApiProblemError && error.problem.errors) {
        setCiErrors(
          errorsAt(
            error.problem.errors.map((e) => ({
              path: fieldOf(e.field)
                .split('.')
                .map((p) => (/^\d+$/.test(p) ? Number(p) : p)),
              message: e.message,
            })),
          ),
        );
      }
      setCiMessage({ ok: false, text: problemWords(error, 'The contraindications') });
    }
    focusLater(ciStatus);
  }

  return (
    <section className="patients-screening card" aria-labelledby={`${id}-h`}>
      <h4 id={`${id}-h`}>Screening</h4>
      {detail.isPending && <p role="status">Loading screening…</p>}
      {detail.isError && (
        <p className="field-error" role="alert">
          Could not load the screening. {describeProblem(detail.error)}
        </p>
      )}
      {screening && (
        <>
          <p data-testid="screening-summary">
            Today ({screening.summary.asOf}): dry needling{' '}
            {summaryWords(screening.summary.dry_needling)}; e-stim{' '}
            {summaryWords(screening.summary.estim)}.
          </p>
          <h5>Consents on file</h5>
          {screening.consents.length === 0 ? (
            <p>No consent on file.</p>
          ) : (
            <table aria-label="Consents on file">
              <thead>
                <tr>
                  <th scope="col">Kind</th>
                  <th scope="col">Signed on</th>
                  <th scope="col">Version</th>
                </tr>
              </thead>
              <tbody>
                {screening.consents.map((c) => (
                  <tr key={c.id}>
                    <td>{TREATMENT_NAMES[c.kind]}</td>
                    <td>{c.signedOn}</td>
                    <td>{c.version}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {canWrite && (
            <form
              onSubmit={(e) => void submitConsent(e)}
              noValidate
              aria-labelledby={`${id}-consent-h`}
            >
              <h5 id={`${id}-consent-h`}>Record a consent</h5>
              <div className="field">
                <label htmlFor={`${id}-kind`}>Consent for</label>
                <select
                  id={`${id}-kind`}
                  value={consent.kind}
                  onChange={(e) => setConsent((c) => ({ ...c, kind: e.target.value }))}
                >
                  {TREATMENTS.map((t) => (
                    <option key={t} value={t}>
                      {TREATMENT_NAMES[t]}
                    </option>
                  ))}
                </select>
              </div>
              <Field
                id={`${id}-signed`}
                ref={signedRef}
                label="Signed on"
                type="date"
                value={consent.signedOn}
                onChange={(e) => setConsent((c) => ({ ...c, signedOn: e.target.value }))}
                error={consentErrors.signedOn}
              />
              <Field
                id={`${id}-version`}
                label="Form version"
                value={consent.version}
                onChange={(e) => setConsent((c) => ({ ...c, version: e.target.value }))}
                error={consentErrors.version}
                autoComplete="off"
              />
              <button type="submit" className="button-primary" disabled={record.isPending}>
                {record.isPending ? 'Recording…' : 'Record consent'}
              </button>
            </form>
          )}
          <p
            ref={consentStatus}
            tabIndex={-1}
            role="status"
            aria-live="polite"
            className={consentMessage?.ok === false ? 'field-error' : undefined}
          >
            {consentMessage?.text}
          </p>

          <form onSubmit={(e) => void submitContraindications(e)} noValidate>
            <fieldset disabled={!canWrite}>
              <legend>Contraindications</legend>
              {CONTRAINDICATION_CODES.map((code) => {
                const draft = drafts[code];
                const error = ciErrors[code];
                return (
                  <div key={code} className="patients-contraindication">
                    <label className="checkbox">
                      <input
                        type="checkbox"
                        checked={draft.checked}
                        onChange={(e) =>
                          setDrafts((d) => ({
                            ...d,
                            [code]: { ...d[code], checked: e.target.checked },
                          }))
                        }
                      />
                      {CONTRAINDICATIONS[code].label}{' '}
                      <span className="muted">— {blocksOf(code)}</span>
                    </label>
                    {draft.checked && (
                      <div className="field">
                        <label htmlFor={`${id}-note-${code}`}>
                          Note on {CONTRAINDICATIONS[code].label} (optional)
                        </label>
                        <textarea
                          id={`${id}-note-${code}`}
                          value={draft.note}
                          onChange={(e) =>
                            setDrafts((d) => ({
                              ...d,
                              [code]: { ...d[code], note: e.target.value },
                            }))
                          }
                          aria-invalid={error ? true : undefined}
                          aria-describedby={error ? `${id}-note-${code}-error` : undefined}
                        />
                        {error && (
                          <p id={`${id}-note-${code}-error`} className="field-error">
                            {error}
                          </p>
                        )}
                      </div>
                    )}
                  </div>
                );
              })}
              {canWrite && (
                <button type="submit" className="button-primary" disabled={save.isPending}>
                  {save.isPending ? 'Saving…' : 'Save contraindications'}
                </button>
              )}
            </fieldset>
          </form>
          <p
            ref={ciStatus}
            tabIndex={-1}
            role="status"
            aria-live="polite"
            className={ciMessage?.ok === false ? 'field-error' : undefined}
          >
            {ciMessage?.text}
          </p>
        </>
      )}
    </section>
  );
}
