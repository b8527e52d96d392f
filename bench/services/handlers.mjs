// The one app every variant serves: the same routes, the same bodies.
export const routes = {
  hello: (ctx) => {
    ctx.body = { hello: 'world' };
  },
  // The drain benchmark keeps one of these in flight while the signal arrives.
  slow: async (ctx) => {
    const ms = Math.min(Number(ctx.query.ms ?? 1000) || 0, 10_000);
    await new Promise((resolve) => setTimeout(resolve, ms));
    ctx.body = { waitedMs: ms };
  },
};

export const paths = { hello: '/hello', slow: '/slow' };
