import { type Notice } from '@tautline/domain';
import { act, renderHook, waitFor } from '@testing-library/react';
import { useLiveSocket, type LiveSocket } from './live.socket';

type Handler = (...args: unknown[]) => void;

/** Stands in for a socket.io client: records emits, lets the test fire server-side events. */
class FakeSocket {
  connected = false;
  active = true;
  emitted: { event: string; payload: unknown; ack: Handler }[] = [];
  private handlers = new Map<string, Set<Handler>>();
  private managerHandlers = new Map<string, Set<Handler>>();
  io = {
    on: (event: string, fn: Handler) => add(this.managerHandlers, event, fn),
    off: (event: string, fn: Handler) => this.managerHandlers.get(event)?.delete(fn),
  };

  on(event: string, fn: Handler) {
    add(this.handlers, event, fn);
    return this;
  }
  off(event: string, fn: Handler) {
    this.handlers.get(event)?.delete(fn);
    return this;
  }
  emit(event: string, payload: unknown, ack: Handler) {
    this.emitted.push({ event, payload, ack });
    return this;
  }
  connect = jest.fn(() => this);
  disconnect() {
    this.connected = false;
    this.active = false;
    return this;
  }

  /** Simulates the server side. */
  fire(event: string, ...args: unknown[]) {
    if (event === 'connect') this.connected = true;
    if (event === 'disconnect') this.connected = false;
    for (const fn of this.handlers.get(event) ?? []) fn(...args);
  }
  fireManager(event: string, ...args: unknown[]) {
    for (const fn of this.managerHandlers.get(event) ?? []) fn(...args);
  }
  listenerCount(): number {
    return [...this.handlers.values(), ...this.managerHandlers.values()].reduce((n, s) => n + s.size, 0);
  }
  takeEmitted() {
    const emitted = this.emitted;
    this.emitted = [];
    return emitted.map(({ event, payload }) => [event, payload]);
  }
}

function add(map: Map<string, Set<Handler>>, event: string, fn: Handler) {
  const set = map.get(event) ?? new Set<Handler>();
  set.add(fn);
  map.set(event, set);
}

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';

function setup(clinicIds: string[]) {
  const socket = new FakeSocket();
  const connect = jest.fn(() => socket as unknown as LiveSocket);
  const onNotice = jest.fn();
  const onUnauthorized = jest.fn();
  const hook = renderHook(
    ({ ids }: { ids: string[] }) => useLiveSocket({ token: 'tok', clinicIds: ids, onNotice, onUnauthorized, connect }),
    { initialProps: { ids: clinicIds } },
  );
  return { socket, connect, onNotice, onUnauthorized, ...hook };
}

describe('useLiveSocket', () => {
  it('opens a socket for the token and reports connecting until it is up', async () => {
    const { connect, socket, result } = setup([A]);
    expect(connect).toHaveBeenCalledWith('tok');
    expect(result.current).toMatchObject({ status: 'reconnecting', hasConnected: false });
    // Opened after the listeners are attached, outside the render.
    await waitFor(() => expect(socket.connect).toHaveBeenCalledTimes(1));
  });

  it('subscribes to the selected clinics on connect', () => {
    const { socket, result } = setup([A, B]);
    act(() => socket.fire('connect'));
    expect(result.current.status).toBe('connected');
    expect(socket.takeEmitted()).toEqual([['clinics.subscribe', { clinicIds: [A, B] }]]);
    // Nothing has arrived yet: the server has not confirmed the rooms.
    expect(result.current.lastUpdateAt).toBeNull();
  });

  it('sets the last update time when the server acknowledges the subscription', () => {
    const { socket, result } = setup([A]);
    act(() => socket.fire('connect'));
    const [subscribe] = socket.emitted;
    act(() => subscribe!.ack({ joined: [A], rejected: [] }));
    expect(result.current.lastUpdateAt).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
  });

  it('follows the selection: joins added rooms and leaves removed ones', () => {
    const { socket, rerender } = setup([A, B]);
    act(() => socket.fire('connect'));
    socket.takeEmitted();

    rerender({ ids: [B, C] });
    expect(socket.takeEmitted()).toEqual([
      ['clinics.subscribe', { clinicIds: [C] }],
      ['clinics.unsubscribe', { clinicIds: [A] }],
    ]);

    // Same ids in a new array: nothing to do.
    rerender({ ids: [B, C] });
    expect(socket.takeEmitted()).toEqual([]);
  });

  it('resubscribes to the current selection after a reconnect', () => {
    const { socket, rerender, result } = setup([A]);
    act(() => socket.fire('connect'));
    act(() => socket.fire('disconnect', 'transport close'));
    expect(result.current.status).toBe('reconnecting');

    rerender({ ids: [A, B] }); // changed while down: nothing can be sent yet
    socket.takeEmitted();
    act(() => socket.fireManager('reconnect_attempt', 1));
    act(() => socket.fire('connect'));
    expect(result.current.status).toBe('connected');
    expect(socket.takeEmitted()).toEqual([['clinics.subscribe', { clinicIds: [A, B] }]]);
  });

  it('hands notices over and marks them as the last update', () => {
    const { socket, onNotice, result } = setup([A]);
    act(() => socket.fire('connect'));
    const notice: Notice = { id: 'n1', clinicId: A, message: 'Room 3 closed', postedBy: 'Sofia', postedAt: '2026-03-09T10:00:00.000Z' };
    act(() => socket.fire('notice.posted', notice));
    expect(onNotice).toHaveBeenCalledWith(notice);
    expect(result.current.lastUpdateAt).not.toBeNull();
  });

  it('goes offline and reports an unauthorized handshake', () => {
    const { socket, onUnauthorized, result } = setup([A]);
    socket.active = false;
    act(() => socket.fire('connect_error', new Error('unauthorized')));
    expect(result.current.status).toBe('offline');
    expect(onUnauthorized).toHaveBeenCalledTimes(1);
  });

  it('keeps reconnecting on other connection errors', () => {
    const { socket, onUnauthorized, result } = setup([A]);
    act(() => socket.fire('connect_error', new Error('websocket error')));
    expect(result.current.status).toBe('reconnecting');
    expect(onUnauthorized).not.toHaveBeenCalled();
  });

  it('disconnects and removes its listeners on unmount', () => {
    const { socket, unmount } = setup([A]);
    const disconnect = jest.spyOn(socket, 'disconnect');
    unmount();
    expect(disconnect).toHaveBeenCalled();
    expect(socket.listenerCount()).toBe(0);
  });
});
