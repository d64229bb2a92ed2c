// `session(id, fn)` and `user(id, fn)`: ids that land on every span started below them, in this
// process and — carried as W3C baggage by the propagation helpers — in the processes it calls.

import { context, propagation } from '@opentelemetry/api';
import { SESSION_ID, USER_ID } from './internal/attribute-names.js';

function withEntry<T>(key: string, id: string, fn: () => T): T {
  const active = context.active();
  const bag = (propagation.getBaggage(active) ?? propagation.createBaggage()).setEntry(key, { value: String(id) });
  return context.with(propagation.setBaggage(active, bag), fn);
}

/** Runs `fn` with a session (conversation) id: spans below get `gen_ai.conversation.id` and `session.id`. */
export function session<T>(id: string, fn: () => T): T {
  return withEntry(SESSION_ID, id, fn);
}

/** Runs `fn` with a user id: spans below get `user.id`. */
export function user<T>(id: string, fn: () => T): T {
  return withEntry(USER_ID, id, fn);
}
