/**
 * Department identity: a name as printed → a stable key, its region and level.
 * Rules (as data where they are data):
 *  - NFKC (full-width → half-width), whitespace removed, （本级） dropped;
 *  - 中国共产党 → 中共, and a leading 中共 dropped for matching (省委 is the party committee);
 *  - X省委员会 / X市委员会 → X省委 / X市委 (party committees, not 交通委员会);
 *  - a municipality (上海市 …) before a district is optional: 普陀区财政局 = 上海市普陀区财政局;
 *  - overrides (department-overrides.json) for what rules cannot decide.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MUNICIPALITIES = ['北京市', '天津市', '上海市', '重庆市'];
const OVERRIDES_FILE = fileURLToPath(new URL('./catalogue/department-overrides.json', import.meta.url));

let overrides: Map<string, string> | undefined;
function loadOverrides(): Map<string, string> {
  if (!overrides) {
    const raw = JSON.parse(readFileSync(OVERRIDES_FILE, 'utf8')) as { aliases?: Record<string, string> };
    overrides = new Map(Object.entries(raw.aliases ?? {}).filter(([k]) => !k.startsWith('_')).map(([k, v]) => [clean(k), clean(v)]));
  }
  return overrides;
}

/** The name as it should be displayed: NFKC, no spaces, no （本级）. */
export function clean(name: string): string {
  return name
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[(（]本级[)）]$/, '')
    .replace(/[(（](?:部门|单位)[)）]$/, '');
}

/** The identity key of a department name. */
export function departmentKey(name: string): string {
  let n = clean(name);
  n = loadOverrides().get(n) ?? n;
  n = n.replace(/^中国共产党/, '中共').replace(/^中共/, '');
  n = n.replace(/(省|市|区|县|自治区)委员会/, '$1委');
  for (const m of MUNICIPALITIES) if (n.startsWith(m) && /^[\p{Script=Han}]{1,6}?[区县]/u.test(n.slice(m.length))) n = n.slice(m.length);
  return n;
}

export type Level = 'province' | 'city' | 'district' | 'county';

/** Region and level from the name's administrative prefix. */
export function regionOf(name: string): { region?: string; level?: Level } {
  const n = clean(name).replace(/^中国共产党|^中共/, '');
  for (const m of MUNICIPALITIES) {
    if (n.startsWith(m)) {
      const d = /^([\p{Script=Han}]{1,6}?)(区|县)/u.exec(n.slice(m.length));
      if (d && !/^(?:人民|政府)/.test(d[1]!)) return { region: m + d[1]! + d[2]!, level: d[2] === '县' ? 'county' : 'district' };
      return { region: m, level: 'province' };
    }
  }
  const p = /^([\p{Script=Han}]{2,7}?(?:省|自治区))/u.exec(n);
  if (p) {
    const rest = n.slice(p[1]!.length);
    const c = /^([\p{Script=Han}]{2,6}?(?:市|自治州|州|盟))/u.exec(rest);
    if (c && !/^(?:人民|政府)/.test(c[1]!)) {
      const d = /^([\p{Script=Han}]{1,6}?)(区|县)/u.exec(rest.slice(c[1]!.length));
      if (d) return { region: p[1]! + c[1]! + d[1]! + d[2]!, level: d[2] === '县' ? 'county' : 'district' };
      return { region: p[1]! + c[1]!, level: 'city' };
    }
    return { region: p[1]!, level: 'province' };
  }
  // a district without its city (普陀区…): level only
  const d = /^([\p{Script=Han}]{1,6}?)(区|县)/u.exec(n);
  if (d) return { region: d[1]! + d[2]!, level: d[2] === '县' ? 'county' : 'district' };
  return {};
}
