// `--retention-days N` and `--retention PROJECT=DAYS,…`: how long traces are kept, as the
// server's RetentionPolicy. Unset: forever. DAYS is a whole number of days or "forever".

import type { RetentionPolicy } from '@cairn/server';
import { z } from 'zod';

const MS_PER_DAY = 86_400_000;
const ENTRY = /^([^=,\s][^=,]*?)\s*=\s*(\d+|forever)$/;

export interface RetentionOverride {
  projectId: string;
  /** null: keep this project forever. */
  days: number | null;
}

/** "team-a=7,audit=forever" → overrides; an issue naming the bad entry otherwise. */
export const retentionOverridesSchema = z.string().transform((value, context): RetentionOverride[] => {
  const overrides: RetentionOverride[] = [];
  for (const entry of value.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const match = ENTRY.exec(entry);
    const days = match?.[2] === 'forever' ? null : Number(match?.[2]);
    if (!match || days === 0) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: `${JSON.stringify(entry)} must be PROJECT=DAYS (DAYS a whole number from 1, or forever), e.g. team-a=7,audit=forever` });
      return z.NEVER;
    }
    if (overrides.some((override) => override.projectId === match[1])) {
      context.addIssue({ code: z.ZodIssueCode.custom, message: `project ${JSON.stringify(match[1])} is given twice` });
      return z.NEVER;
    }
    overrides.push({ projectId: match[1]!, days });
  }
  return overrides;
});

/** The server's policy, or null when nothing limits retention (keep everything forever). */
export function retentionPolicy(config: { retentionDays?: number; retention?: RetentionOverride[] }): RetentionPolicy | null {
  const projects = (config.retention ?? []).map(({ projectId, days }) => ({ projectId, maxAgeMs: days === null ? null : days * MS_PER_DAY }));
  const defaultMaxAgeMs = config.retentionDays === undefined ? null : config.retentionDays * MS_PER_DAY;
  if (defaultMaxAgeMs === null && projects.every((project) => project.maxAgeMs === null)) return null;
  return { defaultMaxAgeMs, projects };
}
