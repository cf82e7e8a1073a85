import { PostNoticeRequest, type Clinic } from '@tautline/domain';
import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useApiOrigin } from '../http/http.origin';
import { describeProblem, isUnauthorized } from '../http/http.problem';
import { postNotice } from './notices.api';

interface NoticeFormProps {
  token: string;
  /** Clinics the notice may go to (the selected ones). */
  clinics: readonly Clinic[];
  onUnauthorized(): void;
}

const MAX_LENGTH = 280;

export function NoticeForm({ token, clinics, onUnauthorized }: NoticeFormProps) {
  const id = useId();
  const origin = useApiOrigin();
  const [clinicId, setClinicId] = useState('');
  const [message, setMessage] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [sent, setSent] = useState<string | null>(null);
  // Fall back to the first clinic when the chosen one is deselected.
  const target = clinics.some((c) => c.id === clinicId) ? clinicId : (clinics[0]?.id ?? '');

  const post = useMutation({
    mutationFn: (request: PostNoticeRequest) => postNotice(token, target, request, origin),
    onSuccess() {
      setMessage('');
      setSent('Notice sent. It appears below once delivered.');
    },
    onError(failure) {
      if (isUnauthorized(failure)) onUnauthorized();
      else setError(describeProblem(failure));
    },
  });

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setSent(null);
    const parsed = PostNoticeRequest.safeParse({ message });
    if (!parsed.success) {
      setError(
        message.trim() === ''
          ? 'Write a message first.'
          : `Keep it under ${MAX_LENGTH + 1} characters.`,
      );
      return;
    }
    setError(null);
    post.mutate(parsed.data);
  }

  if (clinics.length === 0) return null;
  return (
    <form className="notice-form" noValidate onSubmit={onSubmit} aria-label="Post a notice">
      {clinics.length > 1 && (
        <div className="field">
          <label htmlFor={`${id}-clinic`}>Clinic</label>
          <select id={`${id}-clinic`} value={target} onChange={(e) => setClinicId(e.target.value)}>
            {clinics.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
      )}
      <div className="field">
        <label htmlFor={`${id}-message`}>
          Notice{clinics.length === 1 ? ` for ${clinics[0]?.name}` : ''}
        </label>
        <textarea
          id={`${id}-message`}
          rows={2}
          maxLength={MAX_LENGTH}
          value={message}
          onChange={(e) => setMessage(e.target.value)}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        {error && (
          <p id={`${id}-error`} className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <button type="submit" className="button-primary" disabled={post.isPending}>
        {post.isPending ? 'Posting…' : 'Post notice'}
      </button>
      {sent && (
        <p className="muted" role="status">
          {sent}
        </p>
      )}
    </form>
  );
}
