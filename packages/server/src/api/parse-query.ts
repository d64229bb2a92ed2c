// Turns URL query strings and path segments into typed parameters, or an InvalidParameterError
// whose message names the parameter and says what was wrong.

import { nowUnixNano } from '@cairn/model';
import type { z } from 'zod';
import { InvalidParameterError } from '../errors.js';
import { ATTRIBUTE_PARAM_PREFIX, CLOCK_SKEW_ALLOWANCE_NANOS, DEFAULT_WINDOW_NANOS } from './query-params.js';

export interface AttributeFilter {
  key: string;
  value: string;
}

function describeIssues(issues: readonly z.core.$ZodIssue[], known: readonly string[]): string {
  return issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((key) => `"${key}"`).join(', ');
        return `unknown query parameter ${keys}; known: ${known.join(', ')}, ${ATTRIBUTE_PARAM_PREFIX}<key>`;
      }
      const where = issue.path.length > 0 ? `${issue.path.map(String).join('.')}: ` : '';
      return `${where}${issue.message}`;
    })
    .join('; ');
}

/** Validates query parameters against an object schema; attr.<key> entries are returned apart. */
export function parseQuery<Schema extends z.ZodObject>(
  schema: Schema,
  search: URLSearchParams,
  options: { attributes: boolean },
): { params: z.output<Schema>; attributes: AttributeFilter[] } {
  const raw: Record<string, string> = {};
  const attributes: AttributeFilter[] = [];
  for (const [key, value] of search) {
    if (options.attributes && key.startsWith(ATTRIBUTE_PARAM_PREFIX)) {
      const attributeKey = key.slice(ATTRIBUTE_PARAM_PREFIX.length);
      if (attributeKey === '') throw new InvalidParameterError(`${key}: the attribute key after "attr." is empty`);
      attributes.push({ key: attributeKey, value });
      continue;
    }
    if (key in raw) throw new InvalidParameterError(`${key}: given more than once; pass it once`);
    raw[key] = value;
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw new InvalidParameterError(describeIssues(result.error.issues, Object.keys(schema.shape)));
  return { params: result.data, attributes };
}

/** Validates one path segment (already URL-decoded). */
export function parsePathParam<Schema extends z.ZodType<unknown, string>>(
  schema: Schema,
  name: string,
  value: string,
): z.output<Schema> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const shown = JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
    throw new InvalidParameterError(`${name} ${shown} ${describeIssues(result.error.issues, []).replace(/^: /, '')}`);
  }
  return result.data;
}

/** The [from, to) window with the contract's defaults: the last 24 hours. */
export function resolveWindow(from: bigint | undefined, to: bigint | undefined): { fromUnixNano: bigint; toUnixNano: bigint } {
  const toUnixNano = to ?? nowUnixNano() + CLOCK_SKEW_ALLOWANCE_NANOS;
  const fromUnixNano = from ?? (to === undefined ? toUnixNano - CLOCK_SKEW_ALLOWANCE_NANOS : toUnixNano) - DEFAULT_WINDOW_NANOS;
  if (fromUnixNano >= toUnixNano) throw new InvalidParameterError('from: must be earlier than to');
  return { fromUnixNano, toUnixNano };
}
