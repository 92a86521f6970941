import { ApiError, accessToken, api } from './api.js';

/**
 * Saves a file the API serves only to the signed-in person (an appointment's .ics): fetched with the
 * bearer token (a plain link cannot send it), then handed to the browser as a download. `accept` picks
 * the representation where a route serves several (analytics as CSV).
 */
export async function downloadFile(path: string, filename: string, accept?: string): Promise<void> {
  const get = () =>
    fetch(path, {
      headers: { authorization: `Bearer ${accessToken() ?? ''}`, ...(accept ? { accept } : {}) },
    });
  let res = await get();
  if (res.status === 401) {
    // The access token expired: any API call refreshes it once; then try again.
    await api('GET', '/v1/me');
    res = await get();
  }
  if (!res.ok) {
    const problem = (await res.json().catch(() => ({}))) as { code?: string; detail?: string };
    throw new ApiError(res.status, problem.code ?? 'internal', problem.detail ?? res.statusText);
  }
  const url = URL.createObjectURL(await res.blob());
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
