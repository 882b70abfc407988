// A settlement's status in words (my page and the admin page).
import type { Settlement } from '../../api/settlement.ts';
import { t } from '../../i18n/index.ts';

export function SettlementStatus({ status }: { status: Settlement['status'] }) {
  return <span class={`status status-${status.toLowerCase()}`}>{t(`settle.status.${status}`)}</span>;
}
