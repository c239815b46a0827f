'use client';

import { useState } from 'react';

import {
  BOOKINGS_SCREEN,
  HOME_SCREEN,
  PROFILE_SCREEN,
  previewScreens,
  type PreviewScreen,
} from '@/server/sdk/runtime/preview-screens';

import type { RuntimeGlobals } from './runtimeGlobals';

const bookings = [
  { name: 'Ada Lovelace', date: 'Mon 7 Dec' },
  { name: 'Alan Turing', date: 'Tue 8 Dec' },
  { name: 'Grace Hopper', date: 'Wed 9 Dec' },
];

const appButton =
  'rounded-md bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700 ' +
  'disabled:opacity-50';
const phoneFrame =
  'mx-auto flex h-[34rem] w-80 flex-col overflow-hidden rounded-[2rem] border-8 ' +
  'border-slate-800 bg-white shadow-lg';
const quietButton =
  'rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 disabled:opacity-50';

/**
 * A small app in a phone-sized frame. Moving between screens sends page views; buttons send
 * custom events. Both go through `Fliplet.App.Analytics`, exactly as an app's code would.
 */
export function DemoApp({ globals }: { globals: RuntimeGlobals | null }) {
  const [screen, setScreen] = useState<PreviewScreen>(HOME_SCREEN);
  const [notice, setNotice] = useState<string | null>(null);
  const ready = globals !== null;

  const open = (next: PreviewScreen) => {
    setScreen(next);
    setNotice(null);
    globals?.analytics.pageView({ pageId: next.id, pageTitle: next.title });
  };
  const send = (fields: Record<string, unknown>, message: string) => {
    globals?.analytics.event(fields);
    setNotice(message);
  };

  return (
    <section
      aria-label="Demo app"
      className={phoneFrame}
    >
      <header className="bg-indigo-700 px-4 pb-3 pt-4 text-white">
        <p className="text-xs uppercase tracking-wide text-indigo-200">Demo app</p>
        <h2 className="text-lg font-semibold">{screen.title}</h2>
        <p className="text-xs text-indigo-200">Screen id {screen.id}</p>
      </header>
      <div className="flex-1 space-y-3 overflow-auto p-4 text-sm">
        <p className="text-slate-600">{screen.blurb}</p>
        {screen.id === HOME_SCREEN.id ? (
          <div className="flex flex-wrap gap-2">
            <button type="button" className={appButton} disabled={!ready}
              onClick={() => open(BOOKINGS_SCREEN)}>
              See my bookings
            </button>
            <button type="button" className={quietButton} disabled={!ready}
              onClick={() => send({ category: 'home', action: 'hello' }, 'Hello sent')}>
              Say hello
            </button>
          </div>
        ) : null}
        {screen.id === BOOKINGS_SCREEN.id ? (
          <ul aria-label="Bookings" className="space-y-2">
            {bookings.map((booking) => (
              <li key={booking.name}
                className="flex items-center justify-between rounded border border-slate-200 p-2">
                <span>
                  <span className="block font-medium">{booking.name}</span>
                  <span className="text-xs text-slate-500">{booking.date}</span>
                </span>
                <button type="button" className={quietButton} disabled={!ready}
                  aria-label={`Confirm ${booking.name}`}
                  onClick={() => send({ category: 'booking', action: 'confirm',
                    label: booking.name }, `Confirmed ${booking.name}`)}>
                  Confirm
                </button>
              </li>
            ))}
          </ul>
        ) : null}
        {screen.id === PROFILE_SCREEN.id ? (
          <div className="flex flex-wrap gap-2">
            <button type="button" className={quietButton} disabled={!ready}
              onClick={() =>
                send({ category: 'profile', action: 'change-photo' }, 'Photo changed')
              }>
              Change photo
            </button>
            <button type="button" className={quietButton} disabled={!ready}
              onClick={() => send({ category: 'profile', action: 'sign-out' }, 'Signed out')}>
              Sign out
            </button>
          </div>
        ) : null}
        {notice ? <p role="status" className="text-xs text-emerald-700">{notice}</p> : null}
      </div>
      <nav aria-label="Demo app screens" className="grid grid-cols-3 border-t border-slate-200">
        {previewScreens.map((entry) => (
          <button
            key={entry.id}
            type="button"
            disabled={!ready}
            aria-current={entry.id === screen.id ? 'page' : undefined}
            onClick={() => open(entry)}
            className={`py-2 text-sm disabled:opacity-50 ${
              entry.id === screen.id ? 'font-semibold text-indigo-700' : 'text-slate-600'
            }`}
          >
            {entry.title}
          </button>
        ))}
      </nav>
    </section>
  );
}
