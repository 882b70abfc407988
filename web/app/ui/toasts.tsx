// Toasts: short messages that leave by themselves (or by their close button). They are read out by
// screen readers through two live regions: polite for news, assertive for what needs acting on
// (outbid). The regions are always in the page, so additions are announced.
import { store, useStore } from '../state/store.ts';
import { t } from '../i18n/index.ts';

export type ToastKind = 'info' | 'success' | 'warn' | 'error';

interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
  urgent: boolean;
}

const toasts = store<Toast[]>([]);
let next = 1;
const LIFE_MS = 7000;

export function toast(text: string, kind: ToastKind = 'info', o: { urgent?: boolean } = {}): void {
  const id = next++;
  toasts.set([...toasts.get(), { id, kind, text, urgent: o.urgent === true }].slice(-5));
  setTimeout(() => dismiss(id), LIFE_MS);
}

function dismiss(id: number): void {
  toasts.set(toasts.get().filter((x) => x.id !== id));
}

function Region({ urgent }: { urgent: boolean }) {
  const list = useStore(toasts).filter((x) => x.urgent === urgent);
  return (
    <div class="toasts" role={urgent ? 'alert' : 'status'} aria-live={urgent ? 'assertive' : 'polite'} aria-atomic="false">
      {list.map((x) => (
        <div key={x.id} class={`toast toast-${x.kind}`} data-kind={x.kind}>
          <span>{x.text}</span>
          <button type="button" class="toast-close" onClick={() => dismiss(x.id)} aria-label={t('common.close')}>×</button>
        </div>
      ))}
    </div>
  );
}

export function Toasts() {
  return (
    <div class="toast-stack">
      <Region urgent />
      <Region urgent={false} />
    </div>
  );
}
