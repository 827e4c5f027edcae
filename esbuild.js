// Builds the extension bundle (dist/) and the test programs (out/).
//   node esbuild.js               development build of both, with source maps
//   node esbuild.js --production  minified extension bundle only, no source maps (what the VSIX ships)
//   node esbuild.js --watch       rebuild both on change
const esbuild = require('esbuild');
const fs = require('fs');
const path = require('path');

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** Every .ts file below test/ and scripts/: each test file and program is bundled on its own. */
function testEntryPoints() {
  const entries = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(full);
      } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
        entries.push(full);
      }
    }
  };
  walk('test');
  walk('scripts');
  return entries;
}

/**
 * node-fetch's Blob support falls back to a 60 KB web streams polyfill on runtimes without
 * `node:stream/web`. Every VS Code we support runs Node 20, which has it: use it directly.
 */
const nodeWebStreams = {
  name: 'node-web-streams',
  setup(build) {
    build.onResolve({ filter: /^web-streams-polyfill(\/|$)/ }, () => ({ path: 'web-streams', namespace: 'node-web-streams' }));
    build.onLoad({ filter: /.*/, namespace: 'node-web-streams' }, () => ({ contents: "module.exports = require('node:stream/web');", loader: 'js' }));
  },
};

/**
 * The extension sends JSON and reads text; it never sends or parses form data. node-fetch's multipart
 * parser and FormData polyfill (about 6.5 KB minified) are replaced by stand-ins that say so.
 */
const noFormData = {
  name: 'no-form-data',
  setup(build) {
    build.onResolve({ filter: /^(\.\/utils\/multipart-parser\.js|formdata-polyfill\/esm\.min\.js)$/ }, (args) => ({ path: args.path, namespace: 'no-form-data' }));
    build.onLoad({ filter: /.*/, namespace: 'no-form-data' }, () => ({
      contents: [
        "const unsupported = () => { throw new Error('Form data is not supported.'); };",
        'export class FormData {}',
        'export const formDataToBlob = unsupported;',
        'export const toFormData = unsupported;',
      ].join('\n'),
      loader: 'js',
    }));
  },
};

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  logLevel: 'warning',
  plugins: [nodeWebStreams, noFormData],
};

async function main() {
  const extension = {
    ...common,
    entryPoints: ['src/extension.ts'],
    outfile: 'dist/extension.js',
    external: ['vscode'],
    minify: production,
    sourcemap: !production,
    sourcesContent: false,
  };
  // The details webview runs in the browser: its own bundle and stylesheet, always minified.
  const webview = {
    entryPoints: [
      { in: 'src/details/webview/main.ts', out: 'details' },
      { in: 'src/details/webview/details.css', out: 'details' },
    ],
    outdir: 'dist/webview',
    bundle: true,
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
    logLevel: 'warning',
    minify: true,
    sourcemap: false,
  };
  const tests = {
    ...common,
    entryPoints: testEntryPoints(),
    outdir: 'out',
    outbase: '.',
    // mocha and playwright are loaded from node_modules at run time; vscode is provided by the host.
    external: ['vscode', 'mocha', 'playwright-core', '@vscode/test-electron'],
    sourcemap: true,
  };

  if (production) {
    fs.rmSync('dist', { recursive: true, force: true });
    const result = await esbuild.build(extension);
    await esbuild.build(webview);
    for (const file of [extension.outfile, 'dist/webview/details.js', 'dist/webview/details.css']) {
      console.log(`${file}: ${fs.statSync(file).size} bytes (minified)`);
    }
    return result;
  }
  if (watch) {
    const contexts = [await esbuild.context(extension), await esbuild.context(webview), await esbuild.context(tests)];
    await Promise.all(contexts.map((ctx) => ctx.watch()));
    console.log('watching src/ and test/ ...');
    return;
  }
  await Promise.all([esbuild.build(extension), esbuild.build(webview), esbuild.build(tests)]);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
