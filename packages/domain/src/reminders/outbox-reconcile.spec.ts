import { type PendingOutboxRow, reconcileOutboxRow } from './outbox-reconcile';

const row = (r: Partial<PendingOutboxRow>): PendingOutboxRow => ({
  status: 'scheduled',
  leaseExpired: false,
  attempts: 0,
  overdueBeyondGrace: false,
  job: 'live',
  ...r,
});

describe('reconcileOutboxRow', () => {
  it('leaves a row with a live job alone', () => {
    expect(reconcileOutboxRow(row({}), 6)).toEqual({ action: 'keep' });
    expect(
      reconcileOutboxRow(row({ status: 'sending', leaseExpired: true, job: 'live' }), 6),
    ).toEqual({ action: 'keep' });
  });

  it('treats a job that failed for good, or completed while the row is pending, as missing', () => {
    expect(reconcileOutboxRow(row({ job: 'finished', attempts: 2 }), 6)).toEqual({
      action: 'requeue',
    });
    expect(reconcileOutboxRow(row({ job: 'missing' }), 6)).toEqual({ action: 'requeue' });
  });

  it('sweeps a row stuck in sending past its lease, but not one still held', () => {
    expect(
      reconcileOutboxRow(row({ status: 'sending', leaseExpired: true, job: 'finished' }), 6),
    ).toEqual({ action: 'requeue' });
    expect(
      reconcileOutboxRow(row({ status: 'sending', leaseExpired: false, job: 'missing' }), 6),
    ).toEqual({ action: 'keep' });
  });

  it('ends a row: missed beyond the grace, failed once its attempts are used up', () => {
    expect(reconcileOutboxRow(row({ overdueBeyondGrace: true }), 6)).toEqual({
      action: 'skip',
      reason: 'missed',
    });
    expect(reconcileOutboxRow(row({ job: 'finished', attempts: 6 }), 6)).toEqual({
      action: 'fail',
      reason: 'retries_exhausted',
    });
    expect(reconcileOutboxRow(row({ job: 'live', attempts: 6 }), 6)).toEqual({ action: 'keep' });
  });
});
