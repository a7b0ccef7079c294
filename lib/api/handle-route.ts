import { toErrorResult } from "./to-error-result";

// The one wrapper for route handlers: handlers return data (JSON) or a Response, and throw AppError for the rest.
export const handleRoute =
  <TContext>(handler: (request: Request, context: TContext) => Promise<Response | unknown>) =>
  async (request: Request, context: TContext): Promise<Response> => {
    try {
      const result = await handler(request, context);
      if (result instanceof Response) return result;
      return Response.json(result ?? { ok: true });
    } catch (error) {
      const { status, ...body } = toErrorResult(error);
      return Response.json(body, { status });
    }
  };
