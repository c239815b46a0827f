'use client';

import { useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabItem<K extends string> {
  key: K;
  label: ReactNode;
}

interface TabListProps<K extends string> {
  /** The accessible name of the set of tabs. */
  label: string;
  /** Prefix of the tab and panel ids; see tabIds. */
  idPrefix: string;
  items: readonly TabItem<K>[];
  selected: K;
  onSelect: (key: K) => void;
}

export function tabIds(idPrefix: string, key: string) {
  return { tab: `${idPrefix}-tab-${key}`, panel: `${idPrefix}-panel-${key}` };
}

/**
 * Tabs as the ARIA pattern has them: one tab stop, arrow keys (and Home/End) move and select,
 * each tab names the panel it controls. The caller renders the panel with `tabIds(…).panel`.
 */
export function TabList<K extends string>(props: TabListProps<K>) {
  const { label, idPrefix, items, selected, onSelect } = props;
  const list = useRef<HTMLDivElement>(null);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const index = items.findIndex((item) => item.key === selected);
    const next = {
      ArrowRight: index + 1,
      ArrowLeft: index - 1,
      Home: 0,
      End: items.length - 1,
    }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const item = items[(next + items.length) % items.length];
    if (!item) return;
    onSelect(item.key);
    list.current?.querySelector<HTMLElement>(`#${CSS.escape(tabIds(idPrefix, item.key).tab)}`)
      ?.focus();
  };

  return (
    <div
      ref={list}
      role="tablist"
      aria-label={label}
      onKeyDown={onKeyDown}
      className="flex flex-wrap gap-1 border-b border-slate-200"
    >
      {items.map((item) => {
        const ids = tabIds(idPrefix, item.key);
        const current = item.key === selected;
        return (
          <button
            key={item.key}
            id={ids.tab}
            type="button"
            role="tab"
            aria-selected={current}
            aria-controls={ids.panel}
            tabIndex={current ? 0 : -1}
            onClick={() => onSelect(item.key)}
            className={
              '-mb-px rounded-t border px-3 py-1.5 text-sm focus-visible:outline-none ' +
              'focus-visible:ring-2 focus-visible:ring-indigo-500 ' +
              (current
                ? 'border-slate-200 border-b-white bg-white font-semibold text-indigo-700'
                : 'border-transparent text-slate-600 hover:text-slate-900')
            }
          >
            {item.label}
          </button>
        );
      })}
    </div>
  );
}
