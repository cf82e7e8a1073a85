import { type Clinic } from '@tautline/domain';

interface ClinicSwitcherProps {
  clinics: readonly Clinic[];
  selected: readonly string[];
  onChange(selected: string[]): void;
}

/** Checkboxes rather than a select: a scheduler often watches several clinics at once. */
export function ClinicSwitcher({ clinics, selected, onChange }: ClinicSwitcherProps) {
  function toggle(id: string, checked: boolean) {
    // Keep the clinics' own order so the list below does not jump around.
    const next = new Set(selected);
    if (checked) next.add(id);
    else next.delete(id);
    onChange(clinics.map((c) => c.id).filter((c) => next.has(c)));
  }

  return (
    <fieldset className="card clinic-switcher">
      <legend>Show clinics</legend>
      {clinics.map((clinic) => (
        <label key={clinic.id} className="checkbox">
          <input
            type="checkbox"
            checked={selected.includes(clinic.id)}
            onChange={(event) => toggle(clinic.id, event.target.checked)}
          />
          {clinic.name}
        </label>
      ))}
    </fieldset>
  );
}
