"use client";

import { useId, type ReactNode } from "react";
import { useFormResult } from "./action-form";

type TFieldProps = {
  name: string;
  label: string;
  hint?: ReactNode;
  type?: "text" | "email" | "password" | "number" | "search";
  defaultValue?: string | number;
  required?: boolean;
  autoComplete?: string;
  placeholder?: string;
  inputMode?: "numeric" | "text";
};

export function FieldErrors({ name, id }: { name: string; id: string }) {
  const errors = useFormResult()?.fieldErrors?.[name];
  if (!errors?.length) return null;
  return (
    <div className="error" id={id} role="alert" data-field-error={name}>
      {errors.join(" ")}
    </div>
  );
}

export function Field(props: TFieldProps) {
  const id = useId();
  const invalid = Boolean(useFormResult()?.fieldErrors?.[props.name]?.length);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        name={props.name}
        type={props.type ?? "text"}
        defaultValue={props.defaultValue}
        required={props.required}
        autoComplete={props.autoComplete}
        placeholder={props.placeholder}
        inputMode={props.inputMode}
        aria-invalid={invalid}
        aria-describedby={`${id}-error ${id}-hint`}
      />
      {props.hint && (
        <div className="hint" id={`${id}-hint`}>
          {props.hint}
        </div>
      )}
      <FieldErrors name={props.name} id={`${id}-error`} />
    </div>
  );
}

export function SelectField(props: { name: string; label: string; hint?: ReactNode; defaultValue?: string; options: { value: string; label: string }[] }) {
  const id = useId();
  const invalid = Boolean(useFormResult()?.fieldErrors?.[props.name]?.length);
  return (
    <div className="field">
      <label htmlFor={id}>{props.label}</label>
      <select id={id} name={props.name} defaultValue={props.defaultValue} aria-invalid={invalid} aria-describedby={`${id}-error`}>
        {props.options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {props.hint && <div className="hint">{props.hint}</div>}
      <FieldErrors name={props.name} id={`${id}-error`} />
    </div>
  );
}

// The hidden "false" comes first so an unchecked box still sends an explicit value (FormData skips unchecked boxes).
export function CheckboxField(props: { name: string; label: string; hint?: ReactNode; defaultChecked?: boolean }) {
  const id = useId();
  return (
    <div className="field">
      <div className="check">
        <input type="hidden" name={props.name} value="false" />
        <input id={id} type="checkbox" name={props.name} defaultChecked={props.defaultChecked} />
        <label htmlFor={id}>{props.label}</label>
      </div>
      {props.hint && <div className="hint">{props.hint}</div>}
      <FieldErrors name={props.name} id={`${id}-error`} />
    </div>
  );
}
