// First: configures zod for the Content-Security-Policy before any schema parses.
import './shell/shell.csp';
import { QueryClientProvider } from '@tanstack/react-query';
import { lazy, StrictMode, Suspense } from 'react';
import { createRoot } from 'react-dom/client';
import { patientLinkToken } from './patient/patient.route';
import { createQueryClient } from './shell/shell.query-client';
import './main.css';

// Two bundles: a patient on a phone never downloads the staff app (calendar, live board, socket.io).
const StaffApp = lazy(() => import('./shell/shell.staff-app'));
const PatientPage = lazy(() =>
  import('./patient/patient.page').then((m) => ({ default: m.PatientPage })),
);

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// Reminder links (`/p/<token>`) open the patient's page: no sign-in, no staff shell, no socket.
const patientToken = patientLinkToken(window.location.pathname);

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={createQueryClient()}>
      <Suspense fallback={<p className="loading">Loading…</p>}>
        {patientToken === null ? <StaffApp /> : <PatientPage token={patientToken} />}
      </Suspense>
    </QueryClientProvider>
  </StrictMode>,
);
