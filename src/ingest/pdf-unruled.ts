import type { TItem } from './pdf-grid.js';

export function unruledTables<E>(entries: E[], _items: TItem[], _page: number): E[] {
  return entries;
}
