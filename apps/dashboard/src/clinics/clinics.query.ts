import { useQuery } from '@tanstack/react-query';
import { useApiOrigin } from '../http/http.origin';
import { fetchClinics } from './clinics.api';

export function useClinics(token: string) {
  const origin = useApiOrigin();
  return useQuery({
    // The token is part of the key so a new session never reads the previous one's list.
    queryKey: ['clinics', token],
    queryFn: () => fetchClinics(token, origin),
    staleTime: 5 * 60_000,
  });
}
