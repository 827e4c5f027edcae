// 5. Responsiveness: from the click on Run to the status bar's first status. The floor is what the
// network alone costs: one runSchedule and one status request from Node over the same loopback.
import { PyramidClient } from '../../src/api';
import { PyramidSimulator } from '../simulator/server';
import { InHostResult, MonitorChangeCost } from './host/protocol';
import { Section, table } from './report';
import { median, ms, ratio, spread } from './stats';
import { WindowSample } from './uiWindow';

const FLOOR_REPETITIONS = 10;

/** runSchedule plus one status check with the product's client, nothing else: the network's share. */
export async function measureRoundTrips(sim: PyramidSimulator): Promise<number[]> {
  const client = new PyramidClient({ serverUrl: sim.url, token: sim.issueToken() });
  const scheduleId = sim.allSchedules.find((schedule) => schedule.name.startsWith('Data Flow'))!.scheduleId;
  const once = async () => {
    const started = performance.now();
    await client.getScheduleExecutionStatus(await client.runSchedule(scheduleId));
    return performance.now() - started;
  };
  await once(); // warm-up: connection and JIT
  const times: number[] = [];
  for (let i = 0; i < FLOOR_REPETITIONS; i++) {
    times.push(await once());
  }
  return times;
}

export function responsivenessSection(floor: number[], inHost: InHostResult | undefined, windows: WindowSample[]): Section {
  const clicks = windows.flatMap((w) => w.runs);
  const painted = clicks.map((run) => run.paintedMs);
  const floorMedian = median(floor);
  const requestsPerRun = [...new Set(clicks.map((run) => describeRequests(run.requestsBeforeStatus)))];
  const requestsAfter = [...new Set(clicks.map((run) => describeRequests(run.requestsAfterStatus ?? [])))].filter(Boolean);
  const expected = describeRequests(['tasks/runSchedule', 'tasks/getScheduleExecutionStatus']);
  const exact = clicks.length > 0 && clicks.every((run) => describeRequests(run.requestsBeforeStatus) === expected);
  const sizes = [...new Set([...(inHost?.runs ?? []), ...windows].map((sample) => sample.size))].sort((a, b) => a - b);
  const row = (label: string, values: number[]) => [label, spread(values), values.length ? ratio(median(values), floorMedian) : ''];
  return {
    title: '5. Responsiveness',
    lines: [
      "In each window the first schedules of the tree are run with the row's Run button; the time runs from the press on the",
      "button to the first animation frame after the status bar item shows the run's first status (Pending or Running, not",
      '"Starting"). The run is then no longer watched, so the next click starts from a hidden item. In the extension host the',
      "same is timed from `executeCommand('pyramid.runSchedule')` to the monitor's change event that updated the item, after",
      "the tree has shown every group's first page.",
      '',
      ...table(
        ['', 'Median', 'Ratio to the floor'],
        [
          [...row('Floor: runSchedule + one status request (Node, keep-alive)', floor).slice(0, 2), '1.0x'],
          ...sizes.map((size) => row(`Extension host, ${size.toLocaleString('en')} schedules: command → item updated`, (inHost?.runs ?? []).filter((r) => r.size === size).map((r) => r.statusShownMs))),
          ...sizes.map((size) => row(`Window, ${size.toLocaleString('en')} schedules: press on Run → status painted`, clicks.filter((r) => r.size === size).map((r) => r.paintedMs))),
        ],
      ),
      '',
      `Requests the simulator received between the press and the first status check: ${requestsPerRun.join('; ') || 'n/a'}` +
        (requestsAfter.length ? `; then, before the status was seen painted, ${requestsAfter.join('; ')} (the history for the time left, read once the first status is in).` : '.'),
      ...changeCostLines(inHost),
    ],
    checks: [
      {
        name: 'Run → first status in the status bar',
        target: 'one runSchedule plus one status round trip',
        measured: `${requestsPerRun.join('; ') || 'n/a'}; ${ms(median(painted), 0)} median (network floor ${ms(floorMedian)})`,
        met: clicks.length ? exact : undefined,
      },
    ],
  };
}

/** What one monitor change costs with the tree's items built: the status bar waits for it twice per run. */
function changeCostLines(inHost: InHostResult | undefined): string[] {
  if (!inHost?.monitorChanges.length) {
    return [];
  }
  const at = (cost: MonitorChangeCost, times: number[]) => `${ms(median(times))} at ${cost.size.toLocaleString('en')} schedules`;
  const perRun = inHost.monitorChanges.map((cost) => at(cost, cost.runMs));
  const all = inHost.monitorChanges.map((cost) => at(cost, cost.allMs));
  return [
    '',
    `Every run start and status change notifies the tree and the status bar, naming the run; one notification costs ${perRun.join(', ')}`,
    `(the tree updates only that run's schedule item). A change of every run at once (the recent runs cleared) costs ${all.join(', ')},`,
    'where the tree looks at each schedule item it has built. The status bar waits for two run changes before it shows the first',
    'status; the rest of the window\'s time is VS Code passing the click to the extension host and the status bar update back to the window.',
  ];
}
/** "1 runSchedule, 1 getScheduleExecutionStatus". */
function describeRequests(paths: string[]): string {
  const counts = new Map<string, number>();
  for (const path of paths) {
    counts.set(path, (counts.get(path) ?? 0) + 1);
  }
  return [...counts].map(([path, count]) => `${count} ${path.replace(/^tasks\//, '')}`).join(', ');
}
