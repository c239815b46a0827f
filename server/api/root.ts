import { actionsRouter } from './routers/actions';
import { appsRouter } from './routers/apps';
import { dataSourcesRouter } from './routers/data-sources';
import { runsRouter } from './routers/runs';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  apps: appsRouter,
  actions: actionsRouter,
  runs: runsRouter,
  dataSources: dataSourcesRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
