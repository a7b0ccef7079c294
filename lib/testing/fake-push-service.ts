// The Web Push service as the workers' fetch: every push is accepted (201) and its endpoint kept, in order, so a test
// can count the pushes each device was sent.
export const createFakePushService = () => {
  const pushed: string[] = [];
  const pushFetch: typeof fetch = async (input) => {
    pushed.push(String(input));
    return new Response(null, { status: 201 });
  };
  return { pushed, pushFetch };
};
