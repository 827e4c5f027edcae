// Runs the simulator as a standalone server: node out/test/simulator/cli.js [options]
import { DEMO_USER, PyramidSimulator, SimulatorOptions, VIEWER_USER } from './server';

const USAGE = `Usage: node out/test/simulator/cli.js [options]

  --port N              port to listen on (default 4777, or a free one if 4777 is taken; 0 = any free port)
  --schedules N         demo schedules plus generated ones up to N in total (default: demo only)
  --duration-scale X    multiply every run duration, e.g. 0.1 for ten times faster runs (default 1)
  --token-ttl SECONDS   tokens expire after this many seconds (default: never)
  --enums names         send enum values as names ("RUNNING") instead of numbers
  --dates iso           send dates as ISO strings instead of epoch milliseconds
  --quiet               do not log each request
  --help                show this help`;

const DEFAULT_PORT = 4777;

interface CliOptions {
  port?: number;
  quiet: boolean;
  simulator: SimulatorOptions;
}

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  process.exit(2);
}

function parseArgs(args: string[]): CliOptions {
  const options: CliOptions = { quiet: false, simulator: {} };
  const wire: NonNullable<SimulatorOptions['wire']> = {};
  for (let index = 0; index < args.length; index++) {
    const flag = args[index];
    const value = () => args[++index] ?? fail(`${flag} needs a value`);
    const number = (min: number) => {
      const parsed = Number(value());
      if (!Number.isFinite(parsed) || parsed < min) {
        fail(`${flag} must be a number of at least ${min}`);
      }
      return parsed;
    };
    switch (flag) {
      case '--port':
        options.port = number(0);
        break;
      case '--schedules':
        options.simulator.schedules = Math.floor(number(1));
        break;
      case '--duration-scale':
        options.simulator.durationScale = number(0);
        break;
      case '--token-ttl':
        options.simulator.tokenTtlMs = number(1) * 1000;
        break;
      case '--enums':
        if (value() !== 'names') {
          fail('--enums only takes "names"');
        }
        wire.enums = 'name';
        break;
      case '--dates':
        if (value() !== 'iso') {
          fail('--dates only takes "iso"');
        }
        wire.dates = 'iso';
        break;
      case '--quiet':
        options.quiet = true;
        break;
      case '--help':
        console.log(USAGE);
        process.exit(0);
        break;
      default:
        fail(`Unknown option: ${flag}`);
    }
  }
  options.simulator.wire = wire;
  return options;
}

async function start(options: CliOptions): Promise<PyramidSimulator> {
  const simulatorOptions: SimulatorOptions = {
    ...options.simulator,
    log: options.quiet ? undefined : (line) => console.log(`${timestamp()}  ${line}`),
  };
  if (options.port !== undefined) {
    return PyramidSimulator.start({ ...simulatorOptions, port: options.port });
  }
  try {
    return await PyramidSimulator.start({ ...simulatorOptions, port: DEFAULT_PORT });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') {
      throw error;
    }
    return PyramidSimulator.start({ ...simulatorOptions, port: 0 });
  }
}

const timestamp = () => new Date().toISOString().slice(11, 23);

async function main(): Promise<void> {
  const options = parseArgs(process.argv.slice(2));
  const simulator = await start(options);
  const visible = simulator.allSchedules.filter((schedule) => !schedule.isDeleted).length;
  console.log(
    [
      'Pyramid API3 simulator',
      `  URL:        ${simulator.url}`,
      `  User:       ${DEMO_USER.userName}`,
      `  Password:   ${DEMO_USER.password}`,
      `  Non-admin:  ${VIEWER_USER.userName} / ${VIEWER_USER.password} (suspend and resume are refused)`,
      `  Schedules:  ${visible}`,
      '  Stop:       Ctrl+C',
      '',
    ].join('\n'),
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      return;
    }
    stopping = true;
    console.log(`\n${signal} received, stopping the simulator.`);
    void simulator.stop().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  console.error(`Could not start the simulator: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
