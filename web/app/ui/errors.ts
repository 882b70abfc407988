// What to tell a person about a failure: the catalogue code in their language when the app knows it,
// else the server's own detail.
import { ApiError, SocketError } from '../../../client/index.ts';
import { isKey, t } from '../i18n/index.ts';

export function codeOf(err: unknown): string | null {
  if (err instanceof ApiError || err instanceof SocketError) return err.code;
  return null;
}

export function messageOf(err: unknown): string {
  const code = codeOf(err);
  if (code !== null) return messageOfCode(code, err instanceof Error ? err.message : undefined);
  if (err instanceof TypeError) return t('err.NETWORK');
  return err instanceof Error ? err.message : String(err);
}

export function messageOfCode(code: string, fallback?: string): string {
  const key = `err.${code}`;
  return isKey(key) ? t(key) : (fallback ?? code);
}

/** The fields a VALIDATION_FAILED answer names (`errors[].path`), for aria-invalid. */
export function invalidFields(err: unknown): Set<string> {
  const out = new Set<string>();
  if (err instanceof ApiError) for (const e of err.problem?.errors ?? []) if (e.path !== undefined) out.add(e.path.replace(/^\//, '').split(/[/.]/)[0]);
  return out;
}
