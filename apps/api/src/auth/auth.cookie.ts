import { type FastifyReply, type FastifyRequest } from 'fastify';

/** The refresh token's cookie: sent only to the auth routes, never readable by page scripts. */
export const REFRESH_COOKIE = 'tautline_refresh';
export const REFRESH_COOKIE_PATH = '/api/v1/auth';

/** The refresh token from the Cookie header (no cookie plugin needed for one name). */
export function readRefreshCookie(req: FastifyRequest): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== REFRESH_COOKIE) continue;
    const value = part.slice(eq + 1).trim();
    // Our tokens are base64url; anything else is not one of ours.
    return /^[A-Za-z0-9_-]{16,128}$/.test(value) ? value : undefined;
  }
  return undefined;
}

/**
 * Secure everywhere except a non-production API reached over plain http (local development and
 * tests), where a browser would drop a Secure cookie. SameSite=Strict: never sent from another site.
 */
function attributes(req: FastifyRequest, production: boolean, maxAgeSeconds: number): string {
  const secure = production || req.protocol === 'https';
  return [
    `Path=${REFRESH_COOKIE_PATH}`,
    'HttpOnly',
    'SameSite=Strict',
    ...(secure ? ['Secure'] : []),
    `Max-Age=${Math.max(0, Math.floor(maxAgeSeconds))}`,
  ].join('; ');
}

export function setRefreshCookie(
  req: FastifyRequest,
  reply: FastifyReply,
  token: string,
  expiresAt: Date,
  production: boolean,
): void {
  const maxAge = (expiresAt.getTime() - Date.now()) / 1000;
  void reply.header(
    'set-cookie',
    `${REFRESH_COOKIE}=${token}; ${attributes(req, production, maxAge)}`,
  );
}

export function clearRefreshCookie(
  req: FastifyRequest,
  reply: FastifyReply,
  production: boolean,
): void {
  void reply.header('set-cookie', `${REFRESH_COOKIE}=; ${attributes(req, production, 0)}`);
}
