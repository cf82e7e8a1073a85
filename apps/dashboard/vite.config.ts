import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig, type ProxyOptions, type UserConfig } from 'vite';

export interface DashboardConfigOptions {
  /** Where `/api` and `/socket.io` are proxied to. */
  apiUrl?: string;
  /** 0 lets the OS pick a free port (tests). */
  port?: number;
}

const DEFAULT_API_URL = 'http://127.0.0.1:3000';
const DEFAULT_PORT = 5173;

/** Pure config builder, so tests can serve the built app with their own port and API target. */
export function dashboardConfig({ apiUrl = DEFAULT_API_URL, port = DEFAULT_PORT }: DashboardConfigOptions = {}): UserConfig {
  const proxy: Record<string, ProxyOptions> = {
    '/api': { target: apiUrl },
    '/socket.io': { target: apiUrl, ws: true },
  };
  // Dev server and preview behave the same, so the browser test exercises what developers run.
  const listen = { host: '127.0.0.1', port, strictPort: true, proxy };
  return {
    // The SPA history fallback (Vite's default, stated here because patient links rely on it): dev and
    // preview answer every HTML navigation with index.html, so reminder links `/p/<token>` open the
    // patient page. Vite 7's fallback does not treat a dot as a file extension (tokens are
    // `<claims>.<signature>`), unlike the connect-history-api-fallback of older Vite; the browser test
    // tests/browser/patient-link.browser.spec.ts opens such a link through preview.
    appType: 'spa',
    plugins: [react()],
    resolve: {
      // The domain package builds to CommonJS for Node; the browser bundles its ESM-friendly sources.
      alias: [
        {
          find: /^@tautline\/domain$/,
          replacement: fileURLToPath(new URL('../../packages/domain/src/index.ts', import.meta.url)),
        },
      ],
    },
    server: listen,
    preview: listen,
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
  dashboardConfig({ apiUrl: process.env.API_URL || undefined, port: portFromEnv(process.env.DASHBOARD_PORT) }),
);
