// Tags (admin): the list, add, delete.
import { useState } from 'preact/hooks';
import { market } from '../../api/market.ts';
import { t } from '../../i18n/index.ts';
import { api } from '../../okj.ts';
import { messageOf } from '../../ui/errors.ts';
import { FormMessage, TextField } from '../../ui/field.tsx';
import { toast } from '../../ui/toasts.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { Loading } from '../../ui/widgets.tsx';

export function AdminTags() {
  const { data, error, reload } = useLoad(() => market.tags());
  const [name, setName] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  if (error !== null) return <p class="form-error" role="alert">{error}</p>;
  if (data === null) return <Loading />;
  const add = async (e: Event) => {
    e.preventDefault();
    setFormError(null);
    try {
      await api.tags.put(name.trim());
      setName('');
      reload();
    } catch (err) {
      setFormError(messageOf(err));
    }
  };
  return (
    <>
      {data.length === 0 ? <p class="empty">{t('admin.noTags')}</p> : (
        <ul class="chips">
          {data.map((tag) => (
            <li key={tag}>
              {tag}{' '}
              <button type="button" class="chip-x" aria-label={t('admin.deleteNamed', { name: tag })}
                onClick={() => void api.tags.remove(tag).then(reload, (err: unknown) => toast(messageOf(err), 'error'))}>×</button>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={add} class="inline-form" aria-labelledby="tag-h">
        <h2 id="tag-h">{t('admin.tagForm')}</h2>
        <TextField label={t('admin.tagName')} name="tag" required maxLength={32} value={name} onValue={setName} />
        <FormMessage error={formError} />
        <button type="submit" class="primary">{t('admin.add')}</button>
      </form>
    </>
  );
}
