import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * The request a piece of work runs for, carried through every await without threading it through each
 * call: the HTTP layer opens the scope, the audit log reads the id. Outside a request it is undefined.
 */
const scope = new AsyncLocalStorage<{ requestId: string }>();

export function inRequest<T>(requestId: string, fn: () => T): T {
  return scope.run({ requestId }, fn);
}

export function currentRequestId(): string | undefined {
  return scope.getStore()?.requestId;
}
