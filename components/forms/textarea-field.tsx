"use client";

import { useId, type ReactNode } from "react";
import { useFormResult } from "./action-form";
import { FieldErrors } from "./field";

// `inlineErrors: false` where the form lists the field's errors itself (a CSV import's row list), so none shows twice.
export function TextareaField(props: { name: string; label: string; hint?: ReactNode; defaultValue?: string; rows?: number; inlineErrors?: boolean }) {
  const id = useId();
  const invalid = Boolean(useFormResult()?.fieldErrors?.[props.name]?.length);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <textarea id={id} name={props.name} rows={props.rows ?? 3} defaultValue={props.defaultValue} aria-invalid={invalid} aria-describedby={`${id}-error`} />
      {props.hint && <div className="hint">{props.hint}</div>}
      {props.inlineErrors !== false && <FieldErrors name={props.name} id={`${id}-error`} />}
    </div>
  );
}

// A group of checkboxes posting `name[]`, so the server receives an array.
export function CheckboxGroup(props: { name: string; label: string; hint?: ReactNode; options: { value: string; label: string }[]; checked: string[] }) {
  const id = useId();
  return (
    <fieldset className="field" style={{ border: "none", padding: 0, margin: 0 }}>
      <legend style={{ fontWeight: 600, fontSize: 14 }}>{props.label}</legend>
      {props.options.length === 0 && <div className="hint">None available yet.</div>}
      {props.options.map((option) => (
        <label key={option.value} className="check" style={{ fontWeight: 400 }}>
          <input type="checkbox" name={`${props.name}[]`} value={option.value} defaultChecked={props.checked.includes(option.value)} />
          {option.label}
        </label>
      ))}
      {props.hint && <div className="hint">{props.hint}</div>}
      <FieldErrors name={props.name} id={`${id}-error`} />
    </fieldset>
  );
}
