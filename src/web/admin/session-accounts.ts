import { useState } from 'preact/hooks';
import type { Account } from './types.js';

/**
 * The accounts created on this page in this browser session. The API has no way to list accounts
 * yet, so this is all the page can show: kept in sessionStorage (gone with the tab, like the
 * sign-in) and cleared on sign-out.
 */
const KEY = 'booking-hub.admin.created-accounts';

const read = (): Account[] => {
  try {
    return JSON.parse(sessionStorage.getItem(KEY) ?? '[]') as Account[];
  } catch {
    return [];
  }
};

export function forgetSessionAccounts(): void {
  sessionStorage.removeItem(KEY);
}

export function useSessionAccounts(): [Account[], (a: Account) => void] {
  const [accounts, setAccounts] = useState(read);
  const add = (a: Account) => {
    const next = [a, ...read().filter((x) => x.id !== a.id)];
    sessionStorage.setItem(KEY, JSON.stringify(next));
    setAccounts(next);
  };
  return [accounts, add];
}
