// Categories (admin): the tree, add or rename one (its id is a slug that never changes), delete.
import { useState } from 'preact/hooks';
import { flatten, market } from '../../api/market.ts';
import { t } from '../../i18n/index.ts';
import { api } from '../../okj.ts';
import { messageOf } from '../../ui/errors.ts';
import { Field, FormMessage, TextField } from '../../ui/field.tsx';
import { toast } from '../../ui/toasts.tsx';
import { useLoad } from '../../ui/use-load.ts';
import { Loading } from '../../ui/widgets.tsx';

export function AdminCategories() {
  const { data, error, reload } = useLoad(() => market.categories());
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [parent, setParent] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  if (error !== null) return <p class="form-error" role="alert">{error}</p>;
  if (data === null) return <Loading />;
  const rows = flatten(data);

  const save = async (e: Event) => {
    e.preventDefault();
    setFormError(null);
    try {
      await api.categories.put(id, { name, parentId: parent === '' ? null : parent });
      toast(t('admin.saved'), 'success');
      setId('');
      setName('');
      reload();
    } catch (err) {
      setFormError(messageOf(err));
    }
  };
  const remove = (cid: string) => api.categories.remove(cid).then(reload, (err: unknown) => toast(messageOf(err), 'error'));

  return (
    <>
      {rows.length === 0 ? <p class="empty">{t('admin.noCategories')}</p> : (
        <ul class="rows">
          {rows.map(({ category: c, depth }) => (
            <li key={c.id} class="row" style={{ paddingInlineStart: `${depth * 1.25 + 0.5}rem` }}>
              <span><strong>{c.name}</strong> <code>{c.id}</code></span>
              <span class="row-actions">
                <button type="button" onClick={() => { setId(c.id); setName(c.name); setParent(c.parentId ?? ''); }}>{t('admin.edit')}</button>
                <button type="button" onClick={() => void remove(c.id)} aria-label={t('admin.deleteNamed', { name: c.name })}>{t('common.delete')}</button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <form onSubmit={save} class="inline-form" aria-labelledby="cat-h">
        <h2 id="cat-h">{t('admin.categoryForm')}</h2>
        <TextField label={t('admin.categoryId')} name="id" required pattern="[a-z0-9][a-z0-9\-]{0,31}" hint={t('admin.categoryIdHint')} value={id} onValue={setId} />
        <TextField label={t('admin.categoryName')} name="name" required maxLength={100} value={name} onValue={setName} />
        <Field label={t('admin.parent')}>
          {(a) => (
            <select {...a} name="parentId" value={parent} onChange={(e) => setParent(e.currentTarget.value)}>
              <option value="">{t('admin.topLevel')}</option>
              {rows.filter(({ category }) => category.id !== id).map(({ category, depth }) => (
                <option key={category.id} value={category.id}>{'  '.repeat(depth) + category.name}</option>
              ))}
            </select>
          )}
        </Field>
        <FormMessage error={formError} />
        <button type="submit" class="primary">{t('admin.save')}</button>
      </form>
    </>
  );
}
