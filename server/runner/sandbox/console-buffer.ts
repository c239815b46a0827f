import { MAX_CONSOLE_BYTES, MAX_CONSOLE_LINE_CHARS, MAX_CONSOLE_LINES } from './limits';
import type { ConsoleLine } from './types';

type Level = ConsoleLine['level'];

const LEVELS: ReadonlySet<string> = new Set<Level>(['log', 'info', 'warn', 'error']);

/** Lines the platform itself writes (stray rejections, truncation) have their own small cap. */
const MAX_PLATFORM_NOTES = 20;

export function isConsoleLevel(value: unknown): value is Level {
  return typeof value === 'string' && LEVELS.has(value);
}

/**
 * A run's console output, bounded by lines and UTF-8 bytes. The isolate stops sending at the
 * same caps; this copy enforces them again because the isolate's bookkeeping can be tampered
 * with by the action.
 */
export class ConsoleBuffer {
  private readonly lines: ConsoleLine[] = [];
  private bytes = 0;
  private truncated = false;
  private notes = 0;

  constructor(private readonly startedAt: number) {}

  /** A line written by the action. */
  add(level: Level, message: string): void {
    if (this.truncated) return;
    const text =
      message.length > MAX_CONSOLE_LINE_CHARS
        ? `${message.slice(0, MAX_CONSOLE_LINE_CHARS)} … [line cut]`
        : message;
    const size = Buffer.byteLength(text, 'utf8');
    if (this.lines.length >= MAX_CONSOLE_LINES || this.bytes + size > MAX_CONSOLE_BYTES) {
      this.markTruncated();
      return;
    }
    this.bytes += size;
    this.push(level, text);
  }

  /** The action wrote more than the caps allow; later lines are dropped. */
  markTruncated(): void {
    if (this.truncated) return;
    this.truncated = true;
    this.note(
      'warn',
      `Console output truncated: a run keeps at most ${MAX_CONSOLE_LINES} lines and ` +
        `${MAX_CONSOLE_BYTES} bytes; later output was dropped`,
    );
  }

  /** A line written by the platform about the run; kept even when the action's output is full. */
  note(level: Level, message: string): void {
    if (this.notes >= MAX_PLATFORM_NOTES) return;
    this.notes += 1;
    this.push(level, message.slice(0, MAX_CONSOLE_LINE_CHARS));
  }

  snapshot(): ConsoleLine[] {
    return [...this.lines];
  }

  private push(level: Level, message: string): void {
    this.lines.push({ level, message, at: Math.round(performance.now() - this.startedAt) });
  }
}
