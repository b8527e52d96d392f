import type { InstanceOptions, IOContext, IOResponse } from '@vtex/api'
import { ExternalClient } from '@vtex/api'

// The upstream the real service-example calls is http://httpstat.us; this fixture has no internet, so the
// base URL is configurable and defaults to a loopback stub (scripts/stubs.js answers GET /<code>).
const BASE_URL = process.env.STATUS_UPSTREAM_URL || 'http://127.0.0.1:5055'

export default class Status extends ExternalClient {
  constructor(context: IOContext, options?: InstanceOptions) {
    super(BASE_URL, context, options)
  }

  public async getStatus(status: number): Promise<string> {
    return this.http.get(status.toString(), { metric: 'status-get' })
  }

  public async getStatusWithHeaders(status: number): Promise<IOResponse<string>> {
    return this.http.getRaw(status.toString(), { metric: 'status-get-raw' })
  }
}
