// A retention request as cutoffs: per project, the start time before which a trace's spans must
// all lie for the trace to go. Shared by the adapters so both validate and round the same way.

import type { RetentionRequest } from '../retention-types.js';

const NS_PER_MS = 1_000_000n;

export interface RetentionCutoffs {
  /** Cutoff (ns) of projects without an override; null keeps them forever. */
  defaultCutoff: bigint | null;
  /** Cutoff (ns) of each overridden project; null keeps it forever. */
  projects: ReadonlyMap<string, bigint | null>;
  /** The latest cutoff in force (nothing at or after it expires: bounds scans); null: none. */
  latest: bigint | null;
}

function cutoffOf(nowUnixNano: bigint, maxAgeMs: number | null, what: string): bigint | null {
  if (maxAgeMs === null) return null;
  if (!Number.isSafeInteger(maxAgeMs) || maxAgeMs <= 0) {
    throw new RangeError(`${what} must be a positive whole number of milliseconds or null (forever), got ${maxAgeMs}`);
  }
  return nowUnixNano - BigInt(maxAgeMs) * NS_PER_MS;
}

/** Throws RangeError for a max age that is not a positive integer, or a project given twice. */
export function retentionCutoffs(request: RetentionRequest): RetentionCutoffs {
  const projects = new Map<string, bigint | null>();
  for (const { projectId, maxAgeMs } of request.projects) {
    if (projects.has(projectId)) throw new RangeError(`retention for project ${JSON.stringify(projectId)} is given twice`);
    projects.set(projectId, cutoffOf(request.nowUnixNano, maxAgeMs, `maxAgeMs of project ${JSON.stringify(projectId)}`));
  }
  const defaultCutoff = cutoffOf(request.nowUnixNano, request.defaultMaxAgeMs, 'defaultMaxAgeMs');
  let latest: bigint | null = null;
  for (const cutoff of [defaultCutoff, ...projects.values()]) {
    if (cutoff !== null && (latest === null || cutoff > latest)) latest = cutoff;
  }
  return { defaultCutoff, projects, latest };
}

/** The cutoff that applies to a project. */
export function projectCutoff(cutoffs: RetentionCutoffs, projectId: string): bigint | null {
  return cutoffs.projects.has(projectId) ? cutoffs.projects.get(projectId)! : cutoffs.defaultCutoff;
}
