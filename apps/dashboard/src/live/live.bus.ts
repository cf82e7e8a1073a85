import { type LiveSession, type ServerToClientEvents } from '@tautline/domain';
import { createContext, useContext, useEffect, useRef } from 'react';

/** Server events, plus the two the socket hook adds: a (re)subscription's snapshot and a reconnect. */
export interface LiveBusEvents {
  'appointment.changed': Parameters<ServerToClientEvents['appointment.changed']>[0];
  'session.updated': Parameters<ServerToClientEvents['session.updated']>[0];
  'alert.raised': Parameters<ServerToClientEvents['alert.raised']>[0];
  'alert.updated': Parameters<ServerToClientEvents['alert.updated']>[0];
  'alert.escalated': Parameters<ServerToClientEvents['alert.escalated']>[0];
  /** The ack of `clinics.subscribe`: every live session of the joined clinics, right now. */
  'sessions.snapshot': { clinicIds: string[]; sessions: LiveSession[] };
  /** The socket connected again after a drop: views re-fetch what they hold. */
  'live.reconnected': Record<string, never>;
}
export type LiveBusEvent = keyof LiveBusEvents;
type Handler<E extends LiveBusEvent> = (payload: LiveBusEvents[E]) => void;

/** A small typed pub-sub between the one socket of the shell and the views that listen to it. */
export class LiveBus {
  private readonly handlers = new Map<LiveBusEvent, Set<Handler<never>>>();

  on<E extends LiveBusEvent>(event: E, handler: Handler<E>): () => void {
    const set = this.handlers.get(event) ?? new Set();
    set.add(handler as Handler<never>);
    this.handlers.set(event, set);
    return () => set.delete(handler as Handler<never>);
  }

  emit<E extends LiveBusEvent>(event: E, payload: LiveBusEvents[E]): void {
    for (const handler of this.handlers.get(event) ?? []) (handler as Handler<E>)(payload);
  }
}

export const LiveBusContext = createContext<LiveBus | null>(null);

/** Calls `handler` for every `event` while the component is mounted (the latest handler, no resubscribe). */
export function useLiveEvent<E extends LiveBusEvent>(event: E, handler: Handler<E>): void {
  const bus = useContext(LiveBusContext);
  const latest = useRef(handler);
  useEffect(() => {
    latest.current = handler;
  });
  useEffect(() => bus?.on(event, (payload) => latest.current(payload)), [bus, event]);
}
