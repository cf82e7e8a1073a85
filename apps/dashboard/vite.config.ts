import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin, type ProxyOptions, type UserConfig } from 'vite';

export interface DashboardConfigOptions {
  /** Where `/api` and `/socket.io` are proxied to. */
  apiUrl?: string;
  /** 0 lets the OS pick a free port (tests). */
  port?: number;
}

const DEFAULT_API_URL = 'http://127.0.0.1:3000';
const DEFAULT_PORT = 5173;

/**
 * The built dashboard's policy: its own scripts, styles and connections only (the API and the
 * live socket are proxied on the same origin), no inline script, no eval, never framed. The
 * favicon is an inline `data:` URL. React and uPlot set styles through the CSSOM, which style-src allows.
 */
const CSP_DIRECTIVES = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
];
export const DASHBOARD_CSP = [...CSP_DIRECTIVES, "frame-ancestors 'none'"].join('; ');

/** Sent by `vite preview` (what `pnpm start` serves). Referrer: patient links carry their token in the path. */
export const DASHBOARD_HEADERS: Record<string, string> = {
  'Content-Security-Policy': DASHBOARD_CSP,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
};

/**
 * The dev server runs Vite's inline React-refresh preamble and HMR socket, so it keeps everything
 * but the script policy.
 */
const DEV_HEADERS: Record<string, string> = {
  ...DASHBOARD_HEADERS,
  'Content-Security-Policy': "frame-ancestors 'none'",
};

/**
 * The same policy in the built index.html, for whatever static server ends up serving `dist`
 * (a <meta> cannot carry frame-ancestors; the headers above do). Build only: dev needs inline scripts.
 */
function cspMeta(): Plugin {
  return {
    name: 'tautline-csp-meta',
    apply: 'build',
    // Right after the charset (which must come first), before any script or stylesheet.
    transformIndexHtml(html) {
      const charset = '<meta charset="UTF-8" />';
      if (!html.includes(charset))
        throw new Error(`index.html must start its head with ${charset}`);
      const meta = `<meta http-equiv="Content-Security-Policy" content="${CSP_DIRECTIVES.join('; ')}" />`;
      return html.replace(charset, `${charset}\n    ${meta}`);
    },
  };
}

/** Pure config builder, so tests can serve the built app with their own port and API target. */
export function dashboardConfig({
  apiUrl = DEFAULT_API_URL,
  port = DEFAULT_PORT,
}: DashboardConfigOptions = {}): UserConfig {
  const proxy: Record<string, ProxyOptions> = {
    '/api': { target: apiUrl },
    '/socket.io': { target: apiUrl, ws: true },
  };
  // Dev server and preview behave the same (but for the script policy, see DEV_HEADERS), so the browser
  // test exercises what developers run.
  const listen = { host: '127.0.0.1', port, strictPort: true, proxy };
  return {
    // The SPA history fallback (Vite's default, stated here because patient links rely on it): dev and
    // preview answer every HTML navigation with index.html, so reminder links `/p/<token>` open the
    // patient page. Vite 7's fallback does not treat a dot as a file extension (tokens are
    // `<claims>.<signature>`), unlike the connect-history-api-fallback of older Vite; the browser test
    // tests/browser/patient-link.browser.spec.ts opens such a link through preview.
    appType: 'spa',
    plugins: [react(), cspMeta()],
    resolve: {
      // The domain package builds to CommonJS for Node; the browser bundles its ESM-friendly sources.
      alias: [
        {
          find: /^@tautline\/domain$/,
          replacement: fileURLToPath(
            new URL('../../packages/domain/src/index.ts', import.meta.url),
          ),
        },
      ],
    },
    server: { ...listen, headers: DEV_HEADERS },
    preview: { ...listen, headers: DASHBOARD_HEADERS },
    build: {
      outDir: 'dist',
      sourcemap: true,
      rollupOptions: {
        // zod's sources carry comments Rollup cannot place; the warning is noise we cannot fix here.
        onwarn(warning, warn) {
          if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('node_modules')) return;
          warn(warning);
        },
      },
    },
  };
}

function portFromEnv(value: string | undefined): number | undefined {
  if (value === undefined || value === '') return undefined;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`DASHBOARD_PORT must be a port number, got "${value}"`);
  }
  return port;
}

export default defineConfig(() =>
  dashboardConfig({
    apiUrl: process.env.API_URL || undefined,
    port: portFromEnv(process.env.DASHBOARD_PORT),
  }),
);
