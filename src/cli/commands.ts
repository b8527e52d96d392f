/**
 * The CLI's commands as data: what each one takes and its help text. Only the command that runs is
 * loaded (`load`); help, did-you-mean and option checks need nothing but this table.
 */
export interface OptionSpec {
  /** `<n>` for an option that takes a value; absent for a switch. */
  value?: string;
  /** The value may be left out (`--inspect-lifecycle` alone means its default). */
  optionalValue?: boolean;
  help: string;
}

export interface CommandSpec {
  summary: string;
  /** What follows the command name: `[root]`, `[files…]`. */
  positionals: { usage: string; max: number; what: string };
  options: Record<string, OptionSpec>;
  /** More text for `<command> --help`, after the options. */
  more?: string;
  load(): Promise<{ run(parsed: ParsedCommand): void | Promise<void> }>;
}

export interface ParsedCommand {
  values: Record<string, string | boolean | undefined>;
  positionals: string[];
}

export const COMMANDS: Record<string, CommandSpec> = {
  start: {
    summary: 'boot the service in root (default: .); workers: 1 runs in this process',
    positionals: { usage: '[root]', max: 1, what: 'service root' },
    options: {
      port: { value: '<n>', help: 'port to listen on (default: $PORT or 5050)' },
      quiet: { help: 'no lifecycle transition lines (LIFECYCLE_QUIET=1)' },
      'inspect-lifecycle': {
        value: '[=ws://127.0.0.1:PORT]',
        optionalValue: true,
        help: 'send the statechart to `service-lifecycle inspect` (default ws://127.0.0.1:8080; its token comes from the token file `inspect` wrote, or ?token=; LIFECYCLE_INSPECT=url); cluster workers connect too',
      },
    },
    load: () => import('./commands/start.js'),
  },
  manifest: {
    summary: 'print Kubernetes YAML derived from service.json',
    positionals: { usage: '[root]', max: 1, what: 'service root' },
    options: {
      name: { value: '<name>', help: 'object and label name (default: the folder name)' },
      image: { value: '<ref>', help: 'container image (default: <name>:latest)' },
      port: { value: '<n>', help: 'container port, also set as PORT (default: 5050)' },
      cpus: { value: '<n>', help: 'CPUs of the nodes the pods run on; needed only when service.json has no usable "workers" (the pod then forks one worker per CPU, max 4)' },
      'prestop-seconds': { value: '<n>', help: 'preStop sleep before SIGTERM (default: 5)' },
      'lb-idle-timeout': { value: '<s>', help: 'idle timeout of the load balancer in front (default: 60); KEEP_ALIVE_TIMEOUT_MS is set 5 s above it' },
    },
    more: 'Prints a Deployment, Service, HorizontalPodAutoscaler and PodDisruptionBudget as one YAML stream\non stdout; warnings go to stderr as JSON lines.',
    load: () => import('./commands/manifest.js'),
  },
  inspect: {
    summary: 'the live page of every --inspect-lifecycle service, and its relay (127.0.0.1 only)',
    positionals: { usage: '', max: 0, what: 'argument' },
    options: { port: { value: '<n>', help: 'port to listen on (default: 8080; 0 picks a free one)' } },
    more:
      'Open the printed "open" URL in a browser (it works offline; no browser is opened for you).\n' +
      'Then, in another terminal: service-lifecycle start <root> --inspect-lifecycle[=ws://127.0.0.1:<port>]\n' +
      'Only processes with the relay\'s token may publish: it is in a file only your user can read\n' +
      '("tokenFile"), which --inspect-lifecycle reads; as another user or from a container, use the\n' +
      'printed "connect" line. Each transition is also printed here as a JSON line.',
    load: () => import('./commands/inspect.js'),
  },
  diagram: {
    summary: 'print the lifecycle as a Mermaid stateDiagram-v2',
    positionals: { usage: '[files…]', max: Infinity, what: 'file' },
    options: { write: { help: 'update the diagram between the markers of README.md and the spec (or the files named)' } },
    load: () => import('./commands/diagram.js'),
  },
  help: {
    summary: 'this text, or a command’s own (help <command>)',
    positionals: { usage: '[command]', max: 1, what: 'command' },
    options: {},
    load: () => import('./commands/help.js'),
  },
};
