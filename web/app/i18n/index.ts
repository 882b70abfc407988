// Korean by default, English on request; the choice is kept in localStorage. Every text of the app is a
// key of the Korean dictionary, and the English one must have the same keys (a missing one fails tsc).
// Money is whole won; dates and times are Asia/Seoul's as the browser shows them.
import { store } from '../state/store.ts';
import { en } from './en.ts';
import { ko, type Key } from './ko.ts';

export type { Key } from './ko.ts';
export type Lang = 'ko' | 'en';

const STORAGE_KEY = 'okj.lang';
const DICTS: Record<Lang, Record<Key, string>> = { ko, en };

function stored(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'ko';
  } catch {
    return 'ko'; // storage refused (private mode): Korean
  }
}

export const lang = store<Lang>(stored());
document.documentElement.lang = lang.get();

export function setLang(next: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // not remembered, still switched
  }
  document.documentElement.lang = next;
  lang.set(next);
}

/** The text of `key` in the current language, with `{name}` filled from `params`. */
export function t(key: Key, params?: Record<string, string | number>): string {
  const text = DICTS[lang.get()][key];
  return params === undefined ? text : text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

export function isKey(k: string): k is Key {
  return Object.hasOwn(ko, k);
}

const locale = () => (lang.get() === 'ko' ? 'ko-KR' : 'en-US');

/** 12,000원 / ₩12,000 */
export function won(n: number): string {
  const digits = n.toLocaleString(locale());
  return lang.get() === 'ko' ? `${digits}원` : `₩${digits}`;
}

export function dateTime(ms: number, seconds = false): string {
  return new Intl.DateTimeFormat(locale(), { dateStyle: 'medium', timeStyle: seconds ? 'medium' : 'short' }).format(ms);
}

/** What is left, for a countdown: "2일 03:04:05", "04:05". */
export function clock(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(s / 86_400);
  const hms = [Math.floor((s % 86_400) / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0'));
  const time = d === 0 && hms[0] === '00' ? `${hms[1]}:${hms[2]}` : hms.join(':');
  return d > 0 ? `${t('time.days', { n: d })} ${time}` : time;
}

/** The same in words, for screen readers and lists: "2일 3시간 남음". */
export function remaining(ms: number): string {
  const m = Math.max(0, Math.round(ms / 60_000));
  if (ms <= 0) return t('time.ended');
  if (m < 1) return t('time.lessThanMinute');
  const d = Math.floor(m / 1440);
  const h = Math.floor((m % 1440) / 60);
  const parts = [d > 0 ? t('time.days', { n: d }) : '', h > 0 ? t('time.hours', { n: h }) : '', d === 0 ? t('time.minutes', { n: m % 60 }) : '']
    .filter((p) => p !== '' && !/^0\D/.test(p));
  return t('time.left', { time: parts.join(' ') });
}
