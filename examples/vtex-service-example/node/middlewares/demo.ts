// Two private routes for trying the lifecycle by hand (and for its tests): a slow answer to have a request in
// flight during a drain, and an exception nobody catches.

// /:account/:workspace/_v/private/slow/:ms answers after `ms` milliseconds (at most 60 s).
export async function slow(ctx: Context, next: () => Promise<any>) {
  const ms = Math.max(0, Math.min(parseInt(ctx.vtex.route.params.ms as string, 10) || 0, 60_000))
  await new Promise((resolve) => setTimeout(resolve, ms))
  ctx.body = { waitedMs: ms, pid: process.pid }
  await next()
}

// /:account/:workspace/_v/private/crash answers 202, then throws outside any request: an uncaught exception.
export async function crash(ctx: Context, next: () => Promise<any>) {
  setTimeout(() => {
    throw new Error('fixture: crash requested')
  }, 50)
  ctx.status = 202
  ctx.body = { crashing: process.pid }
  await next()
}
