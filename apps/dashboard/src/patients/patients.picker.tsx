import { type PatientView } from '@tautline/domain';
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { describeProblem } from '../http/http.problem';
import { type Auth } from '../calendar/calendar.api';
import { patientName, searchPatients } from './patients.api';

interface PatientPickerProps {
  auth: Auth;
  selected: PatientView | null;
  onSelect(patient: PatientView | null): void;
}

/** Search by name (or phone) as you type; results are radio buttons, announced politely. */
export function PatientPicker({ auth, selected, onSelect }: PatientPickerProps) {
  const id = useId();
  const [term, setTerm] = useState('');
  const [debounced, setDebounced] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(term.trim()), 250);
    return () => clearTimeout(timer);
  }, [term]);
  const results = useQuery({
    queryKey: ['patient-search', auth.token, debounced],
    queryFn: () => searchPatients(auth, debounced),
    enabled: debounced.length >= 2,
    staleTime: 30_000,
  });

  return (
    <fieldset className="patients-picker">
      <legend>Patient</legend>
      {selected ? (
        <p className="patients-selected">
          <strong>{patientName(selected)}</strong>{' '}
          <span className="muted">born {selected.dateOfBirth}</span>{' '}
          <button type="button" className="button-secondary" onClick={() => onSelect(null)}>
            Change patient
          </button>
        </p>
      ) : (
        <>
          <div className="field">
            <label htmlFor={`${id}-q`}>Search patients by name or phone</label>
            <input
              id={`${id}-q`}
              type="search"
              autoComplete="off"
              value={term}
              onChange={(e) => setTerm(e.target.value)}
            />
          </div>
          <div aria-live="polite" className="patients-results">
            {results.isFetching && <p className="muted">Searching…</p>}
            {results.isError && <p className="field-error">{describeProblem(results.error)}</p>}
            {results.data && results.data.items.length === 0 && (
              <p>No patient matches “{debounced}”.</p>
            )}
            {results.data && results.data.items.length > 0 && (
              <ul className="patients-list" aria-label="Matching patients">
                {results.data.items.map((p) => (
                  <li key={p.id}>
                    <button type="button" className="button-secondary" onClick={() => onSelect(p)}>
                      {patientName(p)} <span className="muted">born {p.dateOfBirth}</span>
                    </button>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </>
      )}
    </fieldset>
  );
}
