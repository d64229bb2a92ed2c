// A text filter with suggestions: an ARIA 1.2 combobox (input + listbox). Suggestions load as
// the user types (debounced) while the input has focus; ↓/↑ move through them, Enter or a click
// picks one, Escape closes the list. Typed text applies on Enter or blur, as the other filters.

import { useEffect, useId, useRef, useState } from 'react';

export interface SuggestInputProps {
  id: string;
  label: string;
  placeholder: string;
  value: string;
  onCommit: (value: string) => void;
  /** Suggestions for the typed text; rejected or aborted loads show none. */
  loadSuggestions: (typed: string, signal: AbortSignal) => Promise<string[]>;
}

const DEBOUNCE_MILLIS = 150;

export function SuggestInput({ id, label, placeholder, value, onCommit, loadSuggestions }: SuggestInputProps) {
  const [draft, setDraft] = useState(value);
  const [focused, setFocused] = useState(false);
  const [open, setOpen] = useState(false);
  const [options, setOptions] = useState<string[]>([]);
  const [active, setActive] = useState(-1);
  const listId = useId();
  const loader = useRef(loadSuggestions);
  loader.current = loadSuggestions;
  useEffect(() => setDraft(value), [value]);

  useEffect(() => {
    if (!focused) return;
    const controller = new AbortController();
    const timer = setTimeout(() => {
      loader.current(draft, controller.signal).then(
        (next) => {
          setOptions(next);
          setActive(-1);
        },
        () => setOptions([]),
      );
    }, DEBOUNCE_MILLIS);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [draft, focused]);

  const expanded = open && focused && options.length > 0;
  const pick = (option: string) => {
    setDraft(option);
    setOpen(false);
    if (option !== value) onCommit(option);
  };

  return (
    <div className="field suggest">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active >= 0 ? `${listId}-${active}` : undefined}
        autoComplete="off"
        value={draft}
        placeholder={placeholder}
        onFocus={() => {
          setFocused(true);
          setOpen(true);
        }}
        onChange={(event) => {
          setDraft(event.target.value);
          setOpen(true);
        }}
        onBlur={() => {
          setFocused(false);
          setOpen(false);
          if (draft !== value) onCommit(draft);
        }}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' && options.length > 0) {
            setOpen(true);
            setActive((index) => (index + 1) % options.length);
          } else if (event.key === 'ArrowUp' && options.length > 0) {
            setActive((index) => (index <= 0 ? options.length - 1 : index - 1));
          } else if (event.key === 'Enter') {
            if (expanded && active >= 0) pick(options[active]!);
            else onCommit(draft);
          } else if (event.key === 'Escape') {
            setOpen(false);
          } else {
            return;
          }
          event.preventDefault();
        }}
      />
      <ul id={listId} role="listbox" aria-label={`${label} suggestions`} className="suggestions" hidden={!expanded}>
        {options.map((option, index) => (
          <li
            key={option}
            id={`${listId}-${index}`}
            role="option"
            aria-selected={index === active}
            className={index === active ? 'active' : undefined}
            // Before the input's blur, so the click picks instead of committing the draft.
            onMouseDown={(event) => {
              event.preventDefault();
              pick(option);
            }}
          >
            {option}
          </li>
        ))}
      </ul>
    </div>
  );
}
