// Page-side probes of the live board's alarm burst: for each expected alert, when its session's tile
// (`[data-session]`) first shows the attention it calls for (`data-attention` ≤ 0 critical / 1
// warning) and when the tray first has its item (`[data-alert]`), each stamped at the DOM mutation
// and at the next animation frame (the frame that paints it). Timestamps are epoch ms on the page's
// `performance.timeOrigin + performance.now()`, the clock the benchmark's `Date.now()` reads.
import { type Page } from 'playwright-core';
import { distribution, type Distribution } from './report';

/** Installed once per page, as a string so this file needs no DOM globals at run time. */
export const BURST_PROBES = `(() => {
  const now = () => performance.timeOrigin + performance.now();
  const bySession = new Map(); // sessionId -> expected entries not yet seen on the tile
  const byAlert = new Map(); // alertId -> expected entry not yet seen in the tray
  const entries = [];
  const paintAfter = (entry, key) => requestAnimationFrame(() => { entry[key] = now(); });
  const tileSeen = (el, at) => {
    const list = bySession.get(el.getAttribute('data-session'));
    if (!list) return;
    const attention = Number(el.getAttribute('data-attention'));
    const left = list.filter((e) => {
      if (!(attention <= e.rank)) return true;
      e.tileAt = at; paintAfter(e, 'tilePaint'); return false;
    });
    if (left.length) bySession.set(el.getAttribute('data-session'), left);
    else bySession.delete(el.getAttribute('data-session'));
  };
  const traySeen = (el, at) => {
    const e = byAlert.get(el.getAttribute('data-alert'));
    if (!e) return;
    byAlert.delete(e.alertId);
    e.trayAt = at; paintAfter(e, 'trayPaint');
  };
  const visit = (node, at) => {
    if (node.nodeType !== 1) return;
    if (node.hasAttribute('data-session')) tileSeen(node, at);
    if (node.hasAttribute('data-alert')) traySeen(node, at);
    if (!bySession.size && !byAlert.size) return;
    for (const el of node.querySelectorAll('[data-session],[data-alert]')) {
      if (el.hasAttribute('data-session')) tileSeen(el, at); else traySeen(el, at);
    }
  };
  new MutationObserver((records) => {
    if (!bySession.size && !byAlert.size) return;
    const at = now();
    for (const r of records) {
      if (r.type === 'attributes') visit(r.target, at);
      else for (const n of r.addedNodes) visit(n, at);
    }
  }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-attention', 'data-alert'] });
  window.__burst = {
    expect(list) {
      for (const x of list) {
        const e = { alertId: x.alertId, sessionId: x.sessionId, rank: x.rank };
        entries.push(e);
        bySession.set(x.sessionId, [...(bySession.get(x.sessionId) || []), e]);
        byAlert.set(x.alertId, e);
      }
    },
    pending: () => bySession.size + byAlert.size,
    results: () => entries,
    clockSkewMs: () => now() - Date.now(),
  };
})()`;

interface ProbeEntry {
  alertId: string;
  tileAt?: number;
  tilePaint?: number;
  trayAt?: number;
  trayPaint?: number;
}

export interface BurstLatency {
  /** Emit → the tile's attention changed in the DOM / painted (the next frame). */
  tileDom: Distribution;
  tilePaint: Distribution;
  trayDom: Distribution;
  trayPaint: Distribution;
  /** Alerts whose tile or tray item never appeared within the wait. */
  missingTile: number;
  missingTray: number;
  /** page clock − Date.now() on the page (0 when the clocks agree). */
  clockSkewMs: number;
}

export async function expectBurst(
  page: Page,
  list: { alertId: string; sessionId: string; rank: number }[],
): Promise<void> {
  await page.evaluate(`window.__burst.expect(${JSON.stringify(list)})`);
}

/**
 * Waits (up to `timeoutMs`) until every expected alert reached tile and tray, plus two frames.
 * Polls from here: `waitForFunction` compiles its predicate in the page, which the CSP refuses.
 */
export async function waitForBurstPainted(page: Page, timeoutMs: number): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until && ((await page.evaluate('window.__burst.pending()')) as number) > 0)
    await new Promise((r) => setTimeout(r, 20));
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
}

export async function burstLatency(
  page: Page,
  emittedAt: ReadonlyMap<string, number>,
): Promise<BurstLatency> {
  const entries = (await page.evaluate('window.__burst.results()')) as ProbeEntry[];
  const clockSkewMs = (await page.evaluate('window.__burst.clockSkewMs()')) as number;
  const since = (key: keyof ProbeEntry) =>
    entries
      .filter((e) => typeof e[key] === 'number' && emittedAt.has(e.alertId))
      .map((e) => (e[key] as number) - emittedAt.get(e.alertId)!);
  return {
    tileDom: distribution(since('tileAt')),
    tilePaint: distribution(since('tilePaint')),
    trayDom: distribution(since('trayAt')),
    trayPaint: distribution(since('trayPaint')),
    missingTile: entries.filter((e) => e.tilePaint === undefined).length,
    missingTray: entries.filter((e) => e.trayPaint === undefined).length,
    clockSkewMs,
  };
}
