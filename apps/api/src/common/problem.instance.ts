/** Segments after these are secrets (a patient link's token), never repeated in an answer or log. */
const SECRET_AFTER = new Set(['patient-links']);
/** Longer than any id we issue (uuid 36, serials): only a token or garbage is this long. */
const MAX_SEGMENT = 64;

/**
 * The `instance` of a problem: the path the client asked for without its query string (which can
 * carry a feed signature or search terms), with link tokens and over-long segments replaced.
 */
export function safeInstance(url: string | undefined): string | undefined {
  if (!url) return undefined;
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const segments = path.split('/');
  return segments
    .map((segment, i) =>
      (i > 0 && SECRET_AFTER.has(segments[i - 1] ?? '')) || segment.length > MAX_SEGMENT
        ? ':redacted'
        : segment,
    )
    .join('/')
    .slice(0, 512);
}
