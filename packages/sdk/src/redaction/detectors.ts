// Built-in detectors of secrets and personal data. Each is a global regex plus an optional check
// that rejects look-alikes (Luhn for cards, mod-97 for IBANs), so order ids, dates, versions and
// IP addresses survive. Order matters: cards and IBANs run before phone numbers.

export interface Detector {
  name: string;
  pattern: RegExp;
  /** Returns false for a match that only looks like the thing (checksum failed, wrong length). */
  accept?: (match: string) => boolean;
}

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let index = 0; index < digits.length; index++) {
    let digit = digits.charCodeAt(digits.length - 1 - index) - 48;
    if (index % 2 === 1) {
      digit *= 2;
      if (digit > 9) digit -= 9;
    }
    sum += digit;
  }
  return sum % 10 === 0;
}

/** ISO 13616 check: move the first four characters to the end, letters → 10..35, mod 97 = 1. */
export function ibanValid(candidate: string): boolean {
  const compact = candidate.replace(/\s+/g, '');
  if (compact.length < 15 || compact.length > 34) return false;
  const rearranged = compact.slice(4) + compact.slice(0, 4);
  let remainder = 0;
  for (const char of rearranged) {
    const code = char.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : char;
    for (const digit of value) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  return remainder === 1;
}

const digitsOf = (text: string) => text.replace(/\D/g, '');

export const BUILT_IN_DETECTORS: readonly Detector[] = [
  {
    name: 'private_key',
    pattern: /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----[\s\S]*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----/g,
  },
  { name: 'jwt', pattern: /\beyJ[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{10,}/g },
  { name: 'bearer_token', pattern: /\bBearer\s+[A-Za-z0-9\-._~+/]{8,}=*/gi },
  {
    name: 'api_key',
    // OpenAI (sk-, sk-proj-), Anthropic (sk-ant-), AWS access key ids, GitHub, Google, Slack,
    // Stripe, Hugging Face, Groq, xAI.
    pattern: /\b(?:sk-(?:proj-|ant-)?[A-Za-z0-9_-]{20,}|AKIA[0-9A-Z]{16}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|AIza[0-9A-Za-z_-]{35}|xox[abprs]-[A-Za-z0-9-]{10,}|[sr]k_(?:live|test)_[A-Za-z0-9]{16,}|hf_[A-Za-z0-9]{30,}|gsk_[A-Za-z0-9]{20,}|xai-[A-Za-z0-9]{20,})/g,
  },
  { name: 'email', pattern: /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}/g },
  {
    name: 'credit_card',
    pattern: /(?<![\d-])\d(?:[ -]?\d){12,18}(?![\d-])/g,
    accept: (match) => {
      const digits = digitsOf(match);
      return digits.length >= 13 && digits.length <= 19 && luhnValid(digits);
    },
  },
  { name: 'iban', pattern: /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g, accept: ibanValid },
  {
    name: 'phone',
    // A leading +country code or (area) or a separated first group; no digit group may touch the
    // match, so longer numbers (cards, ids) and dotted quads (IP addresses) are not phones.
    pattern: /(?<![\w+.-]|\d[ .-])(?:\+\d{1,3}[ .-]?)?(?:\(\d{2,4}\)[ .-]?|\d{2,4}[ .-])\d{3,4}[ .-]?\d{3,4}(?![\w]|[ .-]?\d)/g,
    accept: (match) => {
      const digits = digitsOf(match);
      return digits.length >= 9 && digits.length <= 15;
    },
  },
];

export type DetectorName = 'private_key' | 'jwt' | 'bearer_token' | 'api_key' | 'email' | 'credit_card' | 'iban' | 'phone';
