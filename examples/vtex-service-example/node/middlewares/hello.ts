import { LogLevel, logOnceToDevConsole } from '@vtex/api'

// Private route (/:account/:workspace/_v/private/hello/:name): proves the clients class is wired.
export async function hello(ctx: Context, next: () => Promise<any>) {
  const {
    vtex: { account, workspace, route, logger },
    clients,
  } = ctx

  logOnceToDevConsole('fixture: hello route called for the first time', LogLevel.Info)
  logger.info({ message: 'fixture: hello', name: route.params.name })

  ctx.body = {
    hello: route.params.name,
    account,
    workspace,
    route: { id: route.id, type: route.type },
    statusClient: clients.status.constructor.name,
    pid: process.pid,
  }
  await next()
}

// Private route (/:account/:workspace/_v/private/upstream/:code): the Status client calls the upstream.
export async function upstream(ctx: Context, next: () => Promise<any>) {
  const {
    state: { code },
    clients: { status: statusClient },
  } = ctx

  const { status: upstreamStatus, data } = await statusClient.getStatusWithHeaders(code)
  ctx.status = 200
  ctx.body = { upstreamStatus, data }
  await next()
}
