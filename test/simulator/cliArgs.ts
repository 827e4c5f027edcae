// The simulator CLI's command line, parsed without side effects so that unit tests can check it.
import { SimulatorOptions } from './server';

export const USAGE = `Usage: node out/test/simulator/cli.js [options]

  --port N              port to listen on (default 4777, or a free one if 4777 is taken; 0 = any free port)
  --schedules N|demo    demo schedules plus generated ones up to N in total (default: demo, the demo ones only)
  --duration-scale X    multiply every run duration, e.g. 0.1 for ten times faster runs (default 1)
  --scheduled-runs-every SECONDS
                        a few demo schedules start runs on their own, as Pyramid's scheduler does, about every
                        SECONDS (multiplied by --duration-scale, at least 1 s); Warehouse Sync fails every third
                        run, Customer 360 Merge every other one (default: only runSchedule starts runs)
  --token-ttl SECONDS   tokens expire after this many seconds (default: never)
  --enums names         send enum values as names ("RUNNING") instead of numbers
  --dates iso           send dates as ISO strings instead of epoch milliseconds
  --quiet               do not log each request
  --help                show this help`;

export interface CliOptions {
  port?: number;
  quiet: boolean;
  help: boolean;
  simulator: SimulatorOptions;
}

/** A command line the CLI refuses; its message is shown above the usage. */
export class UsageError extends Error {}

/** The period of the demo timetable in simulator time: SECONDS scaled like every run duration, at least a second. */
export function demoTimetablePeriodMs(seconds: number, durationScale = 1): number {
  return Math.max(1000, Math.round(seconds * 1000 * durationScale));
}

export function parseArgs(args: string[]): CliOptions {
  const options: CliOptions = { quiet: false, help: false, simulator: {} };
  const wire: NonNullable<SimulatorOptions['wire']> = {};
  let scheduledRunsEvery: number | undefined;
  for (let index = 0; index < args.length; index++) {
    const flag = args[index];
    const value = () => {
      const next = args[++index];
      if (next === undefined) {
        throw new UsageError(`${flag} needs a value`);
      }
      return next;
    };
    const number = (min: number) => {
      const parsed = Number(value());
      if (!Number.isFinite(parsed) || parsed < min) {
        throw new UsageError(`${flag} must be a number of at least ${min}`);
      }
      return parsed;
    };
    switch (flag) {
      case '--port':
        options.port = number(0);
        break;
      case '--schedules':
        options.simulator.schedules = args[index + 1] === 'demo' ? (index++, 'demo') : Math.floor(number(1));
        break;
      case '--duration-scale':
        options.simulator.durationScale = number(0);
        break;
      case '--scheduled-runs-every':
        scheduledRunsEvery = number(1);
        break;
      case '--token-ttl':
        options.simulator.tokenTtlMs = number(1) * 1000;
        break;
      case '--enums':
        if (value() !== 'names') {
          throw new UsageError('--enums only takes "names"');
        }
        wire.enums = 'name';
        break;
      case '--dates':
        if (value() !== 'iso') {
          throw new UsageError('--dates only takes "iso"');
        }
        wire.dates = 'iso';
        break;
      case '--quiet':
        options.quiet = true;
        break;
      case '--help':
        options.help = true;
        break;
      default:
        throw new UsageError(`Unknown option: ${flag}`);
    }
  }
  options.simulator.wire = wire;
  if (scheduledRunsEvery !== undefined) {
    // After the loop: --duration-scale may come after it.
    options.simulator.timetable = { demoEveryMs: demoTimetablePeriodMs(scheduledRunsEvery, options.simulator.durationScale) };
  }
  return options;
}
