import { useQuery } from '@tanstack/react-query';
import { fetchClinics } from './clinics.api';

export function useClinics(token: string) {
  return useQuery({
    // The token is part of the key so a new session never reads the previous one's list.
    queryKey: ['clinics', token],
    queryFn: () => fetchClinics(token),
    staleTime: 5 * 60_000,
  });
}
