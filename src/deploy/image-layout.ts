/**
 * Where examples/hello/Dockerfile puts things in the image. The manifest's container command points
 * here, and test/deploy checks that the Dockerfile's ENTRYPOINT + CMD say the same.
 */
export const IMAGE_LAYOUT = {
  /** The library installed the way an app depends on it: package.json, dist/ and its node_modules. */
  packageDir: '/app/node_modules/service-lifecycle',
  cli: '/app/node_modules/service-lifecycle/dist/src/cli/main.js',
  /** The service root: service.json and the entry module. */
  serviceDir: '/app/service',
} as const;

/** Exec form, node first: node is PID 1 and gets SIGTERM itself; no shell in between to swallow it. */
export const containerCommand = (): string[] => ['node', IMAGE_LAYOUT.cli, 'start', IMAGE_LAYOUT.serviceDir];
