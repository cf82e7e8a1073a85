import { type Clinic, type Notice } from '@tautline/domain';
import { DateTime } from 'luxon';
import { type ReactNode } from 'react';

interface NoticesPanelProps {
  /** Already filtered to the selected clinics, newest first. */
  notices: readonly Notice[];
  clinics: readonly Clinic[];
  /** The post form, for roles allowed to post. */
  form?: ReactNode;
}

export function NoticesPanel({ notices, clinics, form }: NoticesPanelProps) {
  const clinicById = new Map(clinics.map((c) => [c.id, c]));
  return (
    <section className="card notices" aria-labelledby="notices-heading">
      <h2 id="notices-heading">Notices</h2>
      {form}
      {notices.length === 0 ? (
        <p className="muted">No notices yet. New ones appear here as they are posted.</p>
      ) : (
        <ol className="notice-list" data-testid="notice-list">
          {notices.map((notice) => {
            const clinic = clinicById.get(notice.clinicId);
            // Shown in the clinic's zone: "09:00" means the same thing to everyone at that clinic.
            const posted = DateTime.fromISO(notice.postedAt, { zone: clinic?.timeZone ?? 'local' });
            return (
              <li key={notice.id} className="notice">
                <p className="notice-message">{notice.message}</p>
                <p className="muted">
                  {clinic?.name ?? 'Unknown clinic'} · {notice.postedBy} ·{' '}
                  <time dateTime={notice.postedAt}>{posted.toFormat('HH:mm')}</time>
                </p>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
