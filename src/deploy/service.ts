import { selectorLabels } from './labels.js';
import type { ManifestOptions } from './options.js';

/** A ClusterIP Service on port 80: its endpoints are the ready pods, which is what the drain relies on. */
export function service(options: ManifestOptions) {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: options.name, labels: selectorLabels(options.name) },
    spec: {
      selector: selectorLabels(options.name),
      ports: [{ name: 'http', port: 80, targetPort: 'http' }],
    },
  };
}
