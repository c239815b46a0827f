import { actionsRouter } from './routers/actions';
import { appsRouter } from './routers/apps';
import { auditRouter } from './routers/audit';
import { authRouter } from './routers/auth';
import { dataSourcesRouter } from './routers/data-sources';
import { outboxRouter } from './routers/outbox';
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
  outbox: outboxRouter,
});

export type AppRouter = typeof appRouter;
export const createCaller = createCallerFactory(appRouter);
