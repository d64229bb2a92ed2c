// Stored with every span so spans normalized by an older rule set can be found and re-normalized
// from their raw attributes. Bump it whenever a rule change alters the output for some input.
export const NORMALIZER_VERSION = 2;
