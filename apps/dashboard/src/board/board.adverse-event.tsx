import { ADVERSE_EVENT_KINDS, AdverseEvent, type AdverseEventKind } from '@tautline/domain';
import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { createPortal } from 'react-dom';
import './board.actions.css';

export const ADVERSE_EVENT_CHOICES: Record<AdverseEventKind, string> = {
  none: 'None',
  vasovagal: 'Vasovagal reaction (fainting, dizziness)',
  bruising: 'Bruising',
  bleeding: 'Bleeding',
  other: 'Other (describe)',
};

const FOCUSABLE = 'input:not([disabled]), textarea:not([disabled]), button:not([disabled])';

interface Props {
  /** "Treatment room 1 · O.M." */
  where: string;
  busy: boolean;
  /** The API's refusal, in words. */
  error: string | null;
  onSubmit(event: AdverseEvent): void;
  onCancel(): void;
}

/**
 * The stop dialog: the practitioner records whether anything happened before the session ends.
 * A modal over the whole board (portalled out of the tile, whose `contain: paint` would clip it),
 * with the focus kept inside, Esc to go back, and the choice made explicitly (no default).
 */
export function AdverseEventDialog({ where, busy, error, onSubmit, onCancel }: Props) {
  const id = useId();
  const dialog = useRef<HTMLDivElement>(null);
  const [kind, setKind] = useState<AdverseEventKind | null>(null);
  const [notes, setNotes] = useState('');
  const [invalid, setInvalid] = useState<{ kind?: string; notes?: string }>({});

  useEffect(() => {
    const opener = document.activeElement as HTMLElement | null;
    dialog.current?.querySelector<HTMLElement>(FOCUSABLE)?.focus();
    return () => opener?.focus();
  }, []);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    if (e.key === 'Escape') {
      e.stopPropagation();
      if (!busy) onCancel();
      return;
    }
    if (e.key !== 'Tab' || !dialog.current) return;
    const items = [...dialog.current.querySelectorAll<HTMLElement>(FOCUSABLE)];
    const first = items[0];
    const last = items[items.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  }

  function submit() {
    if (!kind) return setInvalid({ kind: 'Choose one: “None” if nothing happened.' });
    const trimmed = notes.trim();
    const parsed = AdverseEvent.safeParse({ kind, ...(trimmed ? { notes: trimmed } : {}) });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return setInvalid({
        notes: issue?.path[0] === 'notes' ? issue.message : undefined,
        kind: issue?.path[0] === 'notes' ? undefined : issue?.message,
      });
    }
    setInvalid({});
    onSubmit(parsed.data);
  }

  return createPortal(
    <div className="stop-dialog-backdrop">
      <div
        ref={dialog}
        className="stop-dialog"
        role="dialog"
        aria-modal="true"
        aria-labelledby={`${id}-title`}
        aria-describedby={`${id}-where`}
        onKeyDown={onKeyDown}
        data-testid="adverse-event-dialog"
      >
        <h2 id={`${id}-title`}>Stop the session</h2>
        <p id={`${id}-where`} className="muted">
          {where}. The stimulator stops and the appointment completes.
        </p>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <fieldset
            className="stop-dialog-kinds"
            aria-invalid={invalid.kind ? true : undefined}
            aria-describedby={invalid.kind ? `${id}-kind-error` : undefined}
          >
            <legend>Any adverse event?</legend>
            {ADVERSE_EVENT_KINDS.map((k) => (
              <label key={k} className="checkbox">
                <input
                  type="radio"
                  name={`${id}-kind`}
                  value={k}
                  checked={kind === k}
                  onChange={() => setKind(k)}
                />
                {ADVERSE_EVENT_CHOICES[k]}
              </label>
            ))}
            {invalid.kind && (
              <p id={`${id}-kind-error`} className="field-error">
                {invalid.kind}
              </p>
            )}
          </fieldset>
          <div className="field">
            <label htmlFor={`${id}-notes`}>
              Notes{kind === 'other' ? ' (required)' : ' (optional)'}
            </label>
            <textarea
              id={`${id}-notes`}
              rows={3}
              maxLength={2000}
              value={notes}
              onChange={(e) => setNotes(e.target.value)}
              aria-invalid={invalid.notes ? true : undefined}
              aria-describedby={invalid.notes ? `${id}-notes-error` : undefined}
            />
            {invalid.notes && (
              <p id={`${id}-notes-error`} className="field-error">
                {invalid.notes}
              </p>
            )}
          </div>
          {error && (
            <p className="banner banner-error" role="alert">
              {error}
            </p>
          )}
          <div className="stop-dialog-buttons">
            <button type="submit" className="button-primary button-stop" disabled={busy}>
              {busy ? 'Stopping…' : 'Stop session'}
            </button>
            <button type="button" className="button-secondary" disabled={busy} onClick={onCancel}>
              Don’t stop
            </button>
          </div>
        </form>
      </div>
    </div>,
    document.body,
  );
}
