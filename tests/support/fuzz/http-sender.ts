import { Agent, request } from 'node:http';

export interface RawResponse {
  status: number;
  contentType: string;
  body: Buffer;
}

/**
 * Sends exactly the bytes given (node:http, not fetch: fetch normalises URLs and refuses some of the
 * headers the fuzzer needs). A network error or timeout answers `status: 0` with the reason as body.
 */
export function createSender(baseUrl: string, timeoutMs = 15_000) {
  const { hostname, port } = new URL(baseUrl);
  const agent = new Agent({ keepAlive: true, maxSockets: 16 });
  const send = (
    method: string,
    path: string,
    headers: Record<string, string>,
    body?: string,
  ): Promise<RawResponse> =>
    new Promise((resolve) => {
      const payload = body === undefined ? undefined : Buffer.from(body);
      const req = request(
        {
          hostname,
          port,
          method,
          path,
          agent,
          headers: { ...headers, ...(payload ? { 'content-length': String(payload.length) } : {}) },
          timeout: timeoutMs,
          insecureHTTPParser: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              contentType: String(res.headers['content-type'] ?? ''),
              body: Buffer.concat(chunks),
            }),
          );
          res.on('error', (e) =>
            resolve({
              status: 0,
              contentType: '',
              body: Buffer.from(`response error: ${e.message}`),
            }),
          );
        },
      );
      req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
      req.on('error', (e) =>
        resolve({ status: 0, contentType: '', body: Buffer.from(`request error: ${e.message}`) }),
      );
      req.end(payload);
    });
  return { send, close: () => agent.destroy() };
}
