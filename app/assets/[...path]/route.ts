import { serveAsset } from '@/server/sdk/assets';

/** The files behind action `assets[].url`; see server/sdk/assets.ts. */
export async function GET(
  request: Request,
  context: { params: Promise<{ path: string[] }> },
): Promise<Response> {
  const { path } = await context.params;
  return serveAsset(request, path);
}
