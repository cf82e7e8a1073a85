import helmet from '@fastify/helmet';
import { type NestFastifyApplication } from '@nestjs/platform-fastify';

/** The API answers JSON (and ICS): nothing may load, run or frame it. */
export const API_CSP =
  "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * Swagger UI (`/api/docs`) loads its own scripts and styles from the same path and has an inline
 * `<style>` block and data: images; nothing else is allowed, and it may not be framed either.
 */
export const DOCS_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const HSTS_MAX_AGE_SECONDS = 365 * 24 * 60 * 60;

/** Every answer under these prefixes carries PHI, tokens or account state: no cache may keep it. */
const NO_STORE_PREFIXES = ['/api/v1/', '/api/health'];

/**
 * helmet on every route (HSTS, nosniff, a strict CSP with frame-ancestors 'none', no referrer),
 * Swagger UI's own CSP, and `Cache-Control: no-store` on the API's answers, errors included.
 */
export async function registerSecurityHeaders(app: NestFastifyApplication): Promise<void> {
  await app.register(helmet, {
    hsts: { maxAge: HSTS_MAX_AGE_SECONDS, includeSubDomains: true },
    contentSecurityPolicy: false, // set below: helmet's defaults are for HTML pages, not an API
    referrerPolicy: { policy: 'no-referrer' },
  });
  const fastify = app.getHttpAdapter().getInstance();
  // Runs after helmet's onRequest hooks (registered above), on 404s and refused requests too.
  fastify.addHook('onRequest', (request, reply, done) => {
    const docs = request.url === '/api/docs' || request.url.startsWith('/api/docs/');
    reply.raw.setHeader('content-security-policy', docs ? DOCS_CSP : API_CSP);
    done();
  });
  fastify.addHook('onSend', (request, reply, payload, done) => {
    const path = request.url.split('?', 1)[0] ?? '';
    const api = NO_STORE_PREFIXES.some((prefix) => path.startsWith(prefix)) || path === '/api/v1';
    // A route's own stricter value (the ICS feed, patient links: `private, no-store`) stays.
    if (api && !reply.hasHeader('cache-control')) void reply.header('cache-control', 'no-store');
    done(null, payload);
  });
}
