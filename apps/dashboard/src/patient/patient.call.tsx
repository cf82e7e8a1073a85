import { type PatientAppointmentView } from '@tautline/domain';
import { telHref } from './patient.format';

interface CallTheClinicProps {
  clinic: PatientAppointmentView['clinic'];
  /** The words before the clinic: "To cancel or change, please call", "Please call". */
  lead: string;
}

/** "<lead> London Bridge on +44 20 7946 0000." with the number as a tel: link (a tap calls on a phone). */
export function CallTheClinic({ clinic, lead }: CallTheClinicProps) {
  if (!clinic.phone) return <>{`${lead} ${clinic.name}.`}</>;
  return (
    <>
      {`${lead} ${clinic.name} on `}
      <a href={telHref(clinic.phone)} className="patient-phone">
        {clinic.phone}
      </a>
      .
    </>
  );
}
