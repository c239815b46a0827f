/**
 * Type definitions for one action, as a `.d.ts` text the editor hands to Monaco's JavaScript
 * language service: `ActionContext` with `context.payload` typed by the action's triggers, and
 * `Fliplet.<Namespace>` for each platform package the action lists, with doc comments for hover.
 * Browser-safe, so the editor builds it as the triggers and dependencies change.
 *
 * Only listed packages are declared: completion then offers what will exist at run time, and a
 * namespace used without its package shows up as unknown, in line with the execute lint.
 */
import { findPackageByName, type PackageName } from './packages';
import type { TriggerType } from '../triggers/types';

export interface TypingsInput {
  triggers: readonly { trigger: TriggerType }[];
  dependencies: readonly string[];
}

/** Where Monaco keeps the text; one per editor, replaced whenever the input changes. */
export const ACTION_TYPINGS_PATH = 'file:///action-context.d.ts';

const payloadTypes: Record<TriggerType, string> = {
  manual: 'ManualPayload',
  schedule: 'SchedulePayload',
  log: 'LogPayload',
  analytics: 'AnalyticsEvent',
};

export function actionTypings(input: TypingsInput): string {
  const packageNames = [...new Set(input.dependencies)].flatMap((name): PackageName[] => {
    const entry = findPackageByName(name);
    return entry ? [entry.name] : [];
  });
  return [
    payloadDeclarations,
    contextDeclaration(input.triggers),
    flipletDeclaration(packageNames),
  ].join('\n');
}

/**
 * The payload type for a set of triggers. A manual trigger next to event triggers is nearly
 * always there to test the action with a sample event, and its open record type would swallow
 * the event types in a union (`payload.log` would become unknown), so it is left out then.
 */
function payloadType(kinds: readonly TriggerType[]): string {
  const events = kinds.filter((kind) => kind !== 'manual');
  // No trigger yet: the test panel can still pass any object.
  if (events.length === 0) return payloadTypes.manual;
  return events.map((kind) => payloadTypes[kind]).join(' | ');
}

function contextDeclaration(triggers: TypingsInput['triggers']): string {
  const kinds = [...new Set(triggers.map(({ trigger }) => trigger))];
  const payload = payloadType(kinds);
  const started = kinds.length === 0 ? 'nothing yet (no triggers)' : kinds.join(', ');
  return `
/** What execute(context) receives. This action is started by: ${started}. */
interface ActionContext {
  /**
   * The run's input; its shape depends on what started the run:
   * manual: the object passed to run() / runWithResult(); schedule: {};
   * log: { trigger: 'log', log }; analytics: the analytics event itself.
   */
  readonly payload: ${payload};
}
`;
}

const payloadDeclarations = `
/** Payload of a manual run: whatever object the caller passed ({} when none). */
type ManualPayload = Record<string, unknown>;

/** Payload of a scheduled run: always empty; fetch what the run needs. */
type SchedulePayload = {};

/** Payload of a log-triggered run. */
interface LogPayload {
  readonly trigger: 'log';
  /** The app log entry that matched the trigger's filter. */
  readonly log: LogEntry;
}

/** An app log entry (the audit event that fired a log trigger). */
interface LogEntry {
  id: number;
  /** The user who caused the event, when known. */
  userId: number | null;
  appId: number;
  organizationId: number;
  /** Set for data source events. */
  dataSourceId: number | null;
  /** Set for entry events (dataSource.entry.create / update / delete). */
  dataSourceEntryId: number | null;
  appNotificationId: number | null;
  sessionId: number | null;
  requestId: string;
  /** The event type, e.g. 'dataSource.entry.create'. */
  type: string;
  /** Event-specific details. */
  data: Record<string, unknown>;
  /** data as a JSON string. */
  dataString: string;
  /** ISO 8601. */
  createdAt: string;
  /** ISO 8601. */
  updatedAt: string;
}

/** Payload of an analytics-triggered run: the analytics event itself, not wrapped. */
interface AnalyticsEvent {
  /** Unix time in milliseconds. */
  createdAt: number;
  type: 'analytics.pageView' | 'analytics.event';
  data: AnalyticsEventData;
}

interface AnalyticsEventData {
  /** Title of the screen. */
  _pageTitle?: string;
  /** Id of the screen. */
  _pageId?: number;
  /** 'web' or 'native'. */
  _platform?: string;
  /** Operating system, e.g. 'Win32', 'MacIntel'. */
  _os?: string;
  _analyticsSessionId?: string;
  _deviceTrackingId?: string;
  [field: string]: unknown;
}
`;

function flipletDeclaration(names: readonly PackageName[]): string {
  const bodies = names.map((name) => namespaceDeclarations[name]);
  // An empty namespace would have no value at all ("cannot use namespace as a value").
  if (bodies.length === 0) {
    return `
/** Platform APIs. None yet: list a package in dependencies to get its Fliplet namespace. */
declare const Fliplet: {};
`;
  }
  return `
/** A device API this documentation does not describe method by method. */
type BrowserOnlyApi = { readonly [method: string]: (...args: unknown[]) => Promise<unknown> };

/** Platform APIs. A namespace exists when its package is listed in the action's dependencies. */
declare namespace Fliplet {${bodies.join('')}}
`;
}

const namespaceDeclarations: Record<PackageName, string> = {
  'fliplet-datasources': `
  /** Data sources of the app (package fliplet-datasources). */
  namespace DataSources {
    interface DataSource {
      id: number;
      appId: number;
      name: string;
      columns: string[];
      createdAt: string;
      updatedAt: string;
    }
    interface Entry {
      id: number;
      dataSourceId: number;
      /** The entry's columns and values. */
      data: Record<string, unknown>;
      createdAt: string;
      updatedAt: string;
    }
    interface FindOptions {
      /** Column values to match; operators such as { $gte: 2 }, $in, $or, $like are allowed. */
      where?: Record<string, unknown>;
      /** Only these data keys are returned. */
      attributes?: string[];
      /** [['Column', 'asc' | 'desc'], ...] or { Column: 'asc' | 'desc' }. */
      order?: Array<[string, 'asc' | 'desc']> | Record<string, 'asc' | 'desc'>;
      limit?: number;
      offset?: number;
      /** Answer { entries, pagination } instead of an array. */
      includePagination?: boolean;
    }
    interface Connection {
      readonly id: number;
      readonly name: string;
      /** Entries matching the options (all entries without options). */
      find(options?: FindOptions): Promise<Entry[]>;
      /** The first entry find() would return, or null. */
      findOne(options?: FindOptions): Promise<Entry | null>;
      /** The entry with this id, or null. */
      findById(id: number | string): Promise<Entry | null>;
      /** Adds an entry and resolves to it. */
      insert(data: Record<string, unknown>): Promise<Entry>;
      /** Merges data into the entry's columns; ENTRY_NOT_FOUND when there is none. */
      update(id: number | string, data: Record<string, unknown>): Promise<Entry>;
      /** Deletes the entry; ENTRY_NOT_FOUND when there is none. */
      removeById(id: number | string): Promise<null>;
      /** Bulk write: replaces all entries unless append is true. */
      commit(options: {
        entries: Array<{ id?: number; data: Record<string, unknown> }>;
        append?: boolean;
        delete?: number[];
      }): Promise<{ entries: Entry[]; deletedIds: number[] }>;
    }
    /** The app's data sources. */
    function get(): Promise<DataSource[]>;
    /** Creates a data source; a taken name is NAME_ALREADY_EXISTS. */
    function create(options: { name: string; columns?: string[] }): Promise<DataSource>;
    /** Opens a data source by id; DATA_SOURCE_NOT_FOUND when the app has none with it. */
    function connect(dataSourceId: number | string): Promise<Connection>;
    /** Opens a data source by its name in the app. */
    function connectByName(name: string): Promise<Connection>;
  }
`,
  'fliplet-communicate': `
  /** Email, SMS and push messages (package fliplet-communicate). */
  namespace Communicate {
    interface Recipient {
      email: string;
      name?: string;
      /** 'to' by default. */
      type?: 'to' | 'cc' | 'bcc';
    }
    /** Sends an email; html and/or text is required. */
    function sendEmail(options: {
      to: Recipient[];
      subject: string;
      from_name?: string;
      html?: string;
      text?: string;
      headers?: { 'Reply-To'?: string };
    }): Promise<{ id: number; status: string; messageId: string | null }>;
    /** Sends an SMS: { data: { to: '+353…', body: 'text' } }. */
    function sendSMS(options: { data: { to: string; body: string } }): Promise<{
      id: number;
      status: string;
    }>;
    /** Sends a push notification to the app's users; pass null for the action's own app. */
    function sendPushNotification(
      appId: number | null,
      options: { title: string; body: string; sandbox?: boolean },
    ): Promise<{ id: number }>;
  }
`,
  'fliplet-media': `
  /** Media folders and files (package fliplet-media). */
  namespace Media {
    interface Folder {
      id: number;
      appId: number;
      parentId: number | null;
      name: string;
      createdAt: string;
      updatedAt: string;
    }
    interface File {
      id: number;
      appId: number;
      folderId: number | null;
      name: string;
      contentType: string;
      size: number;
      url: string;
      createdAt: string;
      updatedAt: string;
    }
    namespace Folders {
      /** The folders and files in a folder; the app's top level without folderId. */
      function get(options?: { folderId?: number }): Promise<{ folders: Folder[]; files: File[] }>;
      function create(options: { name: string; parentId?: number | null }): Promise<Folder>;
    }
    namespace Files {
      /** A file's metadata. */
      function get(id: number): Promise<File>;
      /** Stores a file; data is text, or base64 with encoding: 'base64'. */
      function upload(options: {
        folderId?: number | null;
        name: string;
        data: string;
        encoding?: 'text' | 'base64';
        contentType?: string;
      }): Promise<File>;
      /** A file's metadata and content (base64 unless encoding: 'text'). */
      function read(id: number, options?: { encoding?: 'text' | 'base64' }): Promise<
        File & { data: string }
      >;
    }
  }
`,
  'fliplet-barcode': `
  /**
   * Barcodes and QR codes (package fliplet-barcode). Browser-only: scanning needs the camera
   * of the device running the app; on the server every call throws.
   */
  const Barcode: BrowserOnlyApi;
`,
  'fliplet-audio': `
  /**
   * Recording and playback (package fliplet-audio). Browser-only: it needs the speaker and
   * microphone of a device; on the server every call throws.
   */
  const Audio: BrowserOnlyApi;
`,
  'fliplet-csv': `
  /** CSV text to rows and back (package fliplet-csv). */
  namespace CSV {
    /** Rows (objects or arrays) to CSV text. */
    function encode(
      rows: Array<Record<string, unknown> | unknown[]>,
      options?: {
        delimiter?: string;
        header?: boolean;
        columns?: string[];
        newline?: '\\r\\n' | '\\n';
        quotes?: boolean;
        escapeFormulae?: boolean;
      },
    ): Promise<string>;
    /** CSV text to rows: objects keyed by the header line unless header is false. */
    function decode(
      text: string,
      options?: {
        header?: boolean;
        delimiter?: string;
        dynamicTyping?: boolean;
        skipEmptyLines?: boolean;
      },
    ): Promise<Array<Record<string, unknown>>>;
  }
`,
  'fliplet-encryption': `
  /** Encryption with a key of the app's own (package fliplet-encryption). */
  namespace Encryption {
    /** Encrypts any JSON value into a token. */
    function encrypt(value: unknown): Promise<string>;
    /** Decrypts a token of this app back into its value. */
    function decrypt(token: string): Promise<unknown>;
  }
`,
  'fliplet-notifications': `
  /** In-app and push notifications (package fliplet-notifications). */
  namespace Notifications {
    interface Notification {
      id: number;
      appId: number;
      status: 'published' | 'draft';
      data: { title?: string; message: string; navigate?: Record<string, unknown> };
      pushNotification: Record<string, unknown> | null;
      createdAt: string;
      updatedAt: string;
    }
    /** Creates a notification; with pushNotification it is also sent as a push. */
    function insert(options: {
      status?: 'published' | 'draft';
      data: { title?: string; message: string; navigate?: Record<string, unknown> };
      pushNotification?: {
        payload: { title: string; body: string };
        sandbox?: boolean;
      };
    }): Promise<Notification>;
    /** The app's notifications, newest first. */
    function get(options?: {
      status?: 'published' | 'draft';
      limit?: number;
      offset?: number;
    }): Promise<Notification[]>;
  }
`,
};
