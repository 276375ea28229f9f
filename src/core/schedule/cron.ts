// Cron expressions as CDF takes them: standard 5-field UNIX cron (REFERENCE §2.6, §4.4). Each field is
// checked here so a refusal names the field and its allowed values; croner computes fire times and
// cronstrue describes the expression.
import type * as Croner from 'croner';
import type * as Cronstrue from 'cronstrue';
import { InputError } from '../errors';

// croner and cronstrue take a few ms to load, and this module is in the tree's imports, so they are
// required on first use rather than at activation.
let croner: typeof Croner | undefined;
let cronstrue: typeof Cronstrue | undefined;
/* eslint-disable @typescript-eslint/no-require-imports -- static paths esbuild bundles; loaded on first use */
const cronClass = () => (croner ??= require('croner') as typeof Croner).Cron;
const cronToString: typeof Cronstrue.toString = (expression, options) => (cronstrue ??= require('cronstrue') as typeof Cronstrue).toString(expression, options);
/* eslint-enable @typescript-eslint/no-require-imports */

/**
 * How croner reads the normalized expression, as UNIX (Vixie) cron does:
 * - five fields, minute first: croner's default would take a sixth leading field as seconds;
 * - when day-of-month and day-of-week are both restricted, a day matches if EITHER does (`0 12 13 * 5` is
 *   every 13th and every Friday); croner calls the AND alternative domAndDow (legacyMode before v10);
 *   day-of-week 7 is Sunday, like 0.
 * - Daylight saving time, in the zone the expression is read in: a job at fixed times (minute and hour
 *   fields without `*` or a step: `30 2 * * *`, `0,30 2 * * *`) whose time falls in a spring-forward gap
 *   fires once, at the first minute after the gap (03:00 in Oslo on the last Sunday of March), and once
 *   only when fall-back repeats its time (the first occurrence). A repeating job (`*` or a step in the
 *   minute or hour field) skips the minutes in a gap and fires in both occurrences of a repeated hour, as
 *   it would on any other day. That is Vixie cron's rule; croner calls it fixedTimeRule 'no-wildcard'.
 * The sandbox (src/sandbox/scheduler.ts) reads expressions with the same options, so the schedule wizard's
 * preview shows the times the emulator fires.
 */
const CRON_OPTIONS = { mode: '5-part', domAndDow: false, fixedTimeRule: 'no-wildcard' } as const satisfies Croner.CronOptions;

export type CronFieldName = 'minute' | 'hour' | 'dayOfMonth' | 'month' | 'dayOfWeek';

export interface CronSchedule {
  /** The expression as given, trimmed. */
  readonly source: string;
  /**
   * The portable form to send: five fields separated by single spaces, names as numbers (MON -> 1),
   * `?` as `*`, `a/n` as `a-max/n`, macros expanded (@daily -> 0 0 * * *).
   */
  readonly expression: string;
  readonly fields: Readonly<Record<CronFieldName, string>>;
}

interface FieldSpec {
  readonly name: CronFieldName;
  readonly label: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
  /** Largest step that is not a mistake: a step past the span only ever hits the start. */
  readonly maxStep: number;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS: readonly FieldSpec[] = [
  { name: 'minute', label: 'minute', min: 0, max: 59, maxStep: 59 },
  { name: 'hour', label: 'hour', min: 0, max: 23, maxStep: 23 },
  { name: 'dayOfMonth', label: 'day-of-month', min: 1, max: 31, maxStep: 30 },
  { name: 'month', label: 'month', min: 1, max: 12, names: MONTHS, maxStep: 11 },
  // 0 and 7 are both Sunday, as in UNIX cron.
  { name: 'dayOfWeek', label: 'day-of-week', min: 0, max: 7, names: DAYS, maxStep: 6 },
];

const FORMAT = 'minute hour day-of-month month day-of-week, e.g. "30 5 * * 1-5"';

/** Macros of UNIX cron (and the @weekdays/@weekends some cron libraries add) that fit five fields. */
const MACROS: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
  '@minutely': '* * * * *',
  '@weekdays': '0 0 * * 1-5',
  '@weekends': '0 0 * * 0,6',
};

/** Validates and normalizes a cron expression; throws InputError naming the field and its allowed values. */
export function parseCron(expr: string): CronSchedule {
  const source = typeof expr === 'string' ? expr.trim() : '';
  if (source === '') throw new InputError(`The cron expression is empty. Write five fields: ${FORMAT}.`);
  let text = source;
  if (source.startsWith('@')) {
    const macro = MACROS[source.toLowerCase()];
    if (macro === undefined) {
      throw new InputError(
        `"${source}" is not a cron macro CDF schedules can use; use one of ${Object.keys(MACROS).join(', ')}, or write five fields: ${FORMAT}.`,
      );
    }
    text = macro;
  }
  const parts = text.split(/\s+/);
  if (parts.length !== FIELDS.length) {
    const extra =
      parts.length === 6
        ? ' A 6-field expression has a seconds field (or a year); CDF schedules run at most once a minute, so drop it.'
        : parts.length > 6
          ? ' Seconds and year fields are not supported.'
          : '';
    throw new InputError(`The cron expression "${source}" has ${parts.length} field${parts.length === 1 ? '' : 's'}; CDF wants 5: ${FORMAT}.${extra}`);
  }
  const normalized = FIELDS.map((spec, i) => normalizeField(parts[i] ?? '', spec, source));
  const expression = normalized.join(' ');
  const fields = Object.fromEntries(FIELDS.map((spec, i) => [spec.name, normalized[i] ?? '*'])) as Record<CronFieldName, string>;
  // Fields can each be valid and still never meet (30 2 = 30 February): let croner find one fire time.
  // From 2000, a leap year, so 29 February counts; croner gives up at the year 3000.
  let first: Date | null;
  try {
    first = cronFor(expression, 'UTC').nextRun(new Date(Date.UTC(2000, 0, 1)));
  } catch (error) {
    throw new InputError(`The cron expression "${source}" is not valid cron (${(error as Error).message}); write five fields: ${FORMAT}.`);
  }
  if (first === null) {
    throw new InputError(
      `The cron expression "${source}" never fires: no month in its month field (${fields.month}) has the day in its day-of-month field (${fields.dayOfMonth}), as with 30 February or 31 April. Check the day-of-month and month fields.`,
    );
  }
  return { source, expression, fields };
}

function normalizeField(raw: string, spec: FieldSpec, source: string): string {
  const where = `in the ${spec.label} field of "${source}"`;
  const allowed = describeAllowed(spec);
  return raw
    .split(',')
    .map((item) => {
      if (item === '') throw new InputError(`The ${spec.label} field of "${source}" has an empty list item ("${raw}"); remove the extra comma.`);
      // Quartz and cron-library extras (last day, weekday, nth weekday, hashed values) are not UNIX cron.
      if (item.includes('#') || /^(\d*L|LW|\d+W|H(\(.*\))?(\/\d+)?)$/i.test(item)) {
        throw new InputError(`"${item}" ${where} is not standard 5-field cron (L, W, # and H are extensions CDF does not take); the ${spec.label} field takes ${allowed}, with * , - and /.`);
      }
      const [base = '', step, ...more] = item.split('/');
      if (more.length > 0) throw new InputError(`"${item}" ${where} has more than one "/"; write a step once, like */15.`);
      let stepText = '';
      if (step !== undefined) {
        if (!/^\d+$/.test(step) || Number(step) < 1 || Number(step) > spec.maxStep) {
          throw new InputError(`"${item}" ${where} has step "${step}"; a step must be a whole number from 1 to ${spec.maxStep}.`);
        }
        stepText = `/${Number(step)}`;
      }
      if (base === '*' || base === '?') return `*${stepText}`;
      const [from, to, ...rest] = base.split('-');
      if (rest.length > 0 || from === '' || to === '') {
        throw new InputError(`"${item}" ${where} is not a value, a range like 1-5, or *; the ${spec.label} field takes ${allowed}.`);
      }
      const start = fieldValue(from ?? '', spec, where, allowed);
      if (to === undefined) {
        // `5/15` means "from 5, every 15": spell out the range, which every cron dialect reads the same way.
        return step === undefined ? String(start) : `${start}-${spec.name === 'dayOfWeek' ? 6 : spec.max}${stepText}`;
      }
      const end = fieldValue(to, spec, where, allowed);
      if (start > end) {
        const top = spec.name === 'dayOfWeek' ? 6 : spec.max;
        const span = (a: number, b: number): string => (a === b ? String(a) : `${a}-${b}`);
        throw new InputError(`The range "${base}" ${where} runs backwards; write it from low to high, or wrap around as ${span(start, top)},${span(spec.min, end)}.`);
      }
      return `${start}-${end}${stepText}`;
    })
    .join(',');
}

function fieldValue(text: string, spec: FieldSpec, where: string, allowed: string): number {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    if (n < spec.min || n > spec.max) throw new InputError(`${n} ${where} is out of range; the ${spec.label} field takes ${allowed}.`);
    return n;
  }
  const index = spec.names?.indexOf(text.toUpperCase()) ?? -1;
  if (index >= 0 && spec.names) return spec.name === 'month' ? index + 1 : index;
  if (spec.names) throw new InputError(`"${text}" ${where} is not a known name; the ${spec.label} field takes ${allowed}.`);
  throw new InputError(`"${text}" ${where} is not a number; the ${spec.label} field takes ${allowed}.`);
}

function describeAllowed(spec: FieldSpec): string {
  const range = spec.name === 'dayOfWeek' ? '0-7 (0 and 7 are Sunday)' : `${spec.min}-${spec.max}`;
  return spec.names ? `${range} or the names ${spec.names[0]}-${spec.names[spec.names.length - 1]}` : range;
}

/** Plain English, e.g. "At 05:30 AM, Monday through Friday". Throws InputError for an invalid expression. */
export function describeCron(expr: string): string {
  const { expression } = parseCron(expr);
  return cronToString(expression, { throwExceptionOnParseError: true, verbose: false, use24HourTimeFormat: false });
}

export interface FireTimeOptions {
  /** How many fire times (1-1000); default 5. */
  readonly count?: number;
  /** IANA zone the expression is read in; default UTC (CDF function schedules always run in UTC). */
  readonly timezone?: string;
  /** Fire times strictly after this instant; default now. */
  readonly from?: Date;
}

/** The next fire times of an expression read in a time zone. */
export function nextFireTimes(expr: string, options: FireTimeOptions = {}): Date[] {
  const { count = 5, timezone = 'UTC', from = new Date() } = options;
  if (!Number.isInteger(count) || count < 1 || count > 1000) throw new InputError(`Asked for ${count} fire times; ask for 1 to 1000.`);
  const zone = validateTimeZone(timezone);
  const { expression } = parseCron(expr);
  return cronFor(expression, zone).nextRuns(count, from);
}

/** A croner job for a normalized expression; with no function to run, it only computes times (no timers). */
function cronFor(expression: string, timezone: string): Croner.Cron {
  const Cron = cronClass();
  return new Cron(expression, { ...CRON_OPTIONS, timezone });
}

/**
 * Checks an IANA time zone name (what native schedule triggers take) and returns its canonical spelling
 * when only the case differs (europe/oslo -> Europe/Oslo). UTC offsets are refused: CDF wants a zone name.
 */
export function validateTimeZone(name: string): string {
  const zone = typeof name === 'string' ? name.trim() : '';
  const example = 'such as UTC, Europe/Oslo or America/New_York';
  if (zone === '') throw new InputError(`The time zone is empty; use an IANA time zone name ${example}.`);
  if (!/[A-Za-z]/.test(zone) || /^[+-]/.test(zone) || /^(UTC|GMT)[+-]/i.test(zone)) {
    throw new InputError(`"${zone}" is a UTC offset, not a time zone name; use an IANA name ${example} (Etc/GMT-1 is UTC+1).`);
  }
  let resolved: string;
  try {
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    throw new InputError(`"${zone}" is not a known time zone; use an IANA time zone name ${example}.`);
  }
  return resolved.toLowerCase() === zone.toLowerCase() ? resolved : zone;
}
