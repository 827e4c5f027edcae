// What `npm test` runs after the build: every test layer, each as its own node program, then one
// summary whose last line is `N passed, M failed` over all layers.
//   npm test -- --layer unit            only some layers (also --layer unit,ui or TEST_LAYERS=unit,ui)
// Layers: unit (mocha in Node), in-host (the suite inside code-server's extension host), desktop (the
// same suite in desktop VS Code, skipped offline, see host/runDesktop.ts), ui (Chromium clicking the workbench).
import { fork, spawnSync } from 'child_process';
import * as path from 'path';
import { CHROMIUM_MISSING, isChromiumInstalled } from './host/browser';
import { killOnExit } from './host/cleanup';
import { isCodeServerInstalled } from './host/codeServer';
import { installScript } from './host/paths';
import { summaryLine, type LayerMessage, type LayerResult } from './layer';

interface Layer {
  name: string;
  /** The layer's program, relative to out/test. */
  program: string;
  /** Needs code-server and Chromium. */
  inBrowser: boolean;
}

const LAYERS: Layer[] = [
  { name: 'unit', program: 'runUnit.js', inBrowser: false },
  { name: 'in-host', program: 'host/runInHost.js', inBrowser: true },
  { name: 'desktop', program: 'host/runDesktop.js', inBrowser: false },
  { name: 'ui', program: 'ui/runUi.js', inBrowser: true },
];
const LAYER_TIMEOUT_MS = 15 * 60_000;

interface Outcome {
  layer: string;
  result: LayerResult;
  note?: string;
  seconds: number;
}

function selectedLayers(): Layer[] {
  const args = process.argv.slice(2);
  const names = args.flatMap((arg, i) => (args[i - 1] === '--layer' ? arg.split(',') : []));
  if (names.length === 0 && process.env.TEST_LAYERS) {
    names.push(...process.env.TEST_LAYERS.split(','));
  }
  if (names.length === 0) {
    return LAYERS;
  }
  const unknown = names.filter((name) => !LAYERS.some((layer) => layer.name === name));
  if (unknown.length > 0) {
    console.error(`unknown layer(s): ${unknown.join(', ')}; layers are ${LAYERS.map((l) => l.name).join(', ')}`);
    process.exit(2);
  }
  return LAYERS.filter((layer) => names.includes(layer.name));
}

/** Why the browser layers cannot run, or undefined when Chromium and code-server are there. */
function browserLayersBlocked(): string | undefined {
  if (!isChromiumInstalled()) {
    return CHROMIUM_MISSING;
  }
  if (isCodeServerInstalled()) {
    return undefined;
  }
  console.log('code-server is not installed in test/host: running test/host/install.sh (about 1-2 minutes)');
  const install = spawnSync('bash', [installScript], { stdio: 'inherit' });
  return install.status === 0 ? undefined : `test/host/install.sh failed (exit code ${install.status})`;
}

function runLayer(layer: Layer): Promise<Omit<Outcome, 'seconds'>> {
  return new Promise((resolve) => {
    const child = fork(path.join(__dirname, layer.program), [], { stdio: 'inherit' });
    const forgetChild = killOnExit(() => child.kill('SIGTERM'));
    let result: LayerResult | undefined;
    child.on('message', (message: LayerMessage) => (result = message.layerResult));
    const watchdog = setTimeout(() => {
      console.error(`${layer.name}: no result after ${LAYER_TIMEOUT_MS / 60_000} min, stopping it`);
      child.kill('SIGTERM'); // the layer's exit handlers stop its servers and browser
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    }, LAYER_TIMEOUT_MS);
    child.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      forgetChild();
      if (result) {
        return resolve({ layer: layer.name, result });
      }
      const note = `crashed with ${signal ?? `exit code ${code}`} before reporting a result`;
      resolve({ layer: layer.name, result: { passed: 0, failed: 1 }, note });
    });
  });
}

async function main(): Promise<void> {
  const layers = selectedLayers();
  const blocked = layers.some((layer) => layer.inBrowser) ? browserLayersBlocked() : undefined;
  if (blocked) {
    console.error(blocked);
  }

  const outcomes: Outcome[] = [];
  for (const layer of layers) {
    if (layer.inBrowser && blocked) {
      outcomes.push({ layer: layer.name, result: { passed: 0, failed: 1 }, note: `not run: ${blocked}`, seconds: 0 });
      continue;
    }
    console.log(`\n==== ${layer.name} tests ====`);
    const started = Date.now();
    const outcome = await runLayer(layer);
    outcomes.push({ ...outcome, seconds: (Date.now() - started) / 1000 });
  }

  console.log('\n==== summary ====');
  for (const { layer, result, note, seconds } of outcomes) {
    const status = result.skipped ? `skipped: ${result.skipped}` : summaryLine(result);
    console.log(`${layer.padEnd(8)} ${status}${note ? ` (${note})` : ''} [${seconds.toFixed(1)} s]`);
  }
  const total = outcomes.reduce((sum, { result }) => ({ passed: sum.passed + result.passed, failed: sum.failed + result.failed }), {
    passed: 0,
    failed: 0,
  });
  console.log(summaryLine(total));
  process.exit(total.failed > 0 ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  console.log(summaryLine({ passed: 0, failed: 1 }));
  process.exit(1);
});
