import { z } from 'zod';

import { actorOf, hostMethod } from '../communicate/host-method';
import { transportsFromEnv } from '../communicate/transports';
import type { HostMethod, PlatformPackage, PlatformScope } from '../types';
import {
  createNotification,
  insertNotificationSchema,
  listNotifications,
  listNotificationsSchema,
} from './service';

/** `Fliplet.Notifications` inside the sandbox: a thin forwarder, every rule is on the host. */
const shim = `(function (hostCall) {
  'use strict';
  Fliplet.Notifications = Object.freeze({
    insert: (options) => hostCall('Notifications', 'insert', [options]),
    get: (options) => hostCall('Notifications', 'get', [options === undefined ? null : options]),
  });
})(__hostCall);
`;

export const notificationsPackage: PlatformPackage = {
  name: 'fliplet-notifications',
  namespace: 'Notifications',
  shim,
  host: hostMethods,
};

function hostMethods(scope: PlatformScope): Record<string, HostMethod> {
  const { db, appId } = scope;
  const listOptions = listNotificationsSchema.nullable().transform((options) => options ?? {});
  return {
    insert: hostMethod(
      'Notifications.insert',
      ['options'],
      z.tuple([insertNotificationSchema]),
      ([options]) => createNotification(db, actorOf(scope), options, transportsFromEnv().push),
    ),
    get: hostMethod('Notifications.get', ['options'], z.tuple([listOptions]), ([options]) =>
      listNotifications(db, appId, options),
    ),
  };
}
