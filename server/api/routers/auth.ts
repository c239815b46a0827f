import { describeAccess } from '../../auth/access';
import { publicProcedure, router } from '../trpc';

export const authRouter = router({
  /**
   * Who is signed in, and their role and permissions per organisation and app, so the UI can
   * hide what they cannot do. Null when nobody is signed in. The server checks every call anyway.
   */
  me: publicProcedure.query(async ({ ctx }) => {
    if (!ctx.user) return null;
    const access = await describeAccess(ctx.db, ctx.user.id);
    return { user: ctx.user, ...access };
  }),
});
