/**
 * The fast PDF reader: text items and painted paths for every page, without
 * pdfjs, for the documents it fully understands (see fonts.ts and content.ts for
 * what that covers). Produces exactly what the pdfjs reader takes from
 * `getTextContent` and `getOperatorList`, so the layout code downstream
 * (pdf.ts) is shared; anything it does not cover throws `Unsupported` and the
 * caller reads the document with pdfjs instead. `Refused` means a limit was hit
 * (a compression bomb): the document is refused outright.
 */
import type { Paint } from '../pdf-grid.js';
import { interpretPage, type DocCache, type FastTextItem } from './content.js';
import { Refused, Unsupported } from './lexer.js';
import { PdfFile, type PageNode } from './objects.js';

export { Refused, Unsupported } from './lexer.js';
export type { FastTextItem } from './content.js';

export interface FastPage {
  /** pdfjs's page.view (crop box ∩ media box) */
  view: number[];
  rotate: number;
  items: FastTextItem[];
  paints: Paint[];
}

export interface FastDocument {
  pageCount: number;
  /** read one page (1-based) */
  page(n: number): FastPage;
}

const LETTER: number[] = [0, 0, 612, 792];

/** Open a PDF for the fast reader; throws Unsupported when pdfjs should read it instead. */
export function openFast(bytes: Uint8Array): FastDocument {
  const file = new PdfFile(bytes);
  const pages = file.pages();
  const cache: DocCache = { fonts: new Map() };
  return {
    pageCount: pages.length,
    page(n: number): FastPage {
      const node = pages[n - 1];
      if (!node) throw new Unsupported('no such page');
      const userUnit = file.get(node.dict.get('UserUnit'));
      if (userUnit !== undefined && userUnit !== 1) throw new Unsupported('UserUnit');
      const view = pageView(node);
      let items: FastTextItem[];
      let paints: Paint[];
      try {
        ({ items, paints } = interpretPage(file, cache, file.contents(node), node.resources, view));
      } catch (e) {
        if (e instanceof Refused) throw new Refused(`page ${n}: ${e.message}`);
        throw e;
      }
      return { view, rotate: normRotate(node.rotate), items, paints };
    },
  };
}

function normalRect(r: number[] | null): number[] | null {
  if (!r) return null;
  const [a, b, c, d] = r as [number, number, number, number];
  const n = [Math.min(a, c), Math.min(b, d), Math.max(a, c), Math.max(b, d)];
  return n[2]! - n[0]! > 0 && n[3]! - n[1]! > 0 ? n : null;
}

function pageView(node: PageNode): number[] {
  const media = normalRect(node.mediaBox) ?? LETTER;
  const crop = normalRect(node.cropBox) ?? media;
  if (crop !== media && !crop.every((v, i) => v === media[i])) {
    const xLow = Math.max(crop[0]!, media[0]!);
    const xHigh = Math.min(crop[2]!, media[2]!);
    const yLow = Math.max(crop[1]!, media[1]!);
    const yHigh = Math.min(crop[3]!, media[3]!);
    if (xLow <= xHigh && yLow <= yHigh && xHigh - xLow > 0 && yHigh - yLow > 0) return [xLow, yLow, xHigh, yHigh];
  }
  return media;
}

function normRotate(r: number): number {
  if (r % 90 !== 0) return 0;
  if (r >= 360) return r % 360;
  if (r < 0) return ((r % 360) + 360) % 360;
  return r;
}

/** pdfjs's PageViewport at scale 1: transform, width, height. */
export function viewport(view: readonly number[], rotation: number): { transform: number[]; width: number; height: number } {
  const [x0, y0, x1, y1] = view as [number, number, number, number];
  const centerX = (x1 + x0) / 2;
  const centerY = (y1 + y0) / 2;
  let a: number, b: number, c: number, d: number;
  switch (rotation) {
    case 180:
      [a, b, c, d] = [-1, 0, 0, 1];
      break;
    case 90:
      [a, b, c, d] = [0, 1, 1, 0];
      break;
    case 270:
      [a, b, c, d] = [0, -1, -1, 0];
      break;
    default:
      [a, b, c, d] = [1, 0, 0, -1];
  }
  let offX: number, offY: number, width: number, height: number;
  if (a === 0) {
    offX = Math.abs(centerY - y0);
    offY = Math.abs(centerX - x0);
    width = y1 - y0;
    height = x1 - x0;
  } else {
    offX = Math.abs(centerX - x0);
    offY = Math.abs(centerY - y0);
    width = x1 - x0;
    height = y1 - y0;
  }
  return { transform: [a, b, c, d, offX - a * centerX - c * centerY, offY - b * centerX - d * centerY], width, height };
}
