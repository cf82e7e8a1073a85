import { type ViewProps } from '../shell/shell.view-props';

/** Placeholder: the supervisor live board is being built. */
export function LiveBoardView(_props: ViewProps & { sessionId?: string | null }) {
  return (
    <section aria-labelledby="view-heading">
      <h2 id="view-heading">Live board</h2>
      <p>Coming soon.</p>
    </section>
  );
}
