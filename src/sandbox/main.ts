// Command line of the local CDF sandbox (npm run sandbox -- --port 8787 ...), and the single-file bundle
// (dist/sandbox/main.js) the extension loads lazily: it re-exports the in-process API and only runs the
// CLI when it is the entry module.
import * as readline from 'node:readline';
import { startSandbox, type Sandbox, type SandboxOptions } from './index';

export * from './index';

const HELP = `Local CDF sandbox: an emulator of the CDF Data Workflows, Sessions, Functions and Files APIs.

Usage: npm run sandbox -- [options]

  --port N               port on 127.0.0.1 (default 8787; 0 picks a free port)
  --project NAME         CDF project name in API paths (default sandbox)
  --client-id ID         OAuth client id (default sandbox-client)
  --client-secret SECRET OAuth client secret (default sandbox-secret)
  --client-secret-stdin  read the client secret from the first line of stdin (keeps it out of ps)
  --exit-with-stdin      stop when stdin closes (for a parent process that owns the sandbox)
  --seed demo|empty      start with the demo workflows and history, or blank (default demo)
  --data-dir DIR         keep state in DIR across restarts (default: in memory)
  --token-lifetime S     access token lifetime in seconds (default 3600)
  --quiet                do not log requests to stderr
  --help                 show this help

Prints one JSON line {"baseUrl","project","tokenUrl","clientId"} on stdout once it accepts requests.
Every request must be for 127.0.0.1:PORT, localhost:PORT or [::1]:PORT (Host) and come from no web page
but the sandbox's own (Origin); /_sandbox/* routes need a Bearer token like the API.`;

export interface CliOptions extends SandboxOptions {
  help?: boolean;
  /** The client secret comes as the first line of stdin. */
  clientSecretStdin?: boolean;
  exitWithStdin?: boolean;
}

export function parseArgs(argv: string[]): CliOptions {
  const o: CliOptions = { port: 8787, seed: 'demo', quiet: false };
  let clientId: string | undefined;
  let clientSecret: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined || (inline === undefined && v.startsWith('--'))) throw new Error(`${flag} needs a value. Run with --help for the options.`);
      return v;
    };
    switch (flag) {
      case '--help':
      case '-h':
        o.help = true;
        break;
      case '--port': {
        const v = value();
        const port = Number(v);
        if (!/^\d+$/.test(v) || port > 65535) throw new Error(`--port must be a number 0-65535, got "${v}".`);
        o.port = port;
        break;
      }
      case '--project':
        o.project = value();
        break;
      case '--client-id':
        clientId = value();
        break;
      case '--client-secret':
        clientSecret = value();
        break;
      case '--seed': {
        const v = value();
        if (v !== 'demo' && v !== 'empty') throw new Error(`--seed must be demo or empty, got "${v}".`);
        o.seed = v;
        break;
      }
      case '--data-dir':
        o.dataDir = value();
        break;
      case '--token-lifetime': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) < 1) throw new Error(`--token-lifetime must be a positive number of seconds, got "${v}".`);
        o.tokenLifetimeSeconds = Number(v);
        break;
      }
      case '--quiet':
        o.quiet = true;
        break;
      case '--client-secret-stdin':
        o.clientSecretStdin = true;
        break;
      case '--exit-with-stdin':
        o.exitWithStdin = true;
        break;
      default:
        throw new Error(`Unknown option ${flag}. Run with --help for the options.`);
    }
  }
  if (o.clientSecretStdin && clientSecret !== undefined) throw new Error('Give --client-secret or --client-secret-stdin, not both.');
  if (clientId !== undefined || clientSecret !== undefined) {
    o.clients = [{ clientId: clientId ?? 'sandbox-client', clientSecret: clientSecret ?? 'sandbox-secret' }];
  }
  return o;
}

/** The first line of stdin; the rest of stdin stays readable (its end may mean "stop"). */
function readFirstLine(timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
    const timer = setTimeout(() => done(new Error(`no client secret on stdin within ${timeoutMs / 1000} s`)), timeoutMs);
    const done = (result: string | Error): void => {
      clearTimeout(timer);
      lines.removeAllListeners();
      lines.close();
      if (typeof result === 'string') resolve(result);
      else reject(result);
    };
    lines.once('line', (line) => done(line.replace(/\r$/, '')));
    lines.once('close', () => done(new Error('stdin closed before the client secret was sent')));
  });
}

async function main(): Promise<void> {
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(process.argv.slice(2));
  } catch (err) {
    process.stderr.write(`sandbox: ${(err as Error).message}\n`);
    process.exitCode = 2;
    return;
  }
  if (options.help) {
    process.stdout.write(`${HELP}\n`);
    return;
  }
  const { help: _help, clientSecretStdin, exitWithStdin, ...sandboxOptions } = options;
  if (clientSecretStdin) {
    try {
      const secret = await readFirstLine(10_000);
      if (secret.trim() === '') throw new Error('the client secret on stdin is empty');
      sandboxOptions.clients = [{ clientId: sandboxOptions.clients?.[0]?.clientId ?? 'sandbox-client', clientSecret: secret }];
    } catch (err) {
      process.stderr.write(`sandbox: --client-secret-stdin: ${(err as Error).message}\n`);
      process.exitCode = 2;
      return;
    }
  }
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox(sandboxOptions);
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    const hint = e.code === 'EADDRINUSE' ? ` Port ${options.port} is in use: pick another with --port, or --port 0 for a free one.` : '';
    process.stderr.write(`sandbox: could not start: ${e.message}.${hint}\n`);
    process.exitCode = 1;
    return;
  }
  process.stdout.write(
    `${JSON.stringify({ baseUrl: sandbox.baseUrl, project: sandbox.project, tokenUrl: sandbox.tokenUrl, clientId: sandbox.clientId })}\n`,
  );
  let stopping = false;
  const stop = (why: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`sandbox: ${why}, stopping\n`);
    void sandbox.close().then(() => {
      process.exitCode = 0;
      process.stdin.destroy();
    });
    // Whatever still holds the event loop (a stuck child), the process ends.
    setTimeout(() => process.exit(process.exitCode ?? 0), 5000).unref();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGHUP', () => stop('SIGHUP'));
  if (exitWithStdin) {
    // The parent holds the other end of stdin: its end means the parent is gone (exited, crashed, killed).
    process.stdin.on('end', () => stop('stdin closed'));
    process.stdin.on('error', () => stop('stdin closed'));
    process.stdin.resume();
  }
}

if (require.main === module) void main();
