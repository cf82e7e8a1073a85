import { type ViewProps } from '../shell/shell.view-props';

/** Placeholder: session review is being built. */
export function SessionReviewView(_props: ViewProps & { sessionId?: string | null }) {
  return (
    <section aria-labelledby="view-heading">
      <h2 id="view-heading">Session review</h2>
      <p>Coming soon.</p>
    </section>
  );
}
