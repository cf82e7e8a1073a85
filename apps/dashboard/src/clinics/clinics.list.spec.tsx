import { type Clinic } from '@tautline/domain';
import { render, screen, within } from '@testing-library/react';
import { ClinicList } from './clinics.list';

const clinic = (name: string, timeZone: string, id: string): Clinic => ({
  id,
  organisationId: '5f0c2a4e-8a9b-4c1d-9e2f-3a4b5c6d7e80',
  name,
  timeZone,
  phone: null,
});

const clinics = [
  clinic('London Bridge', 'Europe/London', '11111111-1111-4111-8111-111111111111'),
  clinic('New York Chelsea', 'America/New_York', '22222222-2222-4222-8222-222222222222'),
];

function rowOf(name: string): HTMLElement {
  const row = screen.getByText(name).closest('li');
  if (!row) throw new Error(`no row for ${name}`);
  return row;
}

describe('ClinicList', () => {
  it("shows each clinic's local time in its own zone", () => {
    // Monday 9 March 2026 15:30 UTC: New York already on EDT, London still on GMT.
    render(<ClinicList clinics={clinics} now={new Date('2026-03-09T15:30:00Z')} />);

    const london = within(rowOf('London Bridge'));
    expect(london.getByText('Europe/London')).toBeInTheDocument();
    expect(london.getByTestId('clinic-local-time')).toHaveTextContent('15:30');
    expect(london.getByTestId('clinic-local-time')).toHaveAttribute(
      'datetime',
      '2026-03-09T15:30:00+00:00',
    );
    expect(london.getByText('Mon 9 Mar · UTC')).toBeInTheDocument();

    const newYork = within(rowOf('New York Chelsea'));
    expect(newYork.getByText('America/New_York')).toBeInTheDocument();
    expect(newYork.getByTestId('clinic-local-time')).toHaveTextContent('11:30');
    expect(newYork.getByText('Mon 9 Mar · UTC-4')).toBeInTheDocument();
  });

  it('lists clinics in the given order', () => {
    render(<ClinicList clinics={clinics} now={new Date('2026-03-09T15:30:00Z')} />);
    const names = within(screen.getByTestId('clinic-list'))
      .getAllByTestId('clinic-name')
      .map((el) => el.textContent);
    expect(names).toEqual(['London Bridge', 'New York Chelsea']);
  });

  it('asks for a selection when none is made', () => {
    render(<ClinicList clinics={[]} now={new Date()} />);
    expect(screen.queryByTestId('clinic-list')).not.toBeInTheDocument();
    expect(screen.getByText(/No clinic selected/)).toBeInTheDocument();
  });
});
