/**
 * The files the relay serves, all shipped in the package (nothing is fetched from elsewhere): the
 * live page (`page/`, compiled from `src/inspector/page/`) and Mermaid's browser build, which the
 * build stores gzipped (`assets/mermaid.min.js.gz`) and the relay sends as is to any browser. Each
 * file is read on its first request: services never load them, and `inspect` only when a page opens.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

export interface Asset {
  type: string;
  body: Buffer;
  /** `body` is gzipped: sent with Content-Encoding: gzip (or unzipped for a client that does not accept it). */
  gzipped?: boolean;
}

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8' };
const here = new URL('./', import.meta.url);

/** URL path → file, for every file the relay may serve. */
function routes(): Map<string, { file: URL; type: string; gzipped?: boolean }> {
  const page = new URL('page/', here);
  const table = new Map([
    ['/', { file: new URL('index.html', page), type: TYPES['.html']! }],
    ['/stately', { file: new URL('stately.html', page), type: TYPES['.html']! }],
    ['/assets/mermaid.js', { file: new URL('assets/mermaid.min.js.gz', here), type: TYPES['.js']!, gzipped: true }],
  ]);
  let names: string[] = [];
  try {
    names = readdirSync(page);
  } catch {
    // not built: every path is a 404
  }
  for (const name of names) {
    const ext = /\.(js|css)$/.exec(name)?.[0];
    if (ext) table.set(`/page/${name}`, { file: new URL(name, page), type: TYPES[ext]! });
  }
  return table;
}

export function pageAssets() {
  const table = routes();
  const cache = new Map<string, Asset | undefined>();
  const read = (path: string): Asset | undefined => {
    const route = table.get(path);
    if (!route) return undefined;
    try {
      return { type: route.type, body: readFileSync(route.file), gzipped: route.gzipped };
    } catch {
      return undefined;
    }
  };
  return (path: string, acceptsGzip: boolean): Asset | undefined => {
    if (!cache.has(path)) cache.set(path, read(path));
    const asset = cache.get(path);
    if (!asset?.gzipped || acceptsGzip) return asset;
    const plain = `${path} (plain)`;
    if (!cache.has(plain)) cache.set(plain, { type: asset.type, body: gunzipSync(asset.body) });
    return cache.get(plain);
  };
}
