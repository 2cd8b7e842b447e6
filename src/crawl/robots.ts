/**
 * robots.txt (RFC 9309): the group for our product token, else `*`; the
 * longest matching Allow/Disallow wins (Allow on a tie); `*` and `$` in paths;
 * Crawl-delay read as a politeness hint.
 */

export interface Robots {
  allowed(pathAndQuery: string): boolean;
  crawlDelayMs?: number;
}

interface RuleLine {
  allow: boolean;
  pattern: string;
}

export const ALLOW_ALL: Robots = { allowed: () => true };
export const DISALLOW_ALL: Robots = { allowed: () => false };

export function parseRobots(text: string, productToken: string): Robots {
  const token = productToken.toLowerCase();
  const groups: Array<{ agents: string[]; rules: RuleLine[]; delay?: number }> = [];
  let cur: { agents: string[]; rules: RuleLine[]; delay?: number } | null = null;
  let lastWasAgent = false;
  for (const raw of text.split(/\r\n|\r|\n/)) {
    const line = raw.replace(/#.*$/, '').trim();
    const m = /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line);
    if (!m) continue;
    const key = m[1]!.toLowerCase();
    const val = m[2]!.trim();
    if (key === 'user-agent') {
      if (!cur || !lastWasAgent) {
        cur = { agents: [], rules: [] };
        groups.push(cur);
      }
      cur.agents.push(val.toLowerCase());
      lastWasAgent = true;
      continue;
    }
    lastWasAgent = false;
    if (!cur) continue;
    if (key === 'allow' || key === 'disallow') {
      if (val === '' && key === 'disallow') continue; // "Disallow:" allows everything
      cur.rules.push({ allow: key === 'allow', pattern: val });
    } else if (key === 'crawl-delay') {
      const d = Number(val);
      if (Number.isFinite(d) && d >= 0) cur.delay = d;
    }
  }
  const mine = groups.filter((g) => g.agents.some((a) => a !== '*' && token.includes(a)));
  const chosen = mine.length ? mine : groups.filter((g) => g.agents.includes('*'));
  const rules = chosen.flatMap((g) => g.rules);
  const delay = chosen.map((g) => g.delay).find((d) => d !== undefined);
  const compiled = rules.map((r) => ({ ...r, re: patternRe(r.pattern), len: r.pattern.length }));
  return {
    allowed(p: string) {
      let best: { allow: boolean; len: number } | null = null;
      for (const r of compiled) {
        if (!r.re.test(p)) continue;
        if (!best || r.len > best.len || (r.len === best.len && r.allow)) best = { allow: r.allow, len: r.len };
      }
      return best ? best.allow : true;
    },
    ...(delay !== undefined ? { crawlDelayMs: delay * 1000 } : {}),
  };
}

function patternRe(p: string): RegExp {
  let src = '';
  const anchored = p.endsWith('$');
  const body = anchored ? p.slice(0, -1) : p;
  for (const ch of body) src += ch === '*' ? '.*' : ch.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp('^' + src + (anchored ? '$' : ''));
}
