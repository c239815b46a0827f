import { z } from 'zod';

import type { HostMethod, PlatformPackage, PlatformScope } from '../types';
import { actorOf, hostMethod } from './host-method';
import { sendEmailSchema, sendPushSchema, sendSmsSchema } from './schemas';
import { sendEmail, sendPushNotification, sendSms } from './service';
import { transportsFromEnv } from './transports';

/** `Fliplet.Communicate` inside the sandbox: a thin forwarder, every rule is on the host. */
const shim = `(function (hostCall) {
  'use strict';
  const call = (method, args) => hostCall('Communicate', method, args);
  Fliplet.Communicate = Object.freeze({
    sendEmail: (options) => call('sendEmail', [options]),
    sendSMS: (options) => call('sendSMS', [options]),
    sendPushNotification: (appId, options) =>
      call('sendPushNotification', [appId === undefined ? null : appId, options]),
  });
})(__hostCall);
`;

// The spec's examples pass the app id as a number; a payload may carry it as text. An action
// cannot read its own app id from `context`, so null (or leaving it out) means the run's app.
const appIdSchema = z
  .union([z.int().positive(), z.string().regex(/^\d+$/).transform(Number)], {
    error: 'expected the app id',
  })
  .nullable();

export const communicatePackage: PlatformPackage = {
  name: 'fliplet-communicate',
  namespace: 'Communicate',
  shim,
  host: hostMethods,
};

function hostMethods(scope: PlatformScope): Record<string, HostMethod> {
  const { db } = scope;
  const actor = actorOf(scope);
  // Read per call, not per run, so a bad setting fails the call that needs it, not every run.
  const transports = () => transportsFromEnv();
  return {
    sendEmail: hostMethod(
      'Communicate.sendEmail',
      ['options'],
      z.tuple([sendEmailSchema]),
      ([options]) => sendEmail(db, actor, options, transports().email),
    ),
    sendSMS: hostMethod('Communicate.sendSMS', ['options'], z.tuple([sendSmsSchema]), ([options]) =>
      sendSms(db, actor, options, transports().sms),
    ),
    sendPushNotification: hostMethod(
      'Communicate.sendPushNotification',
      ['appId', 'options'],
      z.tuple([appIdSchema, sendPushSchema]),
      ([appId, options]) =>
        sendPushNotification(db, actor, appId ?? actor.appId, options, transports().push),
    ),
  };
}
