import { CreatePatientRequest, type Clinic, type PatientView } from '@tautline/domain';
import { useMutation } from '@tanstack/react-query';
import { useId, useRef, useState, type FormEvent } from 'react';
import { ApiProblemError, describeProblem } from '../http/http.problem';
import { Field } from '../ui/ui.field';
import { type Auth } from '../calendar/calendar.api';
import { createPatient, patientName } from './patients.api';

interface PatientCreateFormProps {
  auth: Auth;
  clinics: readonly Clinic[];
  onCreated(patient: PatientView): void;
  onCancel(): void;
}

type Fields =
  | 'clinicId'
  | 'givenName'
  | 'familyName'
  | 'dateOfBirth'
  | 'phone'
  | 'email'
  | 'preferredChannel';

/** Registers a patient; field errors come from the domain's own schema, then from the API's problem. */
export function PatientCreateForm({ auth, clinics, onCreated, onCancel }: PatientCreateFormProps) {
  const id = useId();
  const [values, setValues] = useState<Record<Fields, string>>({
    clinicId: clinics[0]?.id ?? '',
    givenName: '',
    familyName: '',
    dateOfBirth: '',
    phone: '',
    email: '',
    preferredChannel: 'sms',
  });
  const [errors, setErrors] = useState<Partial<Record<Fields, string>>>({});
  const [formError, setFormError] = useState<string | null>(null);
  const first = useRef<HTMLInputElement>(null);
  const create = useMutation({
    mutationFn: (body: CreatePatientRequest) => createPatient(auth, body),
  });

  const set = (field: Fields) => (event: { target: { value: string } }) =>
    setValues((v) => ({ ...v, [field]: event.target.value }));

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = CreatePatientRequest.safeParse({
      ...values,
      phone: values.phone.trim() || null,
      email: values.email.trim() || null,
    });
    if (!parsed.success) {
      const found: Partial<Record<Fields, string>> = {};
      for (const issue of parsed.error.issues) {
        const field = issue.path[0] as Fields;
        found[field] ??= issue.message;
      }
      setErrors(found);
      setFormError('Check the highlighted fields.');
      first.current?.focus();
      return;
    }
    setErrors({});
    setFormError(null);
    try {
      onCreated(await create.mutateAsync(parsed.data));
    } catch (error) {
      if (error instanceof ApiProblemError && error.problem.errors) {
        const found: Partial<Record<Fields, string>> = {};
        for (const e of error.problem.errors)
          found[e.field.replace(/^body\./, '') as Fields] ??= e.message;
        setErrors(found);
      }
      setFormError(describeProblem(error));
    }
  }

  return (
    <form
      className="patients-create card"
      onSubmit={(e) => void onSubmit(e)}
      noValidate
      aria-labelledby={`${id}-h`}
    >
      <h4 id={`${id}-h`}>New patient</h4>
      <div className="field">
        <label htmlFor={`${id}-clinic`}>Home clinic</label>
        <select id={`${id}-clinic`} value={values.clinicId} onChange={set('clinicId')}>
          {clinics.map((c) => (
            <option key={c.id} value={c.id}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
      <Field
        id={`${id}-given`}
        ref={first}
        label="Given name"
        value={values.givenName}
        onChange={set('givenName')}
        error={errors.givenName}
        autoComplete="off"
      />
      <Field
        id={`${id}-family`}
        label="Family name"
        value={values.familyName}
        onChange={set('familyName')}
        error={errors.familyName}
        autoComplete="off"
      />
      <Field
        id={`${id}-dob`}
        label="Date of birth"
        type="date"
        value={values.dateOfBirth}
        onChange={set('dateOfBirth')}
        error={errors.dateOfBirth}
      />
      <Field
        id={`${id}-phone`}
        label="Mobile phone (international, e.g. +44 7700 900123)"
        type="tel"
        value={values.phone}
        onChange={set('phone')}
        error={errors.phone}
      />
      <Field
        id={`${id}-email`}
        label="Email"
        type="email"
        value={values.email}
        onChange={set('email')}
        error={errors.email}
      />
      <div className="field">
        <label htmlFor={`${id}-channel`}>Reminders by</label>
        <select
          id={`${id}-channel`}
          value={values.preferredChannel}
          onChange={set('preferredChannel')}
        >
          <option value="sms">Text message</option>
          <option value="email">Email</option>
        </select>
      </div>
      {formError && (
        <p className="field-error" role="alert">
          {formError}
        </p>
      )}
      <div className="calendar-buttons">
        <button type="submit" className="button-primary" disabled={create.isPending}>
          {create.isPending ? 'Saving…' : 'Save patient'}
        </button>
        <button type="button" className="button-secondary" onClick={onCancel}>
          Cancel
        </button>
      </div>
      {create.data && <p role="status">Saved {patientName(create.data)}.</p>}
    </form>
  );
}
