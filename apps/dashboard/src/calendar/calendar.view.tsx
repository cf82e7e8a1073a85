import { type ViewProps } from '../shell/shell.view-props';

/** Placeholder: the scheduler calendar is being built. */
export function CalendarView(_props: ViewProps & { sessionId?: string | null }) {
  return (
    <section aria-labelledby="view-heading">
      <h2 id="view-heading">Calendar</h2>
      <p>Coming soon.</p>
    </section>
  );
}
