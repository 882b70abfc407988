// Report one message to the admins, with a reason; the first report of a message stays.
import { useState } from 'preact/hooks';
import { chatApi } from '../../api/chat.ts';
import { t } from '../../i18n/index.ts';
import { messageOf } from '../../ui/errors.ts';
import { toast } from '../../ui/toasts.tsx';
import { FormMessage, TextField } from '../../ui/field.tsx';

export function ReportForm({ room, seq, done }: { room: string; seq: number; done: () => void }) {
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    try {
      await chatApi.report(room, seq, reason.trim());
      toast(t('chat.reportedToast'), 'success');
      done();
    } catch (err) {
      setError(messageOf(err));
    }
  };
  return (
    <form class="chat-report" onSubmit={(e) => (e.preventDefault(), void submit())}>
      <TextField name="reason" label={t('chat.reason')} required maxLength={500} value={reason} onValue={setReason} />
      <FormMessage error={error} />
      <p class="row-actions">
        <button type="submit" disabled={reason.trim() === ''}>{t('chat.reportSend')}</button>
        <button type="button" onClick={done}>{t('common.cancel')}</button>
      </p>
    </form>
  );
}
