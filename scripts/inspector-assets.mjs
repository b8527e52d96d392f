// Part of `npm run build`, after tsc: puts the inspector page's static files next to its compiled
// scripts (dist/src/inspector/page/), and Mermaid's one-file browser build, gzipped, with its
// license, in dist/src/inspector/assets/. Mermaid is a devDependency: services never install it.
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
const page = join(root, 'src/inspector/page');
const outPage = join(root, 'dist/src/inspector/page');
const outAssets = join(root, 'dist/src/inspector/assets');
mkdirSync(outPage, { recursive: true });
mkdirSync(outAssets, { recursive: true });
for (const name of readdirSync(page).filter((n) => /\.(html|css)$/.test(n))) copyFileSync(join(page, name), join(outPage, name));

const mermaidJs = createRequire(import.meta.url).resolve('mermaid/dist/mermaid.min.js');
const mermaidDir = dirname(dirname(mermaidJs));
const { version } = JSON.parse(readFileSync(join(mermaidDir, 'package.json'), 'utf8'));
writeFileSync(join(outAssets, 'mermaid.min.js.gz'), gzipSync(readFileSync(mermaidJs), { level: 9 }));
writeFileSync(
  join(outAssets, 'mermaid.LICENSE'),
  `mermaid ${version} (dist/mermaid.min.js), MIT License; the libraries it bundles keep their notices in the file.\n\n${readFileSync(join(mermaidDir, 'LICENSE'), 'utf8')}`,
);
