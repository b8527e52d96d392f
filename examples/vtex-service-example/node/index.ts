import type { ClientsConfig, RecorderState, ServiceContext } from '@vtex/api'
import { LRUCache, method, Service } from '@vtex/api'

import { Clients } from './clients'
import { crash, slow } from './middlewares/demo'
import { hello, upstream } from './middlewares/hello'
import { status } from './middlewares/status'
import { validate } from './middlewares/validate'

const TIMEOUT_MS = 800

// A LRU memory cache for the Status client. `metrics` is a global the SDK creates when
// @vtex/api is first required (lib/service/worker/index.js): it must exist before this line runs.
const memoryCache = new LRUCache<string, any>({ max: 5000 })

metrics.trackCache('status', memoryCache)

// The SDK flushes its metrics on every status track (GET /_status reaches every worker of the replica). One line
// per flush and process shows where it arrived.
metrics.addOnFlushMetric(() => {
  console.log(JSON.stringify({ type: 'fixture-status-flush', pid: process.pid }))
  return []
})

const clients: ClientsConfig<Clients> = {
  implementation: Clients,
  options: {
    default: {
      retries: 2,
      timeout: TIMEOUT_MS,
    },
    status: {
      memoryCache,
    },
  },
}

declare global {
  type Context = ServiceContext<Clients, State>

  interface State extends RecorderState {
    code: number
  }
}

export default new Service({
  clients,
  routes: {
    status: method({
      GET: [validate, status],
    }),
    hello,
    upstream: method({
      GET: [validate, upstream],
    }),
    slow,
    crash,
  },
})
