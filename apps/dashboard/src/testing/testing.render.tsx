import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { render, type RenderResult } from '@testing-library/react';
import { type ReactElement } from 'react';
import { ApiOriginProvider } from '../http/http.origin';

/**
 * Renders inside a fresh QueryClient with retries off, so failures surface at once, and pointed at
 * `origin` (a `TestServer`'s) for every API call and the live socket.
 */
export function renderWithQuery(
  ui: ReactElement,
  { origin = '' }: { origin?: string } = {},
): RenderResult {
  const client = new QueryClient({
    defaultOptions: { queries: { retry: false }, mutations: { retry: false } },
  });
  return render(
    <QueryClientProvider client={client}>
      <ApiOriginProvider origin={origin}>{ui}</ApiOriginProvider>
    </QueryClientProvider>,
  );
}
