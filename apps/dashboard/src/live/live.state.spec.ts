import {
  initialLiveState,
  liveStatusLabel,
  reduceLive,
  type LiveEvent,
  type LiveState,
} from './live.state';

const run = (...events: LiveEvent[]): LiveState => events.reduce(reduceLive, initialLiveState);

describe('reduceLive', () => {
  it('is offline until started, then connecting', () => {
    expect(initialLiveState.status).toBe('offline');
    const started = run({ type: 'start' });
    expect(started.status).toBe('reconnecting');
    expect(liveStatusLabel(started)).toBe('Connecting…');
  });

  it('goes live on connect', () => {
    const state = run({ type: 'start' }, { type: 'connected' });
    expect(state).toMatchObject({ status: 'connected', hasConnected: true });
    expect(liveStatusLabel(state)).toBe('Live');
  });

  it.each(['transport close', 'ping timeout', 'transport error'])(
    'reconnects after "%s"',
    (reason) => {
      const state = run({ type: 'start' }, { type: 'connected' }, { type: 'disconnected', reason });
      expect(state.status).toBe('reconnecting');
      expect(liveStatusLabel(state)).toBe('Reconnecting…');
    },
  );

  it('is offline when the server closes the socket (socket.io does not retry that)', () => {
    const state = run(
      { type: 'start' },
      { type: 'connected' },
      { type: 'disconnected', reason: 'io server disconnect' },
    );
    expect(state.status).toBe('offline');
    expect(state.reason).toMatch(/server closed/);
  });

  it('is offline without a reason when we closed it ourselves', () => {
    const state = run(
      { type: 'start' },
      { type: 'connected' },
      { type: 'disconnected', reason: 'io client disconnect' },
    );
    expect(state).toMatchObject({ status: 'offline', reason: null });
  });

  it('is offline when the token is refused', () => {
    const state = run(
      { type: 'start' },
      { type: 'connect-failed', message: 'unauthorized', willRetry: false },
    );
    expect(state.status).toBe('offline');
    expect(state.reason).toMatch(/session/);
  });

  it('keeps reconnecting while socket.io retries, and gives up when it stops', () => {
    const retrying = run(
      { type: 'start' },
      { type: 'connect-failed', message: 'websocket error', willRetry: true },
    );
    expect(retrying.status).toBe('reconnecting');
    expect(
      reduceLive(retrying, { type: 'connect-failed', message: 'websocket error', willRetry: false })
        .status,
    ).toBe('offline');
  });

  it('records the last update and keeps it across a reconnect', () => {
    const at = '2026-03-29T12:00:00.000Z';
    const state = run(
      { type: 'start' },
      { type: 'connected' },
      { type: 'update', at },
      { type: 'disconnected', reason: 'transport close' },
      { type: 'reconnect-attempt' },
      { type: 'connected' },
    );
    expect(state).toMatchObject({ status: 'connected', lastUpdateAt: at });
  });

  it('is offline after stop', () => {
    expect(run({ type: 'start' }, { type: 'connected' }, { type: 'stop' }).status).toBe('offline');
  });
});

describe('reduceLive after the server revoked access', () => {
  it('stays offline with the reason, not the generic "server closed", when deactivated or the role changed', () => {
    for (const reason of ['deactivated', 'role_changed'] as const) {
      const state = run(
        { type: 'start' },
        { type: 'connected' },
        { type: 'revoked', reason },
        { type: 'disconnected', reason: 'io server disconnect' },
      );
      expect(state).toMatchObject({ status: 'offline', revoked: true });
      expect(state.reason).toMatch(
        reason === 'deactivated' ? /access was withdrawn/ : /role changed/,
      );
    }
  });

  it('stays live when only a clinic was removed', () => {
    const state = run(
      { type: 'start' },
      { type: 'connected' },
      { type: 'revoked', reason: 'membership_removed' },
    );
    expect(state).toMatchObject({ status: 'connected', revoked: false, reason: null });
  });
});
