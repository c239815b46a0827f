import { actionsRouter } from './routers/actions';
import { appsRouter } from './routers/apps';
import { auditRouter } from './routers/audit';
import { authRouter } from './routers/auth';
import { dataSourcesRouter } from './routers/data-sources';
import { runsRouter } from './routers/runs';
import { tokensRouter } from './routers/tokens';
import { usersRouter } from './routers/users';
import { createCallerFactory, router } from './trpc';

export const appRouter = router({
  apps: appsRouter,
  actions: actionsRouter,
  runs: runsRouter,
  dataSources: dataSourcesRouter,
  auth: authRouter,
  users: usersRouter,
  tokens: tokensRouter,
  audit: auditRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
