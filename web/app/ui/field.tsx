// A labelled form control: the label names it for screen readers, a hint and an error are tied to it
// with aria-describedby, and aria-invalid marks the field the server refused.
import type { ComponentChildren } from 'preact';
import { useId } from 'preact/hooks';

interface FieldProps {
  label: string;
  hint?: string;
  error?: string | null;
  /** The control, given its id and describedby by `render`. */
  children: (a: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: boolean }) => ComponentChildren;
}

export function Field({ label, hint, error, children }: FieldProps) {
  const id = useId();
  const described = [hint !== undefined ? `${id}-hint` : '', error ? `${id}-err` : ''].filter(Boolean).join(' ');
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {children({ id, 'aria-describedby': described || undefined, 'aria-invalid': error ? true : undefined })}
      {hint !== undefined && <p class="hint" id={`${id}-hint`}>{hint}</p>}
      {error && <p class="field-error" id={`${id}-err`}>{error}</p>}
    </div>
  );
}

/** The input attributes the app's forms use. */
interface InputProps {
  type?: 'text' | 'email' | 'password' | 'tel' | 'number' | 'search' | 'datetime-local';
  name: string;
  autoComplete?: string;
  required?: boolean;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  inputMode?: 'numeric' | 'text' | 'email' | 'tel';
  min?: number;
  step?: number | 'any';
  label: string;
  hint?: string;
  error?: string | null;
  value: string;
  onValue: (v: string) => void;
}

export function TextField({ label, hint, error, value, onValue, type = 'text', ...rest }: InputProps) {
  return (
    <Field label={label} hint={hint} error={error}>
      {/* Preact types each input type apart; `type` is any of ours, all of which take these attributes. */}
      {(a) => <input {...rest} {...a} type={type as 'text'} value={value} onInput={(e) => onValue(e.currentTarget.value)} />}
    </Field>
  );
}

/** The form's outcome: an error summary (read out at once) or a success message. */
export function FormMessage({ error, ok }: { error?: string | null; ok?: string | null }) {
  return (
    <div aria-live="polite">
      {error && <p class="form-error" role="alert">{error}</p>}
      {ok && <p class="form-ok">{ok}</p>}
    </div>
  );
}
