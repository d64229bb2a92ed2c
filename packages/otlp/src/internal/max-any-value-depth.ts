/**
 * Deepest AnyValue nesting (arrays and kvlists inside each other) the decoders accept. Real
 * attributes nest a few levels; deeper input is broken or hostile, and the recursive decoders
 * must stop long before the stack does.
 */
export const MAX_ANY_VALUE_DEPTH = 64;
