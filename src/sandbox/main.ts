// Command line of the local CDF sandbox (npm run sandbox -- --port 8787 ...), and the single-file bundle
// (dist/sandbox/main.js) the extension loads lazily: it re-exports the in-process API and only runs the
// CLI when it is the entry module.
import { startSandbox, type Sandbox, type SandboxOptions } from './index';

export * from './index';

const HELP = `Local CDF sandbox: an emulator of the CDF Data Workflows, Sessions, Functions and Files APIs.

Usage: npm run sandbox -- [options]

  --port N               port on 127.0.0.1 (default 8787; 0 picks a free port)
  --project NAME         CDF project name in API paths (default sandbox)
  --client-id ID         OAuth client id (default sandbox-client)
  --client-secret SECRET OAuth client secret (default sandbox-secret)
  --seed demo|empty      start with the demo workflows and history, or blank (default demo)
  --data-dir DIR         keep state in DIR across restarts (default: in memory)
  --token-lifetime S     access token lifetime in seconds (default 3600)
  --quiet                do not log requests to stderr
  --help                 show this help

Prints one JSON line {"baseUrl","project","tokenUrl","clientId"} on stdout once it accepts requests.`;

export function parseArgs(argv: string[]): SandboxOptions & { help?: boolean } {
  const o: SandboxOptions & { help?: boolean } = { port: 8787, seed: 'demo', quiet: false };
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
      default:
        throw new Error(`Unknown option ${flag}. Run with --help for the options.`);
    }
  }
  if (clientId !== undefined || clientSecret !== undefined) {
    o.clients = [{ clientId: clientId ?? 'sandbox-client', clientSecret: clientSecret ?? 'sandbox-secret' }];
  }
  return o;
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
  delete options.help;
  let sandbox: Sandbox;
  try {
    sandbox = await startSandbox(options);
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
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`sandbox: ${signal}, stopping\n`);
    void sandbox.close().then(() => {
      process.exitCode = 0;
    });
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) void main();
