import { SessionReviewListQuery } from './session-review.schemas';

const CLINIC = '11111111-1111-4111-8111-111111111111';

describe('session review contracts', () => {
  it('reads the list query from a query string: clinic required, status one of the session statuses, limit 1–200', () => {
    expect(SessionReviewListQuery.parse({ clinicId: CLINIC })).toEqual({
      clinicId: CLINIC,
      limit: 200,
    });
    expect(
      SessionReviewListQuery.parse({ clinicId: CLINIC, status: 'aborted', limit: '20' }),
    ).toEqual({ clinicId: CLINIC, status: 'aborted', limit: 20 });
    const fields = (input: unknown) =>
      SessionReviewListQuery.safeParse(input).error?.issues.map((i) => i.path.join('.'));
    expect(fields({})).toEqual(['clinicId']);
    expect(fields({ clinicId: CLINIC, status: 'finished' })).toEqual(['status']);
    expect(fields({ clinicId: CLINIC, limit: '0' })).toEqual(['limit']);
    expect(fields({ clinicId: CLINIC, limit: '1e3' })).toEqual(['limit']);
    // Strict: a misspelt filter is refused rather than silently ignored.
    expect(fields({ clinicId: CLINIC, stauts: 'completed' })).toEqual(['']);
  });
});
