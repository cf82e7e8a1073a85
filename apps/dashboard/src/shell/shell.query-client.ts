import { QueryClient } from '@tanstack/react-query';
import { ApiProblemError } from '../http/http.problem';

/** Retrying a 4xx only repeats the same refusal; network and server errors get two more tries. */
export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        retry: (failures, error) =>
          !(error instanceof ApiProblemError && error.status >= 400 && error.status < 500) &&
          failures < 2,
        refetchOnWindowFocus: false,
      },
      mutations: { retry: false },
    },
  });
}
