import { type createServer, type ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';

// What the browser tests' and the benchmark's stand-in APIs share: the socket.io server (a dependency
// of the dashboard's tests, not of this package, so loaded from there) and JSON answers.

const requireFromDashboard = createRequire(
  path.resolve(__dirname, '../../apps/dashboard/package.json'),
);
export interface IoSocket {
  on(
    event: string,
    fn: (payload: { clinicIds: string[] }, ack: (result: unknown) => void) => void,
  ): void;
  join(rooms: string[]): Promise<void> | void;
}
export interface IoNamespace {
  on(event: 'connection', fn: (socket: IoSocket) => void): void;
  to(room: string): { emit(event: string, payload: unknown): void };
}
export interface IoServer {
  of(ns: string): IoNamespace;
  close(cb?: (err?: Error) => void): void;
}
export const { Server: IoServerClass } = requireFromDashboard('socket.io') as {
  Server: new (http: ReturnType<typeof createServer>, opts: object) => IoServer;
};

/** JSON, or problem+json for an error status. */
export function answerJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, {
    'content-type': status >= 400 ? 'application/problem+json' : 'application/json',
  });
  res.end(JSON.stringify(body));
}
