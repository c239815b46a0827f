/*
 * The sandbox runtime. This file is NOT imported by Node: executor.ts reads it as text and
 * evaluates it inside every fresh isolate, before the preludes and the action's code.
 *
 * It gives the isolate a console, timers and the host-call function, and it encodes the
 * action's result and errors. Everything it sends out goes through `post`, as primitives only;
 * the host checks every message again, because code that runs later in this isolate can
 * tamper with anything here except the closure variables below.
 */

// eslint-disable-next-line @typescript-eslint/no-unused-vars -- called by name by executor.ts
function sandboxRuntime(post, limits) {
  'use strict';

  // Captured before any other script runs, so a library or action that patches globals
  // cannot change how results and messages are encoded.
  const global = globalThis;
  const { keys: objectKeys, defineProperty, create: objectCreate } = Object;
  const tagOf = Object.prototype.toString;
  const { apply: reflectApply, construct: reflectConstruct } = Reflect;
  const { isArray } = Array;
  const { stringify: jsonStringify, parse: jsonParse } = JSON;
  const { isFinite: isFiniteNumber } = Number;
  const booleanValueOf = Boolean.prototype.valueOf;
  const dateToIso = Date.prototype.toISOString;
  const StringCtor = String;
  const NumberCtor = Number;
  const ErrorCtor = Error;
  const TypeErrorCtor = TypeError;
  const RangeErrorCtor = RangeError;
  const PromiseCtor = Promise;
  const promiseResolve = Promise.resolve.bind(Promise);

  const INTERNAL_FILE = 'sandbox-internal:';
  const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

  // ---------------------------------------------------------------- small helpers

  function tag(value) {
    return reflectApply(tagOf, value, []);
  }

  function safeString(read, fallback) {
    try {
      const value = read();
      return typeof value === 'string' ? value : value === undefined ? fallback : StringCtor(value);
    } catch {
      return fallback;
    }
  }

  /** Stack lines of the runtime itself tell the user nothing; keep only their code's frames. */
  function cleanStack(stack) {
    const lines = stack.split('\n');
    let kept = '';
    for (let i = 0; i < lines.length; i += 1) {
      if (lines[i].indexOf(INTERNAL_FILE) !== -1) continue;
      kept += (kept === '' ? '' : '\n') + lines[i];
    }
    return kept;
  }

  function childPath(path, key) {
    if (typeof key === 'number') return path + '[' + key + ']';
    return IDENTIFIER.test(key) ? path + '.' + key : path + '[' + jsonStringify(key) + ']';
  }

  function defineGlobal(name, value) {
    defineProperty(global, name, { value, writable: true, configurable: true, enumerable: false });
  }

  // ---------------------------------------------------------------- readable previews

  /** A short, JSON-like rendering for console lines and non-Error throws; never throws. */
  function preview(value, maxChars) {
    const state = { out: '', maxChars, seen: [] };
    try {
      previewInto(state, value, 0);
    } catch (error) {
      if (error !== state) state.out += '[unprintable]';
    }
    return state.out.length > maxChars ? state.out.slice(0, maxChars) + '…' : state.out;
  }

  function emit(state, text) {
    state.out += text;
    // Thrown as a sentinel: stops walking a huge value once the line is full.
    if (state.out.length > state.maxChars) throw state;
  }

  function previewInto(state, value, depth) {
    switch (typeof value) {
      case 'string':
        return emit(state, jsonStringify(value));
      case 'bigint':
        return emit(state, StringCtor(value) + 'n');
      case 'symbol':
        return emit(state, safeString(() => value.toString(), 'Symbol()'));
      case 'function':
        return emit(state, '[Function: ' + safeString(() => value.name, '') + ']');
      case 'object':
        return value === null ? emit(state, 'null') : previewObject(state, value, depth);
      default:
        return emit(state, StringCtor(value));
    }
  }

  function previewObject(state, value, depth) {
    if (value instanceof ErrorCtor) return emit(state, errorHeadline(value));
    const kind = tag(value);
    if (kind === '[object Date]') {
      return emit(state, safeString(() => reflectApply(dateToIso, value, []), 'Invalid Date'));
    }
    if (state.seen.indexOf(value) !== -1) return emit(state, '[Circular]');
    if (depth >= 6) return emit(state, isArray(value) ? '[Array]' : '[Object]');
    state.seen.push(value);
    if (isArray(value)) {
      previewArray(state, value, depth);
    } else if (kind === '[object Map]' || kind === '[object Set]') {
      previewCollection(state, value, depth);
    } else {
      previewMembers(state, value, depth);
    }
    state.seen.pop();
  }

  function previewArray(state, value, depth) {
    emit(state, '[');
    for (let i = 0; i < value.length; i += 1) {
      if (i > 0) emit(state, ',');
      previewInto(state, value[i], depth + 1);
    }
    emit(state, ']');
  }

  function previewCollection(state, value, depth) {
    const isMap = tag(value) === '[object Map]';
    emit(state, (isMap ? 'Map(' : 'Set(') + value.size + ') {');
    let first = true;
    for (const entry of value) {
      if (!first) emit(state, ', ');
      first = false;
      previewInto(state, isMap ? entry[0] : entry, depth + 1);
      if (isMap) {
        emit(state, ' => ');
        previewInto(state, entry[1], depth + 1);
      }
    }
    emit(state, '}');
  }

  function previewMembers(state, value, depth) {
    emit(state, '{');
    const names = objectKeys(value);
    for (let i = 0; i < names.length; i += 1) {
      emit(state, (i > 0 ? ',' : '') + jsonStringify(names[i]) + ':');
      previewInto(state, value[names[i]], depth + 1);
    }
    emit(state, '}');
  }

  function errorHeadline(error) {
    const name = safeString(() => error.name, 'Error');
    const message = safeString(() => error.message, '');
    return message === '' ? name : name + ': ' + message;
  }

  // ---------------------------------------------------------------- console

  const consoleState = { lines: 0, chars: 0, dropped: false };

  function writeLine(level, text) {
    if (consoleState.dropped) return;
    let line = text;
    if (line.length > limits.maxConsoleLineChars) {
      line = line.slice(0, limits.maxConsoleLineChars) + ' … [line cut]';
    }
    const full = consoleState.lines >= limits.maxConsoleLines;
    if (full || consoleState.chars + line.length > limits.maxConsoleChars) {
      consoleState.dropped = true;
      post('log-dropped');
      return;
    }
    consoleState.lines += 1;
    consoleState.chars += line.length;
    post('log', level, line);
  }

  function formatArgument(value) {
    if (typeof value === 'string') return value;
    if (value instanceof ErrorCtor) {
      return cleanStack(safeString(() => value.stack, errorHeadline(value)));
    }
    return preview(value, limits.maxConsoleLineChars);
  }

  function consoleMethod(level) {
    return function (...args) {
      let text = '';
      for (let i = 0; i < args.length; i += 1) {
        text += (i > 0 ? ' ' : '') + formatArgument(args[i]);
      }
      writeLine(level, text);
    };
  }

  const sandboxConsole = {
    log: consoleMethod('log'),
    info: consoleMethod('info'),
    warn: consoleMethod('warn'),
    error: consoleMethod('error'),
    debug: consoleMethod('log'),
  };

  // ---------------------------------------------------------------- host calls

  // Null-prototype tables: nothing the action puts on Object.prototype can intercept them.
  const pendingCalls = objectCreate(null);
  let pendingCallCount = 0;
  let nextCallId = 1;

  function hostCall(namespace, method, args) {
    // Taken now so a failure points at the caller's line, not at this runtime.
    const callSite = new ErrorCtor();
    return new PromiseCtor((resolve, reject) => {
      if (typeof namespace !== 'string' || typeof method !== 'string') {
        throw new TypeErrorCtor('A platform call needs a namespace and a method name');
      }
      const list = args === undefined ? [] : args;
      if (!isArray(list)) {
        throw new TypeErrorCtor('A platform call takes its arguments as an array');
      }
      if (pendingCallCount >= limits.maxPendingHostCalls) {
        throw new RangeErrorCtor(
          'Too many platform calls in flight (limit ' + limits.maxPendingHostCalls +
            '); await some before starting more',
        );
      }
      const argsJson = jsonStringify(list);
      if (argsJson.length > limits.maxHostCallArgsChars) {
        throw new RangeErrorCtor('The arguments of ' + namespace + '.' + method + ' are too large');
      }
      const id = nextCallId;
      nextCallId += 1;
      pendingCalls[id] = { resolve, reject, callSite };
      pendingCallCount += 1;
      post('call', id, namespace, method, argsJson);
    });
  }

  function settleCall(id, ok, json) {
    const entry = pendingCalls[id];
    if (entry === undefined) return;
    delete pendingCalls[id];
    pendingCallCount -= 1;
    if (ok) {
      entry.resolve(json === undefined ? undefined : jsonParse(json));
      return;
    }
    const wire = jsonParse(json);
    entry.reject(hostError(StringCtor(wire.name), StringCtor(wire.message), entry.callSite));
  }

  /** A plain Error of this isolate: the host's own error object never comes in (case C23). */
  function hostError(name, message, callSite) {
    const error = new ErrorCtor(message);
    const frames = safeString(() => callSite.stack, '').split('\n').slice(1).join('\n');
    const stack = cleanStack(name + ': ' + message + (frames === '' ? '' : '\n' + frames));
    const hidden = { writable: true, configurable: true, enumerable: false };
    defineProperty(error, 'name', { ...hidden, value: name });
    defineProperty(error, 'stack', { ...hidden, value: stack });
    return error;
  }

  // ---------------------------------------------------------------- timers

  const timers = objectCreate(null);
  let timerCount = 0;
  let nextTimerId = 1;

  function clampDelay(delay) {
    const ms = NumberCtor(delay);
    if (!(ms > 0)) return 0;
    return ms > limits.maxTimerDelayMs ? limits.maxTimerDelayMs : Math.floor(ms);
  }

  function setTimeoutImpl(callback, delay, ...args) {
    if (typeof callback !== 'function') {
      throw new TypeErrorCtor('setTimeout needs a function; strings are not run as code');
    }
    if (timerCount >= limits.maxPendingTimers) {
      throw new RangeErrorCtor('Too many pending timers (limit ' + limits.maxPendingTimers + ')');
    }
    const id = nextTimerId;
    nextTimerId += 1;
    timers[id] = { callback, args };
    timerCount += 1;
    post('timer', id, clampDelay(delay));
    return id;
  }

  function clearTimeoutImpl(id) {
    if (typeof id !== 'number' || timers[id] === undefined) return;
    delete timers[id];
    timerCount -= 1;
    post('clear-timer', id);
  }

  function fireTimer(id) {
    const entry = timers[id];
    if (entry === undefined) return;
    delete timers[id];
    timerCount -= 1;
    try {
      reflectApply(entry.callback, undefined, entry.args);
    } catch (error) {
      // Like an uncaught exception in a browser timer: reported, the run goes on.
      writeLine('warn', 'Uncaught error in a setTimeout callback: ' + describeForLine(error));
    }
  }

  function queueMicrotaskImpl(callback) {
    if (typeof callback !== 'function') throw new TypeErrorCtor('queueMicrotask needs a function');
    promiseResolve().then(() => callback());
  }

  function describeForLine(error) {
    return error instanceof ErrorCtor ? errorHeadline(error) : preview(error, 1000);
  }

  // ---------------------------------------------------------------- results

  /** Thrown while walking a result; carries the message the user will read. */
  function ResultProblem(message) {
    this.message = message;
  }

  function TooLarge(chars) {
    this.chars = chars;
  }

  /** Values JSON would silently empty or drop: refused, with what to do instead. */
  const REFUSED_TAGS = {
    '[object Map]': ['a Map', 'convert it with Object.fromEntries(map)'],
    '[object Set]': ['a Set', 'convert it with Array.from(set)'],
    '[object WeakMap]': ['a WeakMap', ''],
    '[object WeakSet]': ['a WeakSet', ''],
    '[object WeakRef]': ['a WeakRef', ''],
    '[object Promise]': ['a Promise', 'await it before returning'],
    '[object BigInt]': ['a BigInt', 'convert it to a string or number'],
    '[object Symbol]': ['a Symbol', ''],
  };

  function refuse(what, path, hint) {
    return new ResultProblem(what + ' at ' + path + (hint ? ' (' + hint + ')' : ''));
  }

  /** JSON.stringify's steps for one value: toJSON, then unboxing of primitive wrappers. */
  function prepare(value, key) {
    let current = value;
    if (current !== null && (typeof current === 'object' || typeof current === 'bigint')) {
      const toJSON = current.toJSON;
      if (typeof toJSON === 'function') current = reflectApply(toJSON, current, [StringCtor(key)]);
    }
    if (current === null || typeof current !== 'object') return current;
    const kind = tag(current);
    if (kind === '[object Number]') return NumberCtor(current);
    if (kind === '[object String]') return StringCtor(current);
    if (kind === '[object Boolean]') return reflectApply(booleanValueOf, current, []);
    return current;
  }

  function append(walk, text) {
    walk.out += text;
    walk.chars += text.length;
    if (walk.chars > walk.ceiling) throw new TooLarge(walk.chars);
  }

  function writeValue(walk, value, path) {
    switch (typeof value) {
      case 'string':
        // Checked first so a huge string is refused without being copied.
        if (walk.chars + value.length > walk.ceiling) throw new TooLarge(walk.chars + value.length);
        return append(walk, jsonStringify(value));
      case 'number':
        return append(walk, isFiniteNumber(value) ? StringCtor(value) : 'null');
      case 'boolean':
        return append(walk, value ? 'true' : 'false');
      case 'undefined':
        return append(walk, 'null');
      case 'bigint':
        throw refuse('a BigInt', path, 'convert it to a string or number');
      case 'symbol':
        throw refuse('a Symbol', path);
      case 'function':
        throw refuse('a function', path);
      default:
        return value === null ? append(walk, 'null') : writeObject(walk, value, path);
    }
  }

  function writeObject(walk, value, path) {
    const depth = walk.stack.length;
    for (let i = 0; i < depth; i += 1) {
      if (walk.stack[i] === value) {
        throw refuse('a circular reference', path, 'it points back to ' + walk.paths[i]);
      }
    }
    if (depth >= limits.maxResultDepth) {
      throw refuse('values nested more than ' + limits.maxResultDepth + ' levels deep', path);
    }
    const refused = REFUSED_TAGS[tag(value)];
    if (refused !== undefined) throw refuse(refused[0], path, refused[1]);
    walk.stack[depth] = value;
    walk.paths[depth] = path;
    if (isArray(value)) writeArray(walk, value, path);
    else writeMembers(walk, value, path);
    walk.stack.length = depth;
    walk.paths.length = depth;
  }

  function writeArray(walk, value, path) {
    const length = value.length;
    // Every element takes at least one character and a comma: refuse huge arrays up front.
    if (walk.chars + length * 2 > walk.ceiling) throw new TooLarge(walk.chars + length * 2);
    append(walk, '[');
    for (let i = 0; i < length; i += 1) {
      if (i > 0) append(walk, ',');
      walk.reading = childPath(path, i);
      writeValue(walk, prepare(value[i], i), walk.reading);
    }
    append(walk, ']');
  }

  function writeMembers(walk, value, path) {
    append(walk, '{');
    walk.reading = path;
    const names = objectKeys(value);
    let first = true;
    for (let i = 0; i < names.length; i += 1) {
      const name = names[i];
      walk.reading = childPath(path, name);
      const member = prepare(value[name], name);
      // Undefined members are dropped, as JSON.stringify does; the rest must be JSON.
      if (member === undefined) continue;
      append(walk, (first ? '' : ',') + jsonStringify(name) + ':');
      first = false;
      writeValue(walk, member, walk.reading);
    }
    append(walk, '}');
  }

  function utf8Length(text) {
    let bytes = 0;
    for (let i = 0; i < text.length; i += 1) {
      const unit = text.charCodeAt(i);
      // A surrogate half counts 2: a valid pair is 4 bytes (JSON escapes lone halves).
      bytes += unit < 0x80 ? 1 : unit < 0x800 || (unit >= 0xd800 && unit <= 0xdfff) ? 2 : 3;
    }
    return bytes;
  }

  /** The result as [kind, text] for the host: JSON, or why it cannot be JSON. */
  function encodeResult(value) {
    // Exact sizes up to four times the limit; beyond that only "at least" (saves memory).
    const walk = { out: '', chars: 0, ceiling: limits.maxResultBytes * 4, stack: [], paths: [] };
    walk.reading = '$';
    try {
      writeValue(walk, prepare(value, ''), '$');
    } catch (error) {
      if (error instanceof TooLarge) {
        return ['too-large', jsonStringify({ bytes: error.chars, exact: false })];
      }
      if (error instanceof ResultProblem) return ['unserialisable', error.message];
      return ['unserialisable', 'reading ' + walk.reading + ' threw ' + describeForLine(error)];
    }
    const json = walk.out;
    if (json.length * 3 > limits.maxResultBytes) {
      const bytes = utf8Length(json);
      if (bytes > limits.maxResultBytes) {
        return ['too-large', jsonStringify({ bytes, exact: true })];
      }
    }
    return ['result', json];
  }

  // ---------------------------------------------------------------- the run

  function describeThrown(error) {
    if (error instanceof ErrorCtor) {
      const name = safeString(() => error.name, 'Error');
      const message = safeString(() => error.message, '');
      const stack = cleanStack(safeString(() => error.stack, errorHeadline(error)));
      return { name, message, stack };
    }
    const message = 'The action threw a non-Error value: ' + preview(error, 1000);
    return { name: 'NonErrorThrown', message, stack: 'NonErrorThrown: ' + message };
  }

  function missingExecute(execute) {
    const message =
      execute === undefined
        ? 'The action code does not define a function named execute ' +
          '(for example: async function execute(context) { … })'
        : 'execute must be a function, but it is ' + (execute === null ? 'null' : typeof execute);
    return { name: 'ExecuteNotDefinedError', message, stack: 'ExecuteNotDefinedError: ' + message };
  }

  async function drive(execute, payloadJson) {
    let message;
    try {
      if (typeof execute !== 'function') {
        message = ['thrown', jsonStringify(missingExecute(execute))];
      } else {
        const value = await execute({ payload: jsonParse(payloadJson) });
        message = encodeResult(value);
      }
    } catch (error) {
      message = ['thrown', jsonStringify(describeThrown(error))];
    }
    post('done', message[0], message[1]);
  }

  /** The only way the host calls in; every call is a task whose errors the host observes. */
  function enter(kind, a, b, c) {
    if (kind === 'run') drive(a, b);
    else if (kind === 'settle') settleCall(a, b, c);
    else if (kind === 'timer') fireTimer(a);
  }

  // ---------------------------------------------------------------- the global scope

  defineGlobal('console', sandboxConsole);
  defineGlobal('setTimeout', setTimeoutImpl);
  defineGlobal('clearTimeout', clearTimeoutImpl);
  defineGlobal('queueMicrotask', queueMicrotaskImpl);
  // For the preludes only: the host deletes it before the action's code runs.
  defineGlobal('__hostCall', hostCall);
  // No use to an action, and each is a way around the limits: shared memory that outlives
  // the isolate, blocking waits, and WebAssembly memory outside the isolate's heap cap.
  delete global.SharedArrayBuffer;
  delete global.Atomics;
  delete global.WebAssembly;
  // A resizable ArrayBuffer keeps its memory outside the isolate's heap cap, its first length
  // included, so buffers are fixed-length only: the options argument never reaches the engine.
  // The original constructor stays reachable only here (its prototype points at the wrapper).
  const NativeArrayBuffer = global.ArrayBuffer;
  const FixedArrayBuffer = new Proxy(NativeArrayBuffer, {
    construct(target, args, newTarget) {
      return reflectConstruct(target, [args[0]], newTarget);
    },
  });
  defineGlobal('ArrayBuffer', FixedArrayBuffer);
  defineProperty(NativeArrayBuffer.prototype, 'constructor', {
    value: FixedArrayBuffer,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  delete NativeArrayBuffer.prototype.resize;

  return enter;
}
