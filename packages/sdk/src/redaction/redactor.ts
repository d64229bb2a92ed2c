// Turns redaction options into one function over attribute values. Runs at export time (off the
// hot path), on span attributes, event attributes and span names.

import type { AttributeValue } from '@opentelemetry/api';
import { BUILT_IN_DETECTORS, type Detector, type DetectorName } from './detectors.js';

export type RedactionRule =
  | { name: string; pattern: RegExp; replacement?: string }
  | { name: string; redact: (value: string, attributeKey: string) => string };

export interface RedactionOptions {
  /** Built-in detectors to run (default: all of them). `[]` turns them off. */
  detectors?: DetectorName[];
  /** Extra rules, run after the built-in detectors. */
  rules?: RedactionRule[];
  /** Attribute keys never redacted (exact, or a prefix ending in `*`). */
  allowAttributes?: string[];
  /** Attribute keys whose whole value is replaced (exact, or a prefix ending in `*`). */
  denyAttributes?: string[];
}

/** Redacts one value; `count` says how many replacements were made. */
export type Redactor = (key: string, value: AttributeValue) => { value: AttributeValue; count: number };

function keyMatcher(patterns: string[] = []): (key: string) => boolean {
  const exact = new Set(patterns.filter((pattern) => !pattern.endsWith('*')));
  const prefixes = patterns.filter((pattern) => pattern.endsWith('*')).map((pattern) => pattern.slice(0, -1));
  return (key) => exact.has(key) || prefixes.some((prefix) => key.startsWith(prefix));
}

function ensureGlobal(pattern: RegExp): RegExp {
  return pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
}

export const DENIED_VALUE = '[REDACTED]';
const placeholder = (name: string) => `[REDACTED:${name}]`;

export function createRedactor(options: RedactionOptions = {}): Redactor {
  const wanted = options.detectors ? new Set<string>(options.detectors) : undefined;
  const detectors: Detector[] = BUILT_IN_DETECTORS.filter((detector) => !wanted || wanted.has(detector.name));
  const rules = options.rules ?? [];
  const allowed = keyMatcher(options.allowAttributes);
  const denied = keyMatcher(options.denyAttributes);

  const redactText = (key: string, text: string): { text: string; count: number } => {
    let count = 0;
    let result = text;
    for (const detector of detectors) {
      result = result.replace(detector.pattern, (match) => {
        if (detector.accept && !detector.accept(match)) return match;
        count++;
        return placeholder(detector.name);
      });
    }
    for (const rule of rules) {
      if ('pattern' in rule) {
        result = result.replace(ensureGlobal(rule.pattern), () => {
          count++;
          return rule.replacement ?? placeholder(rule.name);
        });
      } else {
        const next = rule.redact(result, key);
        if (next !== result) count++;
        result = next;
      }
    }
    return { text: result, count };
  };

  return (key, value) => {
    if (allowed(key)) return { value, count: 0 };
    if (denied(key)) return { value: DENIED_VALUE, count: 1 };
    if (typeof value === 'string') {
      const { text, count } = redactText(key, value);
      return { value: text, count };
    }
    if (Array.isArray(value)) {
      let count = 0;
      const items = value.map((item: unknown) => {
        if (typeof item !== 'string') return item;
        const redacted = redactText(key, item);
        count += redacted.count;
        return redacted.text;
      });
      return { value: items as AttributeValue, count };
    }
    return { value, count: 0 };
  };
}
