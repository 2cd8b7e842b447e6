/**
 * Text normalisation shared by every reader. Applied once, at ingest; nothing
 * downstream re-normalises. Full-width punctuation （）：“” is kept (it is
 * what documents print); full-width digits, Latin letters and the ideographic
 * space become ASCII so that numbers parse.
 */

const FULLWIDTH_ALNUM = /[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\uff0e\uff05\uff0b\uff0d\uff1d\uff1c\uff1e]/g;

export function normaliseText(s: string): string {
  return s
    .replace(/[\u200b-\u200d\ufeff\u00ad]/g, '')
    .replace(/[\u00a0\u3000\u2002-\u200a\u202f]/g, ' ')
    .replace(FULLWIDTH_ALNUM, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\r\n?/g, '\n');
}

const HAN = '\\u3400-\\u9fff\\uf900-\\ufaff';
const CJK_PUNCT = '（）《》“”‘’，。、；：！？【】';
const SPACED = new RegExp(`([${HAN}${CJK_PUNCT}])[ \\t]+(?=[${HAN}${CJK_PUNCT}])`, 'g');

/** Remove spaces between two Han characters (WPS letter-spacing: `城 乡 社 区`). */
export function collapseCjkSpacing(s: string): string {
  return s.replace(SPACED, '$1');
}

const DIGIT_CJK = new RegExp(`([0-9%])[ ](?=[${HAN}${CJK_PUNCT}])|([${HAN}${CJK_PUNCT}])[ ](?=[0-9])`, 'g');

/**
 * Remove a single space between a number and CJK text (`总计 2995.39 万元` →
 * `总计2995.39万元`), as WPS writes around runs of digits. Only single spaces:
 * tabs and runs of spaces separate cells.
 */
export function collapseDigitCjkSpacing(s: string): string {
  return s.replace(DIGIT_CJK, (_m, a?: string, b?: string) => a ?? b ?? '');
}

/** A search copy: NFKC, quotes and whitespace removed, so `三公经费` finds `“三公”经费`. */
export function searchCopy(s: string): string {
  return s
    .normalize('NFKC')
    .replace(/[“”‘’"'「」『』《》〈〉\s]/g, '')
    .toLowerCase();
}

export function isHan(ch: string): boolean {
  return /[\u3400-\u9fff\uf900-\ufaff]/.test(ch);
}
