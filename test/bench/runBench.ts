// `npm run bench`: every benchmark side by side in one run, written to test/bench/results.md.
// Benchmarks print figures and ratios; a missed target is reported, never a failure. The program
// exits with 1 only when a benchmark could not run at all.
// `node out/test/bench/runBench.js pinned polling` runs only the benchmarks named and prints their
// sections; results.md is written by full runs only, so its figures always come from one run.
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { CHROMIUM_MISSING, isChromiumInstalled } from '../host/browser';
import { isCodeServerInstalled } from '../host/codeServer';
import { installScript, repoRoot } from '../host/paths';
import { PyramidSimulator } from '../simulator/server';
import { activationSection } from './activation';
import { footprintSection, measureFootprint, stageExtension } from './footprint';
import { InHostResult } from './host/protocol';
import { runInHostBench } from './inHost';
import { measurePinnedChecks } from './pinnedChecks';
import { measurePolling } from './polling';
import { Section, checksTable, notMeasured } from './report';
import { measureRoundTrips, responsivenessSection } from './responsiveness';
import { seconds } from './stats';
import { measureTreeModel } from './treeModel';
import { TREE_SIZES, treeSection } from './treeScale';
import { measureWindow, WindowSample } from './uiWindow';

const RESULTS_FILE = path.join(repoRoot, 'test', 'bench', 'results.md');
/** One window per entry, alternating sizes so that machine noise spreads over both. */
const WINDOW_SIZES = [1_000, 10_000, 1_000, 10_000, 10_000];

/** The benchmarks, by the names a run can be limited to. */
const BENCHMARKS = ['footprint', 'activation', 'tree', 'polling', 'responsiveness', 'pinned'] as const;
type Benchmark = (typeof BENCHMARKS)[number];

const failures: string[] = [];

/** Runs one benchmark step; a crash is reported and the other steps still run. */
async function step<T>(name: string, run: () => Promise<T>): Promise<T | undefined> {
  const started = Date.now();
  process.stdout.write(`${name} … `);
  try {
    const result = await run();
    console.log(`done in ${seconds(Date.now() - started)}`);
    return result;
  } catch (error) {
    console.log(`FAILED after ${seconds(Date.now() - started)}`);
    console.error(error);
    failures.push(`${name}: ${firstLine(error)}`);
    return undefined;
  }
}

/** The first line of an error's message, without terminal colours. */
function firstLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return stripVTControlCharacters(message.split('\n')[0]);
}

/** Why the benchmarks in a real VS Code cannot run, or undefined when Chromium and code-server are there. */
function browserBlocked(): string | undefined {
  if (!isChromiumInstalled()) {
    return CHROMIUM_MISSING;
  }
  if (!isCodeServerInstalled()) {
    console.log('code-server is not installed in test/host: running test/host/install.sh');
    const install = spawnSync('bash', [installScript], { stdio: 'inherit' });
    if (install.status !== 0) {
      return `test/host/install.sh failed (exit code ${install.status})`;
    }
  }
  return undefined;
}

interface BrowserFigures {
  inHost?: InHostResult;
  windows: WindowSample[];
}

async function inVsCode(extensionDir: string, sims: Map<number, PyramidSimulator>): Promise<BrowserFigures> {
  const servers = TREE_SIZES.map((size) => ({ size, url: sims.get(size)!.url }));
  const inHost = await step('in-host: tree, runs, bundle evaluation', () => runInHostBench(extensionDir, servers));
  const windows: WindowSample[] = [];
  for (const [i, size] of WINDOW_SIZES.entries()) {
    const sample = await step(`window ${i + 1}/${WINDOW_SIZES.length} (${size.toLocaleString('en')} schedules)`, () => measureWindow(extensionDir, sims.get(size)!, size));
    if (sample) {
      windows.push(sample);
    }
  }
  return { inHost, windows };
}

/** The benchmarks named on the command line, or all of them; exits with a usage line on an unknown name. */
function chosenBenchmarks(args: string[]): Set<Benchmark> {
  const unknown = args.filter((arg) => !(BENCHMARKS as readonly string[]).includes(arg));
  if (unknown.length) {
    console.error(`Unknown benchmark ${unknown.join(', ')}. Usage: runBench.js [${BENCHMARKS.join(' | ')} ...]`);
    process.exit(2);
  }
  return new Set(args.length ? (args as Benchmark[]) : BENCHMARKS);
}

async function main(): Promise<void> {
  const chosen = chosenBenchmarks(process.argv.slice(2));
  const wants = (name: Benchmark) => chosen.has(name);
  const inBrowser = wants('activation') || wants('tree') || wants('responsiveness');
  const started = Date.now();
  const loadBefore = os.loadavg()[0];
  const staged = wants('footprint') || inBrowser ? stageExtension() : undefined;
  const sims = new Map<number, PyramidSimulator>();
  try {
    const footprint = staged && wants('footprint') ? await step('footprint', () => measureFootprint(staged)) : undefined;
    const polling = wants('polling') ? await step('polling scenario', () => measurePolling()) : undefined;
    const pinned = wants('pinned') ? await step('pinned checks', () => measurePinnedChecks()) : undefined;
    const models = wants('tree') ? ((await step('tree model in Node', () => measureTreeModel(TREE_SIZES))) ?? []) : [];
    let floor: number[] = [];
    let blocked: string | undefined;
    let browser: BrowserFigures = { windows: [] };
    if (staged && inBrowser) {
      for (const size of TREE_SIZES) {
        sims.set(size, await PyramidSimulator.start({ schedules: size }));
      }
      floor = (await step('round-trip floor', () => measureRoundTrips(sims.get(TREE_SIZES[0])!))) ?? [];
      blocked = browserBlocked();
      browser = blocked ? browser : await inVsCode(staged.dir, sims);
    }
    const sectionOf: Record<Benchmark, () => Section> = {
      footprint: () => (footprint ? footprintSection(footprint) : notMeasured('1. Footprint', 'the build or packaging failed')),
      activation: () => (blocked ? notMeasured('2. Activation', blocked) : activationSection(browser.windows, browser.inHost)),
      tree: () => treeSection(models, browser.inHost, browser.windows),
      polling: () => polling ?? notMeasured('4. Polling cost', 'the scenario failed'),
      responsiveness: () => responsivenessSection(floor, browser.inHost, browser.windows),
      pinned: () => pinned ?? notMeasured('6. Pinned checks', 'the scenario failed'),
    };
    const sections = BENCHMARKS.filter(wants).map((name) => sectionOf[name]());
    const checks = checksTable(sections.flatMap((section) => section.checks)).join('\n');
    if (chosen.size === BENCHMARKS.length) {
      fs.writeFileSync(RESULTS_FILE, renderReport(sections, Date.now() - started, [loadBefore, os.loadavg()[0]]));
      console.log(`\n${checks}`);
      console.log(`\nwrote ${path.relative(repoRoot, RESULTS_FILE)} in ${seconds(Date.now() - started)}`);
    } else {
      for (const section of sections) {
        console.log(['', `## ${section.title}`, '', ...section.lines].join('\n'));
      }
      console.log(`\n${checks}`);
      console.log(`\n${path.relative(repoRoot, RESULTS_FILE)} left as it was (only a full run writes it), in ${seconds(Date.now() - started)}`);
    }
  } finally {
    for (const sim of sims.values()) {
      await sim.stop();
    }
    staged?.remove();
  }
  if (failures.length) {
    console.error(`\n${failures.length} benchmark(s) could not run:\n${failures.join('\n')}`);
  }
  process.exit(failures.length ? 1 : 0);
}

function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GB RAM, ${os.platform()} ${os.release()}, Node ${process.version}`;
}

function renderReport(sections: Section[], elapsedMs: number, load: number[]): string {
  const checks = sections.flatMap((section) => section.checks);
  const notes = checks.filter((check) => check.note).map((check) => `- **${check.name}**: ${check.note}`);
  return [
    '# Benchmark results',
    '',
    `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC, in ${seconds(elapsedMs, 0)}.`,
    `Machine: ${machine()}.`,
    `Load average (1 min) when the run started and ended: ${load.map((value) => value.toFixed(1)).join(' and ')}. The machine may be shared and`,
    'noisy: timings are medians of several measurements, and single figures vary between runs (rerun to compare).',
    ...(failures.length ? ['', `**Could not run:** ${failures.join('; ')}`] : []),
    '',
    '## Targets',
    '',
    ...checksTable(checks),
    ...(notes.length ? ['', 'Where a target is missed or deviated from:', '', ...notes] : []),
    ...sections.flatMap((section) => ['', `## ${section.title}`, '', ...section.lines]),
    '',
  ].join('\n');
}

void main();
