// Runs the simulator as a standalone server: node out/test/simulator/cli.js [options]
import { CliOptions, parseArgs, UsageError, USAGE } from './cliArgs';
import { DEMO_USER, PyramidSimulator, SimulatorOptions, VIEWER_USER } from './server';

const DEFAULT_PORT = 4777;

function options(): CliOptions {
  try {
    const parsed = parseArgs(process.argv.slice(2));
    if (parsed.help) {
      console.log(USAGE);
      process.exit(0);
    }
    return parsed;
  } catch (error) {
    if (!(error instanceof UsageError)) {
      throw error;
    }
    console.error(`${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
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

/** What runs on its own, e.g. "Warehouse Sync every 9 s (fails 1 run in 3)". */
function timetableLines(simulator: PyramidSimulator): string[] {
  return simulator.timetableEntries.map((entry, index) => {
    const fails = entry.failEvery === undefined ? '' : ` (fails 1 run in ${entry.failEvery})`;
    return `  ${index === 0 ? 'Timetable: ' : '           '} ${entry.scheduleName} every ${Math.round(entry.everyMs / 1000)} s${fails}`;
  });
}

const timestamp = () => new Date().toISOString().slice(11, 23);

async function main(): Promise<void> {
  const simulator = await start(options());
  const visible = simulator.allSchedules.filter((schedule) => !schedule.isDeleted).length;
  console.log(
    [
      'Pyramid API3 simulator',
      `  URL:        ${simulator.url}`,
      `  User:       ${DEMO_USER.userName}`,
      `  Password:   ${DEMO_USER.password}`,
      `  Non-admin:  ${VIEWER_USER.userName} / ${VIEWER_USER.password} (suspend and resume are refused)`,
      `  Schedules:  ${visible}`,
      ...timetableLines(simulator),
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
