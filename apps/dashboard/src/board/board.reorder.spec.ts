import { increasingSubsequence, reorderChildren } from './board.reorder';

function grid(ids: string[]): HTMLElement {
  const parent = document.createElement('div');
  for (const id of ids) {
    const child = document.createElement('article');
    child.setAttribute('data-session', id);
    parent.append(child);
  }
  return parent;
}
const order = (parent: HTMLElement) =>
  [...parent.children].map((c) => c.getAttribute('data-session'));

describe('reorderChildren', () => {
  const ids = Array.from({ length: 200 }, (_, i) => `s${i}`);

  it('moves a tile to the front with one move, and back to its place with one', () => {
    const parent = grid(ids);
    const promoted = ['s150', ...ids.filter((id) => id !== 's150')];
    expect(reorderChildren(parent, promoted)).toBe(1);
    expect(order(parent)).toEqual(promoted);
    expect(reorderChildren(parent, ids)).toBe(1);
    expect(order(parent)).toEqual(ids);
  });

  it('reaches any order, ignoring children it was not told about', () => {
    const parent = grid(['a', 'b', 'c', 'd', 'e']);
    parent.append(document.createElement('p'));
    reorderChildren(parent, ['e', 'c', 'a', 'd', 'b']);
    expect(order(parent).filter((x) => x !== null)).toEqual(['e', 'c', 'a', 'd', 'b']);
    expect(reorderChildren(parent, ['e', 'c', 'a', 'd', 'b'])).toBe(0);
  });

  it('finds a longest increasing subsequence', () => {
    expect([...increasingSubsequence([3, 1, 2, 5, 4, 6])].sort()).toHaveLength(4);
    expect(increasingSubsequence([])).toEqual(new Set());
  });
});
