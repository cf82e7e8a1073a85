import { render, screen } from '@testing-library/react';
import { LiveIndicator } from './live.indicator';
import { initialLiveState, type LiveState } from './live.state';

// jest.config.cjs fixes TZ=UTC, so browser-local times are predictable.
const at = '2026-03-29T12:34:56.000Z';

function renderState(state: Partial<LiveState>) {
  render(<LiveIndicator state={{ ...initialLiveState, ...state }} />);
  return screen.getByTestId('live-status');
}

describe('LiveIndicator', () => {
  it('reads exactly "Live" when connected, as a polite status', () => {
    const status = renderState({ status: 'connected', hasConnected: true, lastUpdateAt: at });
    expect(status).toHaveAttribute('data-state', 'connected');
    expect(status.textContent).toBe('Live');
    expect(status).toHaveAttribute('aria-live', 'polite');
    expect(screen.getByRole('status')).toBe(status);
    expect(screen.getByTestId('live-last-update')).toHaveTextContent('Last update 12:34:56');
  });

  it('says "Connecting…" before the first connection', () => {
    const status = renderState({ status: 'reconnecting', hasConnected: false });
    expect(status).toHaveAttribute('data-state', 'reconnecting');
    expect(status).toHaveTextContent('Connecting…');
    expect(screen.getByTestId('live-last-update')).toHaveTextContent('No live updates yet');
  });

  it('says "Reconnecting…" after a drop and keeps the last update time', () => {
    const status = renderState({ status: 'reconnecting', hasConnected: true, lastUpdateAt: at });
    expect(status).toHaveAttribute('data-state', 'reconnecting');
    expect(status).toHaveTextContent('Reconnecting…');
    expect(screen.getByTestId('live-last-update')).toHaveTextContent('Last update 12:34:56');
  });

  it('says "Offline" with the reason', () => {
    const status = renderState({
      status: 'offline',
      hasConnected: true,
      reason: 'The server closed the live connection.',
    });
    expect(status).toHaveAttribute('data-state', 'offline');
    expect(status).toHaveTextContent('Offline');
    expect(screen.getByTestId('live-last-update')).toHaveTextContent(
      'The server closed the live connection.',
    );
  });
});
