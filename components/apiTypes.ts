import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

import type { AppRouter } from '@/server/api/root';

/** The admin UI's view of the API, inferred from the routers; a server change shows up here. */
type Outputs = inferRouterOutputs<AppRouter>;
type Inputs = inferRouterInputs<AppRouter>;

export type AppSummary = Outputs['apps']['list'][number];
export type ActionObject = Outputs['actions']['get']['action'];
export type ActionTrigger = ActionObject['triggers'][number];
export type RunLogEntry = Outputs['runs']['logs']['logs'][number];
export type RunDetail = Outputs['runs']['get'];
export type TestRunOutcome = Outputs['runs']['test'];
export type RunLogsInput = Inputs['runs']['logs'];
export type ActionVersion = Outputs['actions']['versions'][number];
export type ActionOverviewRow = Outputs['actions']['overview']['rows'][number];
