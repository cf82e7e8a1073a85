import { createContext, useContext, type ReactNode } from 'react';

/**
 * Where the Tautline API answers, for REST (`/api/v1`) and the live socket (`/live`) alike.
 * `''` — the default — is the page's own origin: the app calls `/api/v1/...` and `io('/live')`, and
 * the Vite server (dev and preview) proxies `/api` and `/socket.io` to the API. Tests provide the
 * address of a server they start.
 */
const ApiOriginContext = createContext('');

export function ApiOriginProvider({ origin, children }: { origin: string; children: ReactNode }) {
  return <ApiOriginContext.Provider value={origin}>{children}</ApiOriginContext.Provider>;
}

export function useApiOrigin(): string {
  return useContext(ApiOriginContext);
}
