import { LogLevel, logOnceToDevConsole } from '@vtex/api'

// Public route: answers with the status code it was asked for, like httpstat.us does.
export async function status(ctx: Context, next: () => Promise<any>) {
  const {
    state: { code },
    vtex: { account, workspace, route, logger },
  } = ctx

  // Printed once per process in single-process mode, once per cluster in cluster mode ({ cmd: 'logOnce' } IPC).
  logOnceToDevConsole('fixture: status route called for the first time', LogLevel.Info)
  logger.info({ message: 'fixture: status', code, account, workspace })

  ctx.status = code
  ctx.body = { code, account, workspace, route: { id: route.id, type: route.type, params: route.params }, pid: process.pid }
  ctx.set('Cache-Control', 'no-cache')

  await next()
}
