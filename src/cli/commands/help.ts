export const USAGE = `Usage: service-lifecycle <command> [options]

Commands:
  start [root]     boot the service in root (default: .); workers: 1 runs in this process
  manifest [root]  print Kubernetes YAML derived from service.json (manifest --help for options)
  inspect          local inspector server for --inspect-lifecycle (loopback; inspect --help)
  diagram          print the lifecycle as a Mermaid stateDiagram-v2 (--write: update README/spec)
  help             this text

Options for start:
  --port <n>       port to listen on (default: $PORT or 5050)
  --quiet          no lifecycle transition lines
  --inspect-lifecycle[=ws://127.0.0.1:PORT]
                   send the statechart to a Stately inspector (default ws://127.0.0.1:8080;
                   same as LIFECYCLE_INSPECT=url); cluster workers connect too

Exit codes: 0 ok, 2 SIGINT, 15 SIGTERM, 64 usage, 69 listen failed, 70 crash,
            71 cluster crash loop, 78 boot failed (service.json or entry module)`;

export function run() {
  process.stdout.write(USAGE + '\n');
}
