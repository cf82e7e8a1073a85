import { can, type Notice } from '@tautline/domain';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { type Session } from '../auth/auth.session';
import { useNow } from '../clinics/clinics.clock';
import { ClinicList } from '../clinics/clinics.list';
import { useClinics } from '../clinics/clinics.query';
import { ClinicSwitcher } from '../clinics/clinics.switcher';
import { useApiOrigin } from '../http/http.origin';
import { describeProblem, isUnauthorized } from '../http/http.problem';
import { LiveIndicator } from '../live/live.indicator';
import { useLiveSocket } from '../live/live.socket';
import { NoticeForm } from '../notices/notices.form';
import { addNotice, noticesFor } from '../notices/notices.list';
import { NoticesPanel } from '../notices/notices.panel';
import { LiveBoardView } from '../board/board.view';
import { CalendarView } from '../calendar/calendar.view';
import { LiveBus, LiveBusContext } from '../live/live.bus';
import { SessionReviewView } from '../review/review.view';
import { hrefOf, type Route, useRoute, VIEW_LABELS, viewsFor } from './shell.route';
import { type ViewProps } from './shell.view-props';

interface ShellProps {
  session: Session;
  onSignOut(): void;
  onExpired(): void;
}

const ROLE_LABELS = {
  admin: 'Admin',
  scheduler: 'Scheduler',
  supervisor: 'Supervisor',
  practitioner: 'Practitioner',
};

export function Shell({ session, onSignOut, onExpired }: ShellProps) {
  // Views and their caches keep the sign-in's token; requests swap in the newest one.
  const { viewToken: token, user } = session;
  const clinics = useClinics(token);
  const now = useNow();
  const origin = useApiOrigin();
  // Start with every clinic the user belongs to, so live rooms are joined before the list loads.
  const [selected, setSelected] = useState<string[]>(user.clinicIds);
  const [notices, setNotices] = useState<Notice[]>([]);

  const onNotice = useCallback(
    (notice: Notice) => setNotices((list) => addNotice(list, notice)),
    [],
  );
  // One socket for the whole shell; views listen through the bus.
  const bus = useMemo(() => new LiveBus(), []);
  const live = useLiveSocket({
    // The socket is handed each renewed token (`auth.renew`).
    token: session.accessToken,
    origin,
    clinicIds: selected,
    onNotice,
    onUnauthorized: onExpired,
    bus,
  });
  const route = useRoute();
  const views = viewsFor(user.role);

  useEffect(() => {
    if (isUnauthorized(clinics.error)) onExpired();
  }, [clinics.error, onExpired]);

  const selectedClinics = useMemo(
    () => (clinics.data ?? []).filter((c) => selected.includes(c.id)),
    [clinics.data, selected],
  );

  const viewProps: ViewProps = {
    token,
    user,
    clinics: selectedClinics,
    allClinics: clinics.data ?? [],
    onUnauthorized: onExpired,
  };
  const shown: Route = views.includes(route.view) ? route : { view: 'clinics' };

  return (
    <LiveBusContext.Provider value={bus}>
      <div className="app">
        <header className="app-header">
          <p className="brand">Tautline</p>
          <nav aria-label="Views" className="app-nav">
            {views.map((view) => (
              <a
                key={view}
                href={hrefOf(view === 'sessions' ? { view, sessionId: null } : ({ view } as Route))}
                aria-current={shown.view === view ? 'page' : undefined}
              >
                {VIEW_LABELS[view]}
              </a>
            ))}
          </nav>
          <LiveIndicator state={live} />
          <div className="user">
            <span className="user-name">{user.name}</span>
            <span className="role-badge">{ROLE_LABELS[user.role]}</span>
            <button type="button" className="button-secondary" onClick={onSignOut}>
              Sign out
            </button>
          </div>
        </header>
        <main className="app-main">
          <h1 className="visually-hidden">Clinics dashboard</h1>
          {clinics.isPending && <p role="status">Loading your clinics…</p>}
          {clinics.isError && !isUnauthorized(clinics.error) && (
            <p className="banner banner-error" role="alert">
              Could not load your clinics. {describeProblem(clinics.error)}
            </p>
          )}
          {clinics.data && (
            <>
              <ClinicSwitcher clinics={clinics.data} selected={selected} onChange={setSelected} />
              {shown.view === 'calendar' && <CalendarView {...viewProps} />}
              {shown.view === 'board' && <LiveBoardView {...viewProps} live={live} />}
              {shown.view === 'sessions' && (
                <SessionReviewView {...viewProps} sessionId={shown.sessionId} />
              )}
            </>
          )}
          {clinics.data && shown.view === 'clinics' && (
            <>
              <section className="clinics" aria-labelledby="clinics-heading">
                <h2 id="clinics-heading">Clinics</h2>
                <ClinicList clinics={selectedClinics} now={now} />
              </section>
              <NoticesPanel
                notices={noticesFor(notices, selected)}
                clinics={clinics.data}
                form={
                  can(user.role, 'notice.post') ? (
                    <NoticeForm
                      token={token}
                      clinics={selectedClinics}
                      onUnauthorized={onExpired}
                    />
                  ) : undefined
                }
              />
            </>
          )}
        </main>
      </div>
    </LiveBusContext.Provider>
  );
}
