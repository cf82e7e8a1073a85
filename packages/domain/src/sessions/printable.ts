import { text } from '../text.schemas';

/** Free text typed by a clinician: trimmed, at most `max` characters, line breaks allowed. */
export const noteText = (max: number) => text({ min: 0, max, multiline: true });
