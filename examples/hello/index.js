// The bundled example service: `npm start` runs it single-process on port 5050 (or $PORT).
export default {
  routes: {
    hello: (ctx) => {
      ctx.logOnce('the hello route has been called at least once');
      ctx.body = { hello: ctx.params.name, pid: process.pid };
    },
    // Handy for watching a drain: curl it, then SIGTERM the process.
    slow: async (ctx) => {
      const ms = Math.min(Number(ctx.query.ms ?? 1000) || 0, 30_000);
      await new Promise((resolve) => setTimeout(resolve, ms));
      ctx.body = { waitedMs: ms };
    },
  },
};
