import { can, type Role } from '@tautline/domain';
import { useEffect, useState } from 'react';

/** The staff views, addressed by the URL hash so a reload or a shared link opens the same view. */
export type Route =
  | { view: 'clinics' }
  | { view: 'calendar' }
  | { view: 'board' }
  | { view: 'sessions'; sessionId: string | null };

export type ViewName = Route['view'];

export const VIEW_LABELS: Record<ViewName, string> = {
  clinics: 'Clinics',
  calendar: 'Calendar',
  board: 'Live board',
  sessions: 'Session review',
};

/** The views a role may open, in navigation order. */
export function viewsFor(role: Role): ViewName[] {
  const views: ViewName[] = ['clinics'];
  if (can(role, 'appointment.read')) views.push('calendar');
  if (can(role, 'session.read')) views.push('board', 'sessions');
  return views;
}

export function parseRoute(hash: string): Route {
  const [, view, id] = /^#\/([a-z]+)(?:\/([0-9a-f-]{36}))?$/.exec(hash) ?? [];
  switch (view) {
    case 'calendar':
      return { view: 'calendar' };
    case 'board':
      return { view: 'board' };
    case 'sessions':
      return { view: 'sessions', sessionId: id ?? null };
    default:
      return { view: 'clinics' };
  }
}

export function hrefOf(route: Route): string {
  if (route.view === 'sessions' && route.sessionId) return `#/sessions/${route.sessionId}`;
  return `#/${route.view}`;
}

/** The current route, following the hash. */
export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
