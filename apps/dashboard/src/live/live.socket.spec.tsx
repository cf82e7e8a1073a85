import { clinicRoom, LIVE_NAMESPACE, type Notice } from '@tautline/domain';
import { act, cleanup, renderHook, waitFor } from '@testing-library/react';
import { startTestServer, unreachableOrigin, type TestServer } from '../testing/testing.server';
import { LiveBus } from './live.bus';
import { connectLive, useLiveSocket, type LiveSocket } from './live.socket';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';
const D = '44444444-4444-4444-8444-444444444444';

// A real socket.io server (src/testing/testing.server.ts) implementing the /live contract; the
// hook's real socket.io client reaches it over a WebSocket. The token 'tok' may watch A, B and C.
let server: TestServer;
beforeEach(async () => {
  server = await startTestServer({ token: 'tok', clinicIds: [A, B, C] });
});
afterEach(async () => {
  cleanup();
  await server.close();
});

function setup(
  clinicIds: string[],
  {
    origin = server.origin,
    token = 'tok',
    bus,
  }: { origin?: string; token?: string; bus?: LiveBus } = {},
) {
  // The real socket the hook opens, kept to look at its state and listeners.
  const sockets: LiveSocket[] = [];
  const connect = (t: () => string, o: string) => {
    const socket = connectLive(t, o);
    sockets.push(socket);
    return socket;
  };
  const onNotice = jest.fn();
  const onUnauthorized = jest.fn();
  const hook = renderHook(
    ({ ids, token: current = token }: { ids: string[]; token?: string }) =>
      useLiveSocket({
        token: current,
        origin,
        clinicIds: ids,
        onNotice,
        onUnauthorized,
        connect,
        bus,
      }),
    { initialProps: { ids: clinicIds } as { ids: string[]; token?: string } },
  );
  return { sockets, onNotice, onUnauthorized, ...hook };
}

/** Resolves once the hook is live and the server has put its socket in exactly these rooms. */
async function live(result: { current: { status: string } }, rooms: string[]) {
  await waitFor(() => {
    expect(result.current.status).toBe('connected');
    expect(server.watchedClinics()).toEqual(rooms);
  });
}

describe('useLiveSocket', () => {
  it('opens a socket for the token and reports connecting until it is up', async () => {
    const { sockets, result } = setup([A]);
    expect(result.current).toMatchObject({ status: 'reconnecting', hasConnected: false });
    // Opened after the listeners are attached, outside the render.
    expect(sockets).toHaveLength(1);
    expect(sockets[0]!.active).toBe(false);

    await waitFor(() =>
      expect(result.current).toMatchObject({ status: 'connected', hasConnected: true }),
    );
    // WebSocket straight away, with the token in the handshake.
    expect(server.handshakes).toEqual([{ token: 'tok', transport: 'websocket' }]);
    expect(server.liveSockets()).toBe(1);
  });

  it('subscribes to the selected clinics on connect', async () => {
    server.subscribeAckGate.close();
    const { result } = setup([A, B]);
    await live(result, [A, B]);
    expect(server.liveRequests).toEqual([{ event: 'clinics.subscribe', clinicIds: [A, B] }]);
    // Nothing has arrived yet: the server has not confirmed the rooms.
    expect(result.current.lastUpdateAt).toBeNull();
  });

  it('sets the last update time when the server acknowledges the subscription', async () => {
    server.subscribeAckGate.close();
    const { result } = setup([A]);
    await live(result, [A]);
    expect(result.current.lastUpdateAt).toBeNull();

    server.subscribeAckGate.open();
    await waitFor(() =>
      expect(result.current.lastUpdateAt).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/)),
    );
  });

  it('follows the selection: joins added rooms and leaves removed ones', async () => {
    const { result, rerender } = setup([A, B]);
    await live(result, [A, B]);

    rerender({ ids: [B, C] });
    await live(result, [B, C]);

    // Same ids in a new array: nothing to do. Then a real change, so anything sent in between
    // would have reached the server before it (one socket, in order).
    rerender({ ids: [B, C] });
    rerender({ ids: [B] });
    await live(result, [B]);
    expect(server.liveRequests).toEqual([
      { event: 'clinics.subscribe', clinicIds: [A, B] },
      { event: 'clinics.subscribe', clinicIds: [C] },
      { event: 'clinics.unsubscribe', clinicIds: [A] },
      { event: 'clinics.unsubscribe', clinicIds: [C] },
    ]);
  });

  it('resubscribes to the current selection after a reconnect', async () => {
    const { rerender, result } = setup([A]);
    await live(result, [A]);

    server.dropLiveConnections();
    await waitFor(() =>
      expect(result.current).toMatchObject({ status: 'reconnecting', hasConnected: true }),
    );
    expect(server.watchedClinics()).toEqual([]);

    rerender({ ids: [A, B] }); // changed while down: nothing can be sent yet
    const before = server.liveRequests.length;
    // socket.io waits 0.5–1.5 s before its first reconnection attempt.
    await waitFor(() => expect(server.handshakes).toHaveLength(2), { timeout: 5000 });
    await live(result, [A, B]);
    expect(server.liveRequests.slice(before)).toEqual([
      { event: 'clinics.subscribe', clinicIds: [A, B] },
    ]);
  });

  it('hands notices over and marks them as the last update', async () => {
    server.subscribeAckGate.close(); // so only the notice can set the last update
    const { onNotice, result } = setup([A]);
    await live(result, [A]);
    expect(result.current.lastUpdateAt).toBeNull();

    const notice: Notice = {
      id: 'n1',
      clinicId: A,
      message: 'Room 3 closed',
      postedBy: 'Sofia',
      postedAt: '2026-03-09T10:00:00.000Z',
    };
    const elsewhere: Notice = { ...notice, id: 'n0', clinicId: D, message: 'Not for this socket' };
    server.io.of(LIVE_NAMESPACE).to(clinicRoom(D)).emit('notice.posted', elsewhere);
    server.io.of(LIVE_NAMESPACE).to(clinicRoom(A)).emit('notice.posted', notice);

    await waitFor(() => expect(onNotice).toHaveBeenCalledWith(notice));
    expect(onNotice).toHaveBeenCalledTimes(1);
    expect(result.current.lastUpdateAt).not.toBeNull();
  });

  it('goes offline and reports an unauthorized handshake', async () => {
    const { onUnauthorized, result, sockets } = setup([A], { token: 'stale' });
    await waitFor(() => expect(onUnauthorized).toHaveBeenCalledTimes(1));
    expect(result.current.status).toBe('offline');
    expect(server.handshakes).toEqual([{ token: 'stale', transport: 'websocket' }]);
    // socket.io does not retry a refused handshake.
    expect(sockets[0]!.active).toBe(false);
    expect(server.liveSockets()).toBe(0);
  });

  it('hands a renewed token to the open socket: no reconnect, rooms and events kept', async () => {
    const { result, rerender, onNotice, onUnauthorized } = setup([A]);
    await live(result, [A]);
    server.liveAuth = { token: 'tok-2', clinicIds: [A, B, C] };
    rerender({ ids: [A], token: 'tok-2' });
    await waitFor(() => expect(server.renewals).toEqual(['tok-2']));
    expect(server.handshakes).toHaveLength(1);
    expect(server.disconnects).toEqual([]);
    expect(server.watchedClinics()).toEqual([A]);
    const notice: Notice = {
      id: 'n-after-renew',
      clinicId: A,
      message: 'still here',
      postedBy: 'Dr Sofia Supervisor',
      postedAt: '2026-03-09T10:00:00.000Z',
    };
    server.io.of(LIVE_NAMESPACE).to(clinicRoom(A)).emit('notice.posted', notice);
    await waitFor(() => expect(onNotice).toHaveBeenCalledWith(notice));
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('asks for a renewal when the server closes the socket at expiry, and reconnects with the new token', async () => {
    const { result, rerender, onUnauthorized } = setup([A]);
    await live(result, [A]);
    for (const socket of server.io.of(LIVE_NAMESPACE).sockets.values()) socket.disconnect(true);
    await waitFor(() => expect(onUnauthorized).toHaveBeenCalledTimes(1));
    expect(result.current.status).toBe('offline');
    server.liveAuth = { token: 'tok-2', clinicIds: [A, B, C] };
    rerender({ ids: [A], token: 'tok-2' });
    await live(result, [A]);
    expect(server.handshakes.map((h) => h.token)).toEqual(['tok', 'tok-2']);
  });

  it('keeps the session and tries again when the server cannot reach its database', async () => {
    server.unavailableHandshakes = 1;
    const { onUnauthorized, result } = setup([A]);
    await waitFor(() => expect(server.handshakes).toHaveLength(1));
    await waitFor(() => expect(result.current.status).toBe('reconnecting'));
    // Asked again after the outage pause (2 s), and this time let in.
    await waitFor(() => expect(result.current.status).toBe('connected'), { timeout: 5_000 });
    await live(result, [A]);
    expect(server.handshakes).toHaveLength(2);
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('shows a revocation plainly and does not reconnect; a removed clinic empties its part of the views', async () => {
    const bus = new LiveBus();
    const snapshots: { clinicIds: string[]; sessions: unknown[] }[] = [];
    bus.on('sessions.snapshot', (s) => snapshots.push(s));
    const { sockets, result } = setup([A, B], { bus });
    await live(result, [A, B]);
    const nsp = server.io.of(LIVE_NAMESPACE);

    nsp.emit('access.revoked', { reason: 'membership_removed', clinicIds: [A] });
    await waitFor(() => expect(snapshots).toContainEqual({ clinicIds: [A], sessions: [] }));
    expect(result.current.status).toBe('connected');

    nsp.emit('access.revoked', { reason: 'deactivated', clinicIds: [B] });
    nsp.disconnectSockets(true);
    await waitFor(() => expect(result.current).toMatchObject({ status: 'offline', revoked: true }));
    expect(result.current.reason).toMatch(/access was withdrawn/);
    // No silent reconnection loop: socket.io leaves a server-closed socket closed.
    await new Promise((r) => setTimeout(r, 1_600));
    expect(sockets[0]!.active).toBe(false);
    expect(server.handshakes).toHaveLength(1);
  });

  it('keeps reconnecting on other connection errors', async () => {
    const { onUnauthorized, result, sockets } = setup([A], { origin: await unreachableOrigin() });
    const errors: string[] = [];
    sockets[0]!.on('connect_error', (error) => errors.push(error.message));

    await waitFor(() => expect(errors).toContain('websocket error'));
    expect(result.current.status).toBe('reconnecting');
    expect(sockets[0]!.active).toBe(true);
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('disconnects and removes its listeners on unmount', async () => {
    const { sockets, result, unmount } = setup([A]);
    await live(result, [A]);
    const socket = sockets[0]!;
    const events = ['connect', 'disconnect', 'connect_error', 'notice.posted'] as const;
    expect(events.map((e) => socket.listeners(e).length)).toEqual([1, 1, 1, 1]);
    expect(socket.io.listeners('reconnect_attempt')).toHaveLength(1);

    act(() => unmount());
    // Closed by the client for good: inactive, so socket.io will not reconnect it. (The server sees
    // "transport close", not "client namespace disconnect": jsdom's WebSocket sends on the next tick
    // but closes at once, so socket.io's goodbye packet never leaves. A browser sends it first.)
    expect(socket.active).toBe(false);
    await waitFor(() => expect(server.liveSockets()).toBe(0));
    expect(server.disconnects).toHaveLength(1);
    expect(events.map((e) => socket.listeners(e).length)).toEqual([0, 0, 0, 0]);
    expect(socket.io.listeners('reconnect_attempt')).toHaveLength(0);
  });
});
