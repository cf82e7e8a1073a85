import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { AuthProvider } from './auth/auth.context';
import { PatientPage } from './patient/patient.page';
import { patientLinkToken } from './patient/patient.route';
import { App } from './shell/shell.app';
import { createQueryClient } from './shell/shell.query-client';
import './main.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

// Reminder links (`/p/<token>`) open the patient's page: no sign-in, no staff shell, no socket.
const patientToken = patientLinkToken(window.location.pathname);

createRoot(root).render(
  <StrictMode>
    <QueryClientProvider client={createQueryClient()}>
      {patientToken === null ? (
        <AuthProvider>
          <App />
        </AuthProvider>
      ) : (
        <PatientPage token={patientToken} />
      )}
    </QueryClientProvider>
  </StrictMode>,
);
