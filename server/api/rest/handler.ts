import { AppError } from '../../errors';
import { errorResponse } from './http';
import { handleAppRoute, handlePublicRoute } from './routes';

/** The public REST API as one fetch-style handler, mounted by the web app under /v3. */
export async function handleRest(request: Request): Promise<Response> {
  try {
    const ctx = { request, url: new URL(request.url), params: {} };
    const response = (await handlePublicRoute(ctx)) ?? (await handleAppRoute(ctx));
    if (!response) throw new AppError('NOT_FOUND', `No API route at ${ctx.url.pathname}`);
    return response;
  } catch (error) {
    return errorResponse(error);
  }
}
