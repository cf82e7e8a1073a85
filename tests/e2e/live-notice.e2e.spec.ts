import {
  type ClientToServerEvents,
  LIVE_NAMESPACE,
  type Notice,
  type ServerToClientEvents,
} from '@tautline/domain';
import { io, type Socket } from 'socket.io-client';
import { startStack, type Stack } from '../support/stack';

type LiveClient = Socket<ServerToClientEvents, ClientToServerEvents>;
const DEMO_PASSWORD = 'tautline-demo-2026';

/**
 * The walking skeleton end to end: REST sign-in → socket.io `/live` on the api → a job through BullMQ →
 * the worker process → Redis emitter → the right clinic room, and no other.
 */
describe('api + worker: a notice reaches its clinic room only', () => {
  let stack: Stack;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    stack = await startStack('e2e-notice');
  }, 90_000);
  afterAll(async () => {
    clients.forEach((c) => c.disconnect());
    await stack?.stop();
  });

  async function signIn(email: string): Promise<string> {
    const res = await fetch(`${stack.apiUrl}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password: DEMO_PASSWORD }),
    });
    expect(res.status).toBe(200);
    return ((await res.json()) as { accessToken: string }).accessToken;
  }

  async function live(
    token: string,
    clinicIds: string[],
  ): Promise<{ client: LiveClient; joined: string[] }> {
    const client: LiveClient = io(`${stack.apiUrl}${LIVE_NAMESPACE}`, {
      auth: { token },
      transports: ['websocket'],
    });
    clients.push(client);
    await new Promise<void>((resolve, reject) => {
      client.on('connect', resolve);
      client.on('connect_error', reject);
    });
    const { joined } = await client.emitWithAck('clinics.subscribe', { clinicIds });
    return { client, joined };
  }

  it('delivers the worker’s event to London Bridge and not to New York Chelsea', async () => {
    const london = stack.demo.clinicIds['london-bridge']!;
    const newYork = stack.demo.clinicIds['new-york-chelsea']!;
    const supervisorToken = await signIn('supervisor@tautline.test');
    const scheduler = await live(await signIn('scheduler@tautline.test'), [london, newYork]);
    const practitioner = await live(await signIn('practitioner@tautline.test'), [london, newYork]);
    // Each joined only the rooms of its own clinics, whatever it asked for.
    expect(scheduler.joined).toEqual([london]);
    expect(practitioner.joined).toEqual([newYork]);

    const strayed: Notice[] = [];
    practitioner.client.on('notice.posted', (n) => strayed.push(n));
    const arrived = new Promise<Notice>((resolve) => scheduler.client.on('notice.posted', resolve));

    const res = await fetch(`${stack.apiUrl}/api/v1/clinics/${london}/notices`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${supervisorToken}` },
      body: JSON.stringify({ message: 'Room 2 stimulator is back in service' }),
    });
    expect(res.status).toBe(202);
    const { id } = (await res.json()) as { id: string };

    const notice = await arrived;
    expect(notice).toMatchObject({
      id,
      clinicId: london,
      message: 'Room 2 stimulator is back in service',
      postedBy: 'Dr Sofia Supervisor',
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(strayed).toEqual([]);
  });

  it('refuses a socket without a token', async () => {
    const client: LiveClient = io(`${stack.apiUrl}${LIVE_NAMESPACE}`, {
      transports: ['websocket'],
      reconnection: false,
    });
    clients.push(client);
    const error = await new Promise<Error>((resolve) => client.on('connect_error', resolve));
    expect(error.message).toBe('unauthorized');
  });
});
