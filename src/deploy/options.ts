import { basename } from 'node:path';
import { usageError } from '../core/errors.js';
import { DEFAULT_PORT } from '../config/env.js';
import { KEEP_ALIVE_HEADROOM_SECONDS } from './timing.js';

/** The flags of `service-lifecycle manifest`, as parseArgs returns them. */
export interface ManifestFlags {
  name?: string;
  image?: string;
  port?: string;
  cpus?: string;
  'prestop-seconds'?: string;
  'lb-idle-timeout'?: string;
}

export interface ManifestOptions {
  /** Name of every object, and the pods' `app.kubernetes.io/name` label. */
  name: string;
  image: string;
  port: number;
  /** CPUs of the node the pod runs on: what `workers` falls back to when service.json has none. */
  cpus?: number;
  preStopSeconds: number;
  /** Idle timeout of the load balancer in front (AWS ALB and ingress-nginx: 60 s). */
  lbIdleTimeoutSeconds: number;
}

export const DEFAULT_PRESTOP_SECONDS = 5;
export const DEFAULT_LB_IDLE_TIMEOUT_SECONDS = 60;
const MAX_KEEP_ALIVE_SECONDS = 3600; // KEEP_ALIVE_TIMEOUT_MS accepts up to 3600000

/** A Service name must be a DNS-1035 label, the strictest rule of the objects we write. */
const DNS_LABEL = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

function intFlag(flags: ManifestFlags, key: keyof ManifestFlags, fallback: number | undefined, min: number, max: number) {
  const raw = flags[key];
  if (raw === undefined) return fallback;
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw usageError(`--${key}`, `manifest: --${key} is ${JSON.stringify(raw)}; expected an integer from ${min} to ${max}`);
  }
  return Number(raw);
}

/** "examples/My_Service" → "my-service". */
export function nameFromFolder(root: string) {
  return basename(root).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^[^a-z]+/, '').replace(/-+$/, '').slice(0, 63).replace(/-+$/, '');
}

export function readManifestOptions(root: string, flags: ManifestFlags): ManifestOptions {
  const name = flags.name ?? nameFromFolder(root);
  if (!DNS_LABEL.test(name)) {
    const what = flags.name === undefined ? `the folder name ${JSON.stringify(basename(root))} gives ${JSON.stringify(name)}` : `--name is ${JSON.stringify(name)}`;
    throw usageError('--name', `manifest: ${what}; pass --name with a lowercase DNS label (a-z, 0-9, "-", starting with a letter, at most 63 characters)`);
  }
  const image = flags.image ?? `${name}:latest`;
  if (image === '' || /\s/.test(image)) {
    throw usageError('--image', `manifest: --image is ${JSON.stringify(image)}; expected an image reference such as registry.example.com/${name}:1.0.0`);
  }
  return {
    name,
    image,
    port: intFlag(flags, 'port', DEFAULT_PORT, 1, 65535)!,
    cpus: intFlag(flags, 'cpus', undefined, 1, 1024),
    preStopSeconds: intFlag(flags, 'prestop-seconds', DEFAULT_PRESTOP_SECONDS, 1, 600)!,
    lbIdleTimeoutSeconds: intFlag(flags, 'lb-idle-timeout', DEFAULT_LB_IDLE_TIMEOUT_SECONDS, 1, MAX_KEEP_ALIVE_SECONDS - KEEP_ALIVE_HEADROOM_SECONDS)!,
  };
}
