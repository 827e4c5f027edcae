// 3. Scale of the tree, in Node: the product's own work between the findSchedule answer and the root's
// items (parse the JSON, keep the listed types, sort by name, group), timed and weighed per list size.
import { Schedule, SearchMatchType, parseSchedules } from '../../src/api';
import { selectSchedules } from '../../src/schedules/scheduleList';
import { ScheduleGroup, groupSchedules } from '../../src/views/treeModel';
import { PyramidSimulator } from '../simulator/server';
import { collectGarbage, heapUsed } from './heap';
import { median } from './stats';

const REPETITIONS = 5;
const HEAP_REPETITIONS = 3;

export interface ModelFigures {
  size: number;
  answerBytes: number;
  roundTripMs: number;
  parseMs: number;
  /** selectSchedules: keep the listed types, sort by name. */
  selectMs: number;
  groupMs: number;
  /** Parse, select and group: from the answer's text to the root's groups. */
  readyMs: number;
  /** The same sort with one shared Intl.Collator instead of localeCompare with options per comparison. */
  sharedCollatorSortMs: number;
  sharedCollatorSameOrder: boolean;
  peakExtraHeap: number;
  retainedHeap: number;
  groups: { label: string; count: number }[];
}

interface Pass {
  roundTripMs: number;
  parseMs: number;
  selectMs: number;
  groupMs: number;
  sharedCollatorSortMs: number;
  sharedCollatorSameOrder: boolean;
}

/** The comparison treeModel.ts makes (base sensitivity, numeric), with one collator for all comparisons. */
const sharedCollator = new Intl.Collator(undefined, { sensitivity: 'base', numeric: true });

export async function measureTreeModel(sizes: readonly number[]): Promise<ModelFigures[]> {
  const figures: ModelFigures[] = [];
  for (const size of sizes) {
    const sim = await PyramidSimulator.start({ schedules: size });
    try {
      figures.push(await measureSize(sim, size));
    } finally {
      await sim.stop();
    }
  }
  return figures;
}

async function measureSize(sim: PyramidSimulator, size: number): Promise<ModelFigures> {
  const fetchList = listFetcher(sim);
  await onePass(fetchList); // warm-up: the JIT compiles the parser and the grouping first
  const passes: Pass[] = [];
  for (let i = 0; i < REPETITIONS; i++) {
    passes.push(await onePass(fetchList));
  }
  const weighings = [];
  for (let i = 0; i < HEAP_REPETITIONS; i++) {
    weighings.push(await weigh(fetchList));
  }
  const heap = weighings[0];
  type Timing = Exclude<keyof Pass, 'sharedCollatorSameOrder'>;
  const pick = (key: Timing) => median(passes.map((pass) => pass[key]));
  return {
    size,
    answerBytes: heap.answerBytes,
    roundTripMs: pick('roundTripMs'),
    parseMs: pick('parseMs'),
    selectMs: pick('selectMs'),
    groupMs: pick('groupMs'),
    readyMs: median(passes.map((pass) => pass.parseMs + pass.selectMs + pass.groupMs)),
    sharedCollatorSortMs: pick('sharedCollatorSortMs'),
    sharedCollatorSameOrder: passes.every((pass) => pass.sharedCollatorSameOrder),
    peakExtraHeap: median(weighings.map((w) => w.peak)),
    retainedHeap: median(weighings.map((w) => w.retained)),
    groups: heap.groups.map((group) => ({ label: group.label, count: group.schedules.length })),
  };
}

/** The findSchedule request the Schedules view sends (every schedule, name contains ''), as raw text. */
function listFetcher(sim: PyramidSimulator): () => Promise<string> {
  const token = sim.issueToken();
  const body = JSON.stringify({ searchCriteria: { searchValue: '', searchMatchType: SearchMatchType.Contains } });
  return async () => {
    const response = await fetch(`${sim.url}/API3/tasks/findSchedule`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', paToken: token },
      body,
    });
    return response.text();
  };
}

async function onePass(fetchList: () => Promise<string>): Promise<Pass> {
  const t0 = performance.now();
  const text = await fetchList();
  const t1 = performance.now();
  const schedules = parseSchedules(JSON.parse(text));
  const t2 = performance.now();
  const sorted = selectSchedules(schedules, undefined);
  const t3 = performance.now();
  groupSchedules(sorted, 'type');
  const t4 = performance.now();
  const alternative = [...schedules].sort((a, b) => sharedCollator.compare(a.name, b.name));
  const t5 = performance.now();
  return {
    roundTripMs: t1 - t0,
    parseMs: t2 - t1,
    selectMs: t3 - t2,
    groupMs: t4 - t3,
    sharedCollatorSortMs: t5 - t4,
    sharedCollatorSameOrder: alternative.every((schedule, i) => schedule === sorted[i]),
  };
}

/**
 * Heap above a collected baseline while the answer is decoded, parsed and grouped (sampled after each step,
 * without collecting in between, so garbage not yet collected counts), then what stays after a collection.
 * The answer's bytes are fetched first and kept outside the heap, so the simulator (same process) is not weighed.
 */
async function weigh(fetchList: () => Promise<string>) {
  const answer = Buffer.from(await fetchList());
  collectGarbage();
  const base = heapUsed();
  let text = answer.toString('utf8');
  const afterDecode = heapUsed();
  const schedules: Schedule[] = parseSchedules(JSON.parse(text));
  const afterParse = heapUsed();
  const groups: ScheduleGroup[] = groupSchedules(selectSchedules(schedules, undefined), 'type');
  const afterGroup = heapUsed();
  text = ''; // the provider keeps the schedules, not the answer's text
  collectGarbage();
  const retained = heapUsed() - base;
  return { answerBytes: answer.length, peak: Math.max(afterDecode, afterParse, afterGroup) - base, retained, groups };
}
