import { type PatientDetail, type PatientScreeningView } from '@tautline/domain';
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { renderWithQuery } from '../testing/testing.render';
import {
  json,
  problem,
  startTestServer,
  type RouteHandler,
  type TestServer,
} from '../testing/testing.server';
import { PatientScreeningPanel } from './patients.screening';

// The screening panel against a real HTTP server (no mocked fetch).

const PATIENT = 'dddddddd-dddd-4ddd-8ddd-ddddddddddd1';
const TOKEN = 'tok';
const none = { allowed: true, blocks: [], needsOverride: false, warnings: [] };
const screeningOf = (over: Partial<PatientScreeningView> = {}): PatientScreeningView => ({
  consents: [],
  contraindications: [],
  summary: { asOf: '2030-01-01', dry_needling: none, estim: none },
  ...over,
});
const detail = (screening: PatientScreeningView): PatientDetail => ({
  id: PATIENT,
  clinicId: '22222222-2222-4222-8222-222222222222',
  givenName: 'Sofia',
  familyName: 'Castellanos',
  dateOfBirth: '1980-01-01',
  phone: '+12125550100',
  email: null,
  preferredChannel: 'sms',
  timeZone: 'America/New_York',
  createdAt: '2030-01-01T00:00:00.000Z',
  screening,
});

let server: TestServer;
/** testing.server.ts types `route` as GET/POST only; at runtime it matches any method, PUT included. */
const routePut = (path: string, handler: RouteHandler) =>
  (server.route as (method: string, path: string, handler: RouteHandler) => TestServer)(
    'PUT',
    path,
    handler,
  );

beforeEach(async () => {
  server = await startTestServer();
  server.route('GET', '/api/v1/patients/:id', () => json(200, detail(screeningOf())));
});
afterEach(async () => {
  cleanup();
  await server.close();
});

const open = (canWrite = true) =>
  renderWithQuery(
    <PatientScreeningPanel
      auth={{ token: TOKEN, origin: server.origin }}
      patientId={PATIENT}
      canWrite={canWrite}
    />,
    {
      origin: server.origin,
    },
  );

describe('PatientScreeningPanel', () => {
  it('records a consent: posts the right body and shows it on file', async () => {
    server.route('POST', '/api/v1/patients/:id/consents', (req) => {
      const body = req.body as { kind: 'estim'; signedOn: string; version: string };
      return json(
        201,
        screeningOf({ consents: [{ id: 'ffffffff-ffff-4fff-8fff-fffffffffff1', ...body }] }),
      );
    });
    open();
    expect(await screen.findByText('No consent on file.')).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('Consent for'), { target: { value: 'estim' } });
    fireEvent.change(screen.getByLabelText('Signed on'), { target: { value: '2024-12-01' } });
    fireEvent.change(screen.getByLabelText('Form version'), { target: { value: ' v3.1 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Record consent' }));

    const status = await screen.findByText(
      'Consent recorded: E-stim, signed 2024-12-01, version v3.1.',
    );
    await waitFor(() => expect(status).toHaveFocus());
    const post = server.requests.find(
      (r) => r.method === 'POST' && r.path === `/api/v1/patients/${PATIENT}/consents`,
    )!;
    expect(post.body).toEqual({ kind: 'estim', signedOn: '2024-12-01', version: 'v3.1' });
    const row = within(screen.getByRole('table', { name: 'Consents on file' })).getAllByRole(
      'row',
    )[1]!;
    expect(row).toHaveTextContent('E-stim2024-12-01v3.1');
  });

  it('refuses a future signature with the schema message, without calling the API', async () => {
    open();
    fireEvent.change(await screen.findByLabelText('Signed on'), {
      target: { value: '2999-01-01' },
    });
    fireEvent.change(screen.getByLabelText('Form version'), { target: { value: 'v1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Record consent' }));
    expect(await screen.findByText('cannot be in the future')).toBeInTheDocument();
    expect(screen.getByLabelText('Signed on')).toHaveAttribute('aria-invalid', 'true');
    expect(screen.getByLabelText('Signed on')).toHaveFocus();
    expect(server.requests.some((r) => r.path.endsWith('/consents'))).toBe(false);
  });

  it('saves contraindications with PUT of the checked codes and notes, and says so', async () => {
    server.route('GET', '/api/v1/patients/:id', () =>
      json(
        200,
        detail(
          screeningOf({
            contraindications: [
              { code: 'diabetes', label: 'Diabetes', notedOn: '2029-01-01', note: null },
            ],
          }),
        ),
      ),
    );
    routePut('/api/v1/patients/:id/contraindications', (req) => {
      const { contraindications } = req.body as {
        contraindications: { code: string; note: string | null }[];
      };
      const labels: Record<string, string> = {
        diabetes: 'Diabetes',
        pacemaker: 'Implanted pacemaker',
      };
      return json(
        200,
        screeningOf({
          contraindications: contraindications.map((c) => ({
            code: c.code as 'diabetes',
            label: labels[c.code]!,
            notedOn: '2030-01-01',
            note: c.note,
          })),
        }),
      );
    });
    open();
    const diabetes = await screen.findByRole('checkbox', { name: /^Diabetes/ });
    await waitFor(() => expect(diabetes).toBeChecked());
    const pacemaker = screen.getByRole('checkbox', { name: /^Implanted pacemaker/ });
    expect(pacemaker.closest('label')).toHaveTextContent('blocks e-stim (absolute: never)');
    expect(diabetes.closest('label')).toHaveTextContent(
      'blocks dry needling (relative: only with an override), e-stim (relative: only with an override)',
    );

    fireEvent.click(pacemaker);
    fireEvent.change(screen.getByLabelText('Note on Implanted pacemaker (optional)'), {
      target: { value: 'Fitted 2024' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Save contraindications' }));

    const status = await screen.findByText(
      'Saved 2 contraindications: Implanted pacemaker, Diabetes.',
    );
    await waitFor(() => expect(status).toHaveFocus());
    const put = server.requests.find((r) => r.method === 'PUT')!;
    expect(put.path).toBe(`/api/v1/patients/${PATIENT}/contraindications`);
    expect(put.body).toEqual({
      contraindications: [
        { code: 'pacemaker', note: 'Fitted 2024' },
        { code: 'diabetes', note: null },
      ],
    });
  });

  it("puts a server problem in words and the field's error by its field", async () => {
    server.route('POST', '/api/v1/patients/:id/consents', () =>
      problem(400, 'Bad Request', 'Validation failed', {
        errors: [{ field: 'body.version', message: 'contains control characters' }],
      }),
    );
    open();
    fireEvent.change(await screen.findByLabelText('Signed on'), {
      target: { value: '2024-12-01' },
    });
    fireEvent.change(screen.getByLabelText('Form version'), { target: { value: 'v1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Record consent' }));
    expect(
      await screen.findByText('The consent was refused: check the highlighted fields.'),
    ).toBeInTheDocument();
    expect(screen.getByText('contains control characters')).toBeInTheDocument();
    expect(screen.getByLabelText('Form version')).toHaveAttribute('aria-invalid', 'true');
  });
});
